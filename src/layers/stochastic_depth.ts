// StochasticDepth (Huang et al. 2016), timm's DropPath: in training, drops a residual branch
// for whole samples (each sample's branch kept with probability 1 - rate and then scaled by
// 1 / (1 - rate)); the identity in inference. Keras defines it in keras.applications.convnext.
import { dropout } from '../ops/dropout';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { layerFactory } from './keras_positional';
import { layerOptions } from './layer_options';
import { SeedSequence } from './seeds';
import type { SymbolicShape } from './symbolic_tensor';

/** Options of stochasticDepth. */
export interface StochasticDepthArgs extends LayerArgs {
  /** The probability of dropping a sample's branch, in [0, 1). */
  dropPathRate: number;
}

/**
 * Drops the whole input of a sample with probability `dropPathRate` during training.
 * @example layers.stochasticDepth({dropPathRate: 0.1})
 */
export class StochasticDepth extends Layer {
  static override className = 'StochasticDepth';
  /** The probability of dropping a sample's branch. */
  readonly dropPathRate: number;
  private readonly seeds: SeedSequence;

  constructor(args: StochasticDepthArgs) {
    args = layerOptions(StochasticDepth, new.target, args);
    super(args);
    const rate = args?.dropPathRate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${this.name}: expected dropPathRate in [0, 1), got ${describe(rate)}`);
    this.dropPathRate = rate;
    this.seeds = new SeedSequence(this.name, null);
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.dropPathRate === 0) return x;
    // One draw per sample: the mask spans every axis but the batch.
    const perSample = x.shape.map((d, i) => (i === 0 ? d : 1));
    return dropout(x, this.dropPathRate, perSample, this.seeds.next());
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dropPathRate: this.dropPathRate };
  }
}

/** Drops residual branches per sample in training (ConvNeXt's drop path). */
export const stochasticDepth = layerFactory(StochasticDepth);
