// mirrorPad: a border made of x's own values mirrored at its edges (TensorFlow.js's
// tf.mirrorPad, NumPy's pad modes 'reflect' and 'symmetric'). A gather per padded axis,
// so its gradient is gather's: each border element's gradient goes back to its source.
import { tooManyArguments } from '../options/arity';
import { tensor, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { clone } from './cast';
import { toTensor } from './convert';
import { gather } from './gather';
import { everyEntry } from '../options/every_entry';

/** How the border mirrors: 'reflect' leaves the edge out ([3 2 | 1 2 3 | 2 1]), 'symmetric' repeats it ([2 1 | 1 2 3 | 3 2]). */
export type MirrorMode = 'reflect' | 'symmetric';

/**
 * x with `paddings[d] = [before, after]` mirrored elements around each dimension d. A
 * border may be at most the axis's length (less one for 'reflect'), as TensorFlow requires.
 * @example mirrorPad(x, [[0, 0], [2, 2]], 'reflect')
 */
export function mirrorPad(x: TensorLike, paddings: [number, number][] | number[][], mode: MirrorMode | 'REFLECT' | 'SYMMETRIC'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('mirrorPad', 3, arguments.length);
  const op = 'mirrorPad';
  const m = typeof mode === 'string' ? mode.toLowerCase() : mode;
  if (m !== 'reflect' && m !== 'symmetric') throw new Error(`${op}: expected mode 'reflect' or 'symmetric', got ${quoted(mode)}`);
  const edge = m === 'reflect' ? 1 : 0;
  // In tidy: a tensor made here from an array is released; the result is a new tensor even with no border.
  return tidy(() => {
    const t = toTensor(op, 'x', x);
    if (!Array.isArray(paddings) || paddings.length !== t.rank) {
      throw new Error(`${op}: expected ${t.rank} [before, after] pairs for shape [${t.shape.join(', ')}], got ${describe(paddings)}`);
    }
    paddings.forEach((p, d) => {
      const most = t.shape[d] - edge;
      if (!Array.isArray(p) || p.length !== 2 || !everyEntry(p, (v) => Number.isInteger(v) && v >= 0 && v <= most)) {
        throw new Error(
          `${op}: expected paddings[${d}] to be [before, after] integers in [0, ${most}] (axis ${d} has ${t.shape[d]} elements, mode '${m}'), got ${describe(p)}`,
        );
      }
    });
    let out = t;
    paddings.forEach(([before, after], d) => {
      if (before === 0 && after === 0) return;
      const n = t.shape[d];
      const source = (i: number): number => (i < 0 ? -i - 1 + edge : i >= n ? 2 * n - i - 1 - edge : i);
      const indices = Array.from({ length: before + n + after }, (_, j) => source(j - before));
      out = gather(out, tensor(indices, [indices.length], 'int32'), d);
    });
    return out === t ? clone(t) : out;
  });
}
