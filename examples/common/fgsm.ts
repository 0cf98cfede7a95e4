// The fast gradient sign method (Goodfellow et al. 2015), shared by the adversarial examples.
import * as ts from '../../src';

/** x + epsilon * sign(d loss / d x) against `model` (in inference mode), kept in the pixel range [0, 1]. */
export function fgsm(model: ts.Model, loss: ts.Loss, x: ts.Tensor, y: ts.Tensor, epsilon: number): ts.Tensor {
  return ts.tidy(() => {
    // Watch the input, not the weights: the gradient wanted is the input's.
    const tape = new ts.GradientTape({ watchAccessedVariables: false });
    tape.watch(x);
    const value = loss.apply(y, model.apply(x, { training: false }));
    const dx = tape.gradient(value, x)!;
    return ts.clipByValue(ts.add(x, ts.mul(ts.sign(dx), epsilon)), 0, 1);
  });
}
