// The gradient rule of a fused backward kernel that has no gradient of its own: without
// one, an outer tape would take the kernel's output as a constant and a second derivative
// through it would come out silently wrong (internal, not re-exported by the ops index).
import { isRecording, type GradRule } from '../tensor/run';

/**
 * @internal Under an outer tape, a rule that throws when a gradient reaches `kernel`;
 * undefined otherwise, so first-order training allocates nothing for it.
 */
export function unsupportedSecondOrder(op: string, kernel: string): GradRule | undefined {
  if (!isRecording()) return undefined;
  return {
    grad: () => {
      throw new Error(`${op}: second-order gradients through ${op} are not supported (its gradient kernel ${kernel} has no gradient of its own)`);
    },
  };
}
