// TensorFlow.js's functional LSTM cells: basicLSTMCell (one step) and multiRNNCell (a stack
// of them), composed from matMul and the activations so that their gradients are those ops'.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add, mul } from './binary';
import { concat } from './concat';
import { toTensor } from './convert';
import { matMul } from './matmul';
import { asOp } from './op_name';
import { slice } from './slice';
import { sigmoid, tanh } from './unary';
import { everyEntry } from '../options/every_entry';

/** One LSTM step, `(data, c, h) => [newC, newH]`, as multiRNNCell takes them. */
export type LSTMCellFunc = (data: Tensor, c: Tensor, h: Tensor) => [Tensor, Tensor];

/**
 * One step of a basic LSTM cell, as TensorFlow.js's basicLSTMCell: the gates i, j, f, o are
 * the four column blocks of `[data, h] @ lstmKernel + lstmBias`;
 * newC = c * sigmoid(f + forgetBias) + sigmoid(i) * tanh(j), newH = tanh(newC) * sigmoid(o).
 * @example const [c1, h1] = basicLSTMCell(1, kernel, bias, x, c0, h0)
 */
export function basicLSTMCell(
  forgetBias: TensorLike,
  lstmKernel: TensorLike,
  lstmBias: TensorLike,
  data: TensorLike,
  c: TensorLike,
  h: TensorLike,
): [Tensor, Tensor] {
  if (arguments.length > 6) throw tooManyArguments('basicLSTMCell', 6, arguments.length);
  const op = 'basicLSTMCell';
  return asOp(op, () =>
    tidy(() => {
      const [x, hs, cs, k] = [toTensor(op, 'data', data), toTensor(op, 'h', h), toTensor(op, 'c', c), toTensor(op, 'lstmKernel', lstmKernel)];
      if (x.rank !== 2 || hs.rank !== 2 || cs.rank !== 2) {
        throw new Error(
          `${op}: expected data, c and h of rank 2 ([batch, units]), got shapes [${x.shape.join(', ')}], [${cs.shape.join(', ')}], [${hs.shape.join(', ')}]`,
        );
      }
      const units = hs.shape[1];
      if (k.rank !== 2 || k.shape[0] !== x.shape[1] + units || k.shape[1] !== 4 * units) {
        throw new Error(
          `${op}: expected lstmKernel of shape [${x.shape[1] + units}, ${4 * units}] (data's and h's columns, 4 gates of h's), got [${k.shape.join(', ')}]`,
        );
      }
      const gates = add(matMul(concat([x, hs], 1), k), lstmBias);
      const n = gates.shape[0];
      const [i, j, f, o] = [0, 1, 2, 3].map((g) => slice(gates, [0, g * units], [n, units]));
      const newC = add(mul(sigmoid(i), tanh(j)), mul(cs, sigmoid(add(forgetBias, f))));
      const newH = mul(tanh(newC), sigmoid(o));
      return [newC, newH];
    }),
  );
}

/**
 * A stack of LSTM cells, as TensorFlow.js's multiRNNCell: cell i takes the previous cell's
 * new h (the first takes data) with its own c[i] and h[i]; returns [the new cs, the new hs].
 * @example multiRNNCell([cell1, cell2], x, [c1, c2], [h1, h2])
 */
export function multiRNNCell(lstmCells: LSTMCellFunc[], data: TensorLike, c: TensorLike[], h: TensorLike[]): [Tensor[], Tensor[]] {
  if (arguments.length > 4) throw tooManyArguments('multiRNNCell', 4, arguments.length);
  const op = 'multiRNNCell';
  if (!Array.isArray(lstmCells) || lstmCells.length === 0 || !everyEntry(lstmCells, (f) => typeof f === 'function')) {
    throw new Error(`${op}: expected lstmCells to be a non-empty array of functions, got ${describe(lstmCells)}`);
  }
  for (const [name, states] of [
    ['c', c],
    ['h', h],
  ] as const) {
    if (!Array.isArray(states) || states.length !== lstmCells.length) {
      throw new Error(`${op}: expected ${name} to be an array of ${lstmCells.length} tensors (one per cell), got ${describe(states)}`);
    }
  }
  return asOp(op, () =>
    tidy(() => {
      let input = toTensor(op, 'data', data);
      const [newC, newH]: [Tensor[], Tensor[]] = [[], []];
      lstmCells.forEach((cell, i) => {
        const out = cell(input, toTensor(op, `c[${i}]`, c[i]), toTensor(op, `h[${i}]`, h[i]));
        if (!Array.isArray(out) || out.length !== 2) throw new Error(`${op}: expected cell ${i} to return [newC, newH], got ${describe(out)}`);
        newC.push(out[0]);
        newH.push(out[1]);
        input = out[1];
      });
      return [newC, newH];
    }),
  );
}
