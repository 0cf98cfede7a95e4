// TensorFlow.js's rand (values from a user function) and randomGamma (Marsaglia and
// Tsang's method, as TensorFlow.js's RandGamma, on uniforms from the seeded engine stream).
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, nextSeed, uniformFromStream } from '../tensor/creation';
import { allocTypedArray, checkDType, type DType } from '../tensor/dtype';
import { checkShape, describe, sizeOf, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/**
 * A tensor of `shape` whose values come from calling `randFunction` once per element, in
 * row-major order. Each value must fit the dtype (an integer for int32, 0 or 1 for bool).
 * @example rand([2, 2], () => Math.random())
 */
export function rand(shape: Shape, randFunction: () => number, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('rand', 3, arguments.length);
  const op = 'rand';
  const s = checkShape(op, shape);
  if (typeof randFunction !== 'function') throw new Error(`${op}: expected randFunction to be a function returning a number, got ${describe(randFunction)}`);
  checkDType(op, dtype);
  const out = allocTypedArray(dtype, sizeOf(s), op);
  for (let i = 0; i < out.length; i++) {
    const v: unknown = randFunction();
    const fits = typeof v === 'number' && (dtype === 'int32' ? Number.isInteger(v) && Math.abs(v) < 2 ** 31 : dtype === 'bool' ? v === 0 || v === 1 : true);
    if (!fits) throw new Error(`${op}: randFunction returned ${describe(v)} for element ${i}, which is not a ${dtype} value`);
    out[i] = v as number;
  }
  return fromTypedArray(out, s, dtype);
}

/**
 * Gamma-distributed random numbers with shape parameter `alpha` and rate `beta` (mean
 * alpha / beta), seeded as randomUniform. int32 truncates the draws, as TensorFlow.js.
 */
export function randomGamma(shape: Shape, alpha: number, beta = 1, dtype: 'float32' | 'float64' | 'int32' = 'float32', seed?: number): Tensor {
  if (arguments.length > 5) throw tooManyArguments('randomGamma', 5, arguments.length);
  const op = 'randomGamma';
  const s = checkShape(op, shape);
  for (const [name, v] of [
    ['alpha', alpha],
    ['beta', beta],
  ] as const)
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new Error(`${op}: expected ${name} to be a positive finite number, got ${describe(v)}`);
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32')
    throw new Error(`${op}: expected dtype float32, float64 or int32, got ${describe(dtype)}`);
  const n = sizeOf(s);
  const out = allocTypedArray(dtype, n, op);
  const next = uniforms(op, n, seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  // Alpha below 1 draws Gamma(alpha + 1) and scales by u^(1 / alpha).
  const a = alpha < 1 ? alpha + 1 : alpha;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let i = 0; i < n; i++) {
    let value: number;
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = next();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        value = d * v;
        break;
      }
    }
    if (alpha < 1) value *= next() ** (1 / alpha);
    out[i] = value / beta;
  }
  return fromTypedArray(out, s, dtype);
}

// Uniforms in [0, 1): a block from the seeded engine stream, then (rarely, after many
// rejections) a mulberry32 generator seeded from the block's last draw, so a seed fixes all.
function uniforms(op: string, n: number, seed?: number): () => number {
  const stream = nextSeed(op, seed);
  const t = uniformFromStream(op, [Math.min(6 * n + 64, 1 << 22)], 0, 1, 'float64', stream);
  const block = t.dataSync() as Float64Array;
  t.dispose();
  let i = 0;
  let state = Math.floor(block[block.length - 1] * 2 ** 32) >>> 0;
  return () => {
    if (i < block.length) return block[i++];
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 2 ** 32;
  };
}
