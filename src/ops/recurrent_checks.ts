// The argument checks the recurrent ops share (recurrent.ts, recurrent_sequence.ts).
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** Each argument must be a live tensor before its shape is read. */
export function checkTensors(op: string, args: Record<string, unknown>): void {
  for (const [name, t] of Object.entries(args)) {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected ${name} to be a Tensor, got ${describe(t)}`);
    if (t.isDisposed) throw new Error(`${op}: ${name} (shape [${t.shape.join(', ')}]) is a disposed tensor`);
  }
}
