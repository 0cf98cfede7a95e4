// Keras 3's ctc loss: ctcLoss with class 0 as the blank, every time step valid and the
// label count of each sample its number of non-zero labels.
import { ctcLoss } from '../ops/ctc_loss';
import { toTensor } from '../ops/convert';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { tooManyArguments } from '../options/arity';
import { shapeText } from './inputs';

/**
 * The CTC loss per sample of integer labels yTrue [batch, maxLabelLength] (0 is the
 * blank and pads) against logits yPred [batch, time, classes].
 */
export function ctc(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('ctc', 2, arguments.length);
  const op = 'ctc';
  return tidy(() => {
    const labels = toTensor(op, 'yTrue', yTrue);
    const logits = toTensor(op, 'yPred', yPred);
    if (labels.rank !== 2) throw new Error(`${op}: expected yTrue of shape [batch, maxLabelLength] (integer labels), got ${shapeText(labels.shape)}`);
    if (logits.rank !== 3) throw new Error(`${op}: expected yPred of shape [batch, time, classes] (logits), got ${shapeText(logits.shape)}`);
    const [batch, time] = logits.shape;
    const values = labels.dataSync();
    const counts = new Int32Array(labels.shape[0]);
    for (let i = 0; i < values.length; i++) if (Number(values[i]) !== 0) counts[Math.floor(i / labels.shape[1])]++;
    const steps = new Int32Array(batch).fill(time);
    return ctcLoss(labels, logits, fromTypedArray(counts, [counts.length], 'int32', logits.device), fromTypedArray(steps, [batch], 'int32', logits.device), 0);
  });
}
