// Whole recurrent sequences in one kernel call each way (native/src/cpu/recurrent_sequence.cpp):
// the input projection of every step is one GEMM inside the kernel, the steps run in one
// native loop, and the tape records one op whose gradient is one backward call. The
// recurrent layers use these when nothing needs the per-step path (masks, recurrent
// dropout, other activations); the per-step cell ops (recurrent.ts) stay the reference.
import { packAttrs, type KernelAttrs } from '../native/op_attrs';
import { quoted } from '../tensor/shape';
import { recordOp, runKernel, type OutSpec } from '../tensor/run';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { FLOAT_DTYPES, checkInputDType } from './convert';
import { checkTensors } from './recurrent_checks';

/** What a sequence op returns: every step's h ([batch, time, units], in the order the steps ran) and the final states. */
export interface SequenceResult {
  outputs: Tensor;
  states: Tensor[];
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

// Checks the tensors against the shapes the kernel expects (and x's dtype), and
// returns the sizes.
function checkSequence(op: string, gates: number, x: Tensor, kernel: Tensor, recurrentKernel: Tensor, rest: Record<string, [Tensor, 'bias' | 'state']>) {
  checkTensors(op, { x, kernel, recurrentKernel, ...Object.fromEntries(Object.entries(rest).map(([k, [t]]) => [k, t])) });
  checkInputDType(op, 'x', x, FLOAT_DTYPES);
  if (x.rank !== 3) throw new Error(`${op}: expected x of shape [batch, time, features], got [${x.shape.join(', ')}]`);
  const [batch, time, features] = x.shape;
  const units = recurrentKernel.shape[0];
  const expected: [string, Tensor, Shape][] = [
    ['kernel', kernel, [features, gates * units]],
    ['recurrentKernel', recurrentKernel, [units, gates * units]],
    ...Object.entries(rest).map(([name, [t, kind]]): [string, Tensor, Shape] => [name, t, kind === 'bias' ? [gates * units] : [batch, units]]),
  ];
  for (const [name, t, shape] of expected) {
    if (!same(t.shape, shape)) throw new Error(`${op}: expected ${name} of shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
    if (t.dtype !== x.dtype) throw new Error(`${op}: expected ${name} of dtype ${x.dtype} (x's), got ${t.dtype}`);
  }
  return { batch, time, features, units };
}

// Runs the forward kernel unrecorded, records the real outputs as one op whose gradient
// is the backward kernel, and drops the workspace (the tape keeps its own reference).
type SequenceKernel = 'simple_rnn_sequence' | 'lstm_sequence' | 'gru_sequence';
function runSequence<K extends SequenceKernel>(
  op: string,
  forward: K,
  attrs: KernelAttrs<K>,
  backwardAttrs: KernelAttrs<`${K}_backward`>,
  inputs: Tensor[],
  stateCount: number,
  workspace: number,
): SequenceResult {
  const [x, kernel, recurrentKernel] = inputs;
  const [batch, time] = x.shape;
  const units = recurrentKernel.shape[0];
  const dtype = x.dtype;
  const state: OutSpec = { shape: [batch, units], dtype };
  const outs: OutSpec[] = [{ shape: [batch, time, units], dtype }, ...new Array<OutSpec>(stateCount).fill(state), { shape: [workspace], dtype }];
  const results = runKernel(op, forward, inputs, attrs, outs);
  const ws = results.pop()!;
  recordOp(op, inputs, results, {
    save: [x, kernel, recurrentKernel, ws],
    grad: (dys, [xs, ks, us, w]) =>
      runKernel(
        op,
        `${forward}_backward` as `${K}_backward`,
        [xs, ks, us, w, ...dys],
        backwardAttrs,
        inputs.map((t) => ({ shape: t.shape, dtype })),
      ),
  });
  ws.dispose();
  const [outputs, ...states] = results;
  return { outputs, states };
}

/** SimpleRNN over a whole sequence: h_t = activation(x_t W + b + h_{t-1} U), activation tanh or relu. */
export function simpleRnnSequence(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
  h0: Tensor,
  activation: 'tanh' | 'relu',
  goBackwards: boolean,
): SequenceResult {
  const op = 'simpleRnnSequence';
  if (activation !== 'tanh' && activation !== 'relu') throw new Error(`${op}: expected activation 'tanh' or 'relu', got ${quoted(activation)}`);
  const s = checkSequence(op, 1, x, kernel, recurrentKernel, { bias: [bias, 'bias'], h0: [h0, 'state'] });
  const attrs = { activation, goBackwards };
  const inputs = [x, kernel, recurrentKernel, bias, h0];
  const workspace = (s.batch * s.time + s.batch) * s.units;
  return runSequence(op, 'simple_rnn_sequence', packAttrs.simple_rnn_sequence(attrs), packAttrs.simple_rnn_sequence_backward(attrs), inputs, 1, workspace);
}

/** LSTM over a whole sequence (Keras's gates i, f, c, o; tanh and sigmoid): states [h, c]. */
export function lstmSequence(x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor, h0: Tensor, c0: Tensor, goBackwards: boolean): SequenceResult {
  const op = 'lstmSequence';
  const s = checkSequence(op, 4, x, kernel, recurrentKernel, { bias: [bias, 'bias'], h0: [h0, 'state'], c0: [c0, 'state'] });
  const rows = s.batch * s.time;
  const workspace = rows * 4 * s.units + 2 * (rows + s.batch) * s.units;
  const attrs = { goBackwards };
  const inputs = [x, kernel, recurrentKernel, bias, h0, c0];
  return runSequence(op, 'lstm_sequence', packAttrs.lstm_sequence(attrs), packAttrs.lstm_sequence_backward(attrs), inputs, 2, workspace);
}

/**
 * GRU over a whole sequence (Keras's gates z, r, h; tanh and sigmoid). `bias` is added to
 * x W; `recurrentBias` to h U (resetAfter: Keras's bias row 1; else pass zeros).
 */
export function gruSequence(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
  recurrentBias: Tensor,
  h0: Tensor,
  resetAfter: boolean,
  goBackwards: boolean,
): SequenceResult {
  const op = 'gruSequence';
  const s = checkSequence(op, 3, x, kernel, recurrentKernel, { bias: [bias, 'bias'], recurrentBias: [recurrentBias, 'bias'], h0: [h0, 'state'] });
  const rows = s.batch * s.time;
  const workspace = rows * 4 * s.units + (rows + s.batch) * s.units;
  const attrs = { resetAfter, goBackwards };
  const inputs = [x, kernel, recurrentKernel, bias, recurrentBias, h0];
  return runSequence(op, 'gru_sequence', packAttrs.gru_sequence(attrs), packAttrs.gru_sequence_backward(attrs), inputs, 1, workspace);
}
