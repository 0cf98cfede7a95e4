// Keras's inception_resnet_v2.CustomScaleLayer: x + scale * residual, the join of each
// Inception-ResNet block. Registered internally so a model's config naming it loads.
import { add, mul } from '../ops/binary';
import type { Tensor } from '../tensor/tensor';
import { Layer, type LayerArgs } from '../layers/layer';
import { registerInternalLayer } from '../layers/serialization';
import type { SymbolicShape } from '../layers/symbolic_tensor';

/** Options of CustomScaleLayer. */
export interface CustomScaleLayerArgs extends LayerArgs {
  /** The factor of the second input. */
  scale: number;
}

/** [x, r] -> x + scale * r. */
export class CustomScaleLayer extends Layer {
  static override className = 'CustomScaleLayer';
  /** The factor of the second input. */
  readonly scale: number;
  constructor(args: CustomScaleLayerArgs) {
    const { scale, ...rest } = args;
    super(rest);
    if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new Error(`${this.name}: scale must be a finite number, got ${String(scale)}`);
    this.scale = scale;
  }
  override call(inputs: Tensor[]): Tensor {
    return add(inputs[0], mul(inputs[1], this.scale));
  }
  override computeOutputShape(inputShape: SymbolicShape[]): SymbolicShape {
    return inputShape[0];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale };
  }
}
registerInternalLayer(CustomScaleLayer);
