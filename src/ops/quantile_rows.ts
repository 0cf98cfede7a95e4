// What quantile and nanquantile share (kept out of numpy_quantile.ts, whose exports are public ops).
import { checkBoolean } from '../options/check_args';
import { type TensorLike } from '../tensor/creation';
import { describe, normalizeAxes, reducedShape } from '../tensor/shape';
import { toTensor } from './convert';
import { floatOperand } from './numpy_elementwise';
import type { QuantileMethod } from './numpy_quantile';
import { reshape } from './reshape';
import { topk } from './topk';
import { transpose } from './transpose';

/** The axes a quantile reduces: one, several, or all (null). */
export type Axis = number | number[] | null;

const METHODS: readonly QuantileMethod[] = ['linear', 'lower', 'higher', 'midpoint', 'nearest'];

/**
 * @internal What quantile and nanquantile share: the arguments checked, q as fractions, and
 * each reduced slice as a row of `rows`, sorted largest first (NaN first of all) in `desc`.
 */
export function quantileRows(op: string, x: TensorLike, q: TensorLike, axis: Axis, method: QuantileMethod, keepdims: boolean, scale: number) {
  checkBoolean(op, 'keepdims', keepdims);
  if (!METHODS.includes(method)) throw new Error(`${op}: expected method to be one of ${METHODS.map((m) => `'${m}'`).join(', ')}, got ${describe(method)}`);
  const t = floatOperand(op, 'x', x);
  const qt = toTensor(op, 'q', q, 'float64');
  if (qt.rank > 1) throw new Error(`${op}: expected q to be a number or a vector, got shape [${qt.shape.join(', ')}]`);
  const qs = Array.from(qt.dataSync() as ArrayLike<number>, (v) => v / scale);
  const bad = qs.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) throw new Error(`${op}: expected q in [0, ${scale}], got ${describe(qs[bad] * scale)}`);
  const axes = normalizeAxes(op, axis ?? undefined, t.rank);
  const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const n = axes.reduce((m, a) => m * t.shape[a], 1);
  if (n === 0) throw new Error(`${op}: expected no empty axis to reduce, got shape [${t.shape.join(', ')}]`);
  const keptShape = kept.map((i) => t.shape[i]);
  const rows = reshape(transpose(t, [...kept, ...axes]), [...keptShape, n]);
  // Largest first (NaN first of all): the k-th smallest is at n - 1 - k.
  const desc = topk(rows, n).values;
  const outShape = keepdims ? reducedShape(t.shape, axes, true) : keptShape;
  return { qt, qs, n, keptShape, rows, desc, outShape };
}
