// Keras 3's warning for a classic silent mistake: a crossentropy told its predictions are
// logits (fromLogits: true) on an output that a softmax or sigmoid already squashed. The
// loss then squashes them twice, its gradients shrink, and training stalls with no error.
import type { Loss } from '../losses/loss';
import type { SymbolicTensor } from '../layers/symbolic_tensor';

/** 'softmax' or 'sigmoid' when the layer producing `output` ends in that activation, else null. */
function squashingActivation(output: SymbolicTensor): string | null {
  const layer = output.node.layer as { getConfig?: () => Record<string, unknown> };
  const className = layer.constructor.name;
  if (className === 'Softmax') return 'softmax';
  let activation: unknown;
  try {
    activation = layer.getConfig?.().activation;
  } catch {
    return null; // a custom layer whose config cannot be read: nothing to say
  }
  return activation === 'softmax' || activation === 'sigmoid' ? activation : null;
}

/** Warns (once per compile, per output) where a loss reads logits from a softmax or sigmoid output. */
export function warnSquashedLogits(modelName: string, outputs: SymbolicTensor[], outputNames: string[], losses: (Loss | null)[]): void {
  losses.forEach((loss, i) => {
    const output = outputs[i];
    if (output === undefined || loss === null) return;
    let config: Record<string, unknown>;
    try {
      config = loss.getConfig();
    } catch {
      return; // a custom loss whose config cannot be read: nothing to say
    }
    if (config.fromLogits !== true) return;
    const activation = squashingActivation(output);
    if (activation === null) return;
    console.warn(
      `${modelName}.compile: the loss '${String(config.name)}' of output '${outputNames[i]}' has fromLogits: true, but that output comes from a ${activation} activation (layer '${output.node.layer.name}'), so it does not hold logits. Was this intended? Drop the activation, or set fromLogits: false.`,
    );
  });
}
