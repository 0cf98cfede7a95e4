// multinomial (TensorFlow.js's): draws from the categorical distributions that rows of
// logits (or of probabilities, `normalized`) define; sampled on the host from the global
// seed (setSeed) or the one given.
import { seededRandom } from '../tensor/seeded_random';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { tooManyArguments } from '../options/arity';

/**
 * numSamples class indices (int32) per row of logits ([classes] or [batch, classes]): each
 * drawn with probability softmax(row), or row itself when `normalized`.
 * @example multinomial(logits.div(temperature), 1) // the next token of a text generator
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number, normalized = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('multinomial', 4, arguments.length);
  return tidy(() => sample('multinomial', logits, numSamples, seed, normalized));
}

function sample(op: string, logits: TensorLike, numSamples: number, seed: number | undefined, normalized: boolean): Tensor {
  const t = toTensor(op, 'logits', logits);
  checkInputDType(op, 'logits', t, FLOAT_DTYPES);
  if (t.rank !== 1 && t.rank !== 2) throw new Error(`${op}: expected logits of rank 1 ([classes]) or 2 ([batch, classes]), got shape [${t.shape.join(', ')}]`);
  if (!Number.isInteger(numSamples) || numSamples < 1 || numSamples > 2 ** 31 - 1)
    throw new Error(`${op}: expected numSamples to be a positive integer, got ${describe(numSamples)}`);
  if (typeof normalized !== 'boolean') throw new Error(`${op}: expected normalized to be true or false, got ${describe(normalized)}`);
  const classes = t.shape[t.rank - 1];
  const rows = t.rank === 1 ? 1 : t.shape[0];
  if (classes < 1) throw new Error(`${op}: expected at least one class, got shape [${t.shape.join(', ')}]`);
  const random = seededRandom(op, seed);
  const data = t.dataSync();
  const out = allocTypedArray('int32', rows * numSamples, op);
  // No rows (an empty batch) need no cumulative sums, however many classes.
  const cumulative = allocTypedArray('float64', rows === 0 ? 0 : classes, op);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * classes, (r + 1) * classes);
    let total = 0;
    let top = -Infinity;
    if (!normalized) for (let c = 0; c < classes; c++) top = Math.max(top, Number(row[c]));
    for (let c = 0; c < classes; c++) {
      const w = normalized ? Number(row[c]) : Math.exp(Number(row[c]) - top);
      if (!(w >= 0) || w === Infinity)
        throw new Error(
          `${op}: row ${r} has ${normalized ? 'a probability' : 'a logit'} that is ${normalized ? 'negative or not finite' : 'NaN or infinite'}: ${row[c]} at class ${c}`,
        );
      cumulative[c] = total += w;
    }
    if (!(total > 0)) throw new Error(`${op}: row ${r}'s probabilities sum to ${total}`);
    for (let i = 0; i < numSamples; i++) {
      const u = random() * total;
      let lo = 0;
      let hi = classes - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      out[r * numSamples + i] = lo;
    }
  }
  return fromTypedArray(out, t.rank === 1 ? [numSamples] : [rows, numSamples], 'int32', t.device);
}
