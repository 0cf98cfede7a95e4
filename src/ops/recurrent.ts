// One time step of the recurrent cells, fused: the input projection xw = x_t W + b is a
// matMul the caller runs for all steps at once; these ops add the recurrent product and
// the gate nonlinearities (Keras's gate orders and default activations).
import { tooManyArguments } from '../options/arity';
import { packAttrs } from '../native/op_attrs';
import { runKernel, runKernel1, recordOp } from '../tensor/run';
import type { Tensor } from '../tensor/tensor';
import { FLOAT_DTYPES, checkInputDType } from './convert';
import { checkTensors } from './recurrent_checks';
import { unsupportedSecondOrder } from './second_order';

function checkCell(op: string, xw: Tensor, h: Tensor, kernel: Tensor, gates: number): number {
  checkTensors(op, { xw, h, recurrentKernel: kernel });
  checkInputDType(op, 'xw', xw, FLOAT_DTYPES);
  const [b, u] = h.shape;
  if (h.rank !== 2) throw new Error(`${op}: expected the state h of shape [batch, units], got [${h.shape.join(', ')}]`);
  if (xw.rank !== 2 || xw.shape[0] !== b || xw.shape[1] !== gates * u) {
    throw new Error(`${op}: expected xw of shape [${b}, ${gates * u}], got [${xw.shape.join(', ')}]`);
  }
  if (kernel.rank !== 2 || kernel.shape[0] !== u || kernel.shape[1] !== gates * u) {
    throw new Error(`${op}: expected the recurrent kernel of shape [${u}, ${gates * u}], got [${kernel.shape.join(', ')}]`);
  }
  for (const [name, t] of [
    ['h', h],
    ['recurrentKernel', kernel],
  ] as const) {
    if (t.dtype !== xw.dtype) throw new Error(`${op}: expected ${name} of dtype ${xw.dtype}, got ${t.dtype}`);
  }
  return u;
}

/** h' = tanh(xw + h U). */
export function simpleRnnCell(xw: Tensor, h: Tensor, recurrentKernel: Tensor): Tensor {
  if (arguments.length > 3) throw tooManyArguments('simpleRnnCell', 3, arguments.length);
  const op = 'simpleRnnCell';
  checkCell(op, xw, h, recurrentKernel, 1);
  const dtype = xw.dtype;
  return runKernel1(
    op,
    'simple_rnn_cell',
    [xw, h, recurrentKernel],
    [],
    { shape: h.shape, dtype },
    {
      save: [h, recurrentKernel],
      saveOutputs: true,
      grad: ([dh], [hs, us, hNew]) =>
        runKernel(
          op,
          'simple_rnn_cell_backward',
          [hs, us, hNew, dh],
          [],
          [
            { shape: xw.shape, dtype },
            { shape: h.shape, dtype },
            { shape: recurrentKernel.shape, dtype },
          ],
          unsupportedSecondOrder(op, 'simple_rnn_cell_backward'),
        ),
    },
  );
}

/** One LSTM step (gates i, f, c, o): returns [h', c']. */
export function lstmCell(xw: Tensor, h: Tensor, c: Tensor, recurrentKernel: Tensor): [Tensor, Tensor] {
  if (arguments.length > 4) throw tooManyArguments('lstmCell', 4, arguments.length);
  const op = 'lstmCell';
  const u = checkCell(op, xw, h, recurrentKernel, 4);
  checkTensors(op, { c });
  if (c.rank !== 2 || c.shape[0] !== h.shape[0] || c.shape[1] !== u) {
    throw new Error(`${op}: expected the carry c of shape [${h.shape.join(', ')}], got [${c.shape.join(', ')}]`);
  }
  const dtype = xw.dtype;
  // Run unrecorded, then record the step with its two real outputs (the gates are saved).
  const [hNew, cNew, gates] = runKernel(
    op,
    'lstm_cell',
    [xw, h, c, recurrentKernel],
    [],
    [
      { shape: h.shape, dtype },
      { shape: h.shape, dtype },
      { shape: xw.shape, dtype },
    ],
  );
  recordOp(op, [xw, h, c, recurrentKernel], [hNew, cNew], {
    save: [h, c, recurrentKernel, gates, cNew],
    grad: ([dh, dc], [hs, cs, us, gs, cn]) =>
      runKernel(
        op,
        'lstm_cell_backward',
        [hs, cs, us, gs, cn, dh, dc],
        [],
        [
          { shape: xw.shape, dtype },
          { shape: h.shape, dtype },
          { shape: c.shape, dtype },
          { shape: recurrentKernel.shape, dtype },
        ],
        unsupportedSecondOrder(op, 'lstm_cell_backward'),
      ),
  });
  gates.dispose();
  return [hNew, cNew];
}

/**
 * One GRU step (gates z, r, h). `resetAfter` is Keras's reset_after (its default, true):
 * the reset gate multiplies (h U_h + recurrentBias_h).
 */
export function gruCell(xw: Tensor, h: Tensor, recurrentKernel: Tensor, recurrentBias: Tensor, resetAfter = true): Tensor {
  if (arguments.length > 5) throw tooManyArguments('gruCell', 5, arguments.length);
  const op = 'gruCell';
  const u = checkCell(op, xw, h, recurrentKernel, 3);
  checkTensors(op, { recurrentBias });
  if (recurrentBias.rank !== 1 || recurrentBias.shape[0] !== 3 * u) {
    throw new Error(`${op}: expected the recurrent bias of shape [${3 * u}], got [${recurrentBias.shape.join(', ')}]`);
  }
  const dtype = xw.dtype;
  const [hNew, gates] = runKernel(op, 'gru_cell', [xw, h, recurrentKernel, recurrentBias], packAttrs.gru_cell({ resetAfter }), [
    { shape: h.shape, dtype },
    { shape: [h.shape[0], 4 * u], dtype },
  ]);
  recordOp(op, [xw, h, recurrentKernel, recurrentBias], [hNew], {
    save: [h, recurrentKernel, gates],
    grad: ([dh], [hs, us, gs]) =>
      runKernel(
        op,
        'gru_cell_backward',
        [hs, us, gs, dh],
        packAttrs.gru_cell_backward({ resetAfter }),
        [
          { shape: xw.shape, dtype },
          { shape: h.shape, dtype },
          { shape: recurrentKernel.shape, dtype },
          { shape: recurrentBias.shape, dtype },
        ],
        unsupportedSecondOrder(op, 'gru_cell_backward'),
      ),
  });
  gates.dispose();
  return hNew;
}
