// LayerScale (Touvron et al. 2021, "Going deeper with image transformers"): a learned
// per-channel scale of a residual branch, started small so each block begins near the
// identity. Keras defines it in keras.applications.convnext (its class name in files).
import { mul } from '../ops/binary';
import { describe } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import { Layer, type LayerArgs } from './layer';
import { layerFactory } from './keras_positional';
import { layerOptions } from './layer_options';
import type { SymbolicShape } from './symbolic_tensor';

/** Options of layerScale. */
export interface LayerScaleArgs extends LayerArgs {
  /** The scale's initial value (ConvNeXt: 1e-6). */
  initValues: number;
  /** The number of channels (the input's last axis). */
  projectionDim: number;
}

/**
 * Multiplies the last axis by a learned scale of `projectionDim` values, each started at `initValues`.
 * @example layers.layerScale({initValues: 1e-6, projectionDim: 96})
 */
export class LayerScale extends Layer {
  static override className = 'LayerScale';
  /** The scale's initial value. */
  readonly initValues: number;
  /** The number of channels scaled. */
  readonly projectionDim: number;
  /** The scale, [projectionDim]; created by build (Keras names it 'variable'). */
  gamma: Variable | null = null;

  constructor(args: LayerScaleArgs) {
    args = layerOptions(LayerScale, new.target, args);
    super(args);
    if (typeof args?.initValues !== 'number' || !Number.isFinite(args.initValues))
      throw new Error(`${this.name}: expected initValues to be a finite number, got ${describe(args?.initValues)}`);
    if (!Number.isInteger(args.projectionDim) || args.projectionDim < 1)
      throw new Error(`${this.name}: expected projectionDim to be a positive integer, got ${describe(args.projectionDim)}`);
    this.initValues = args.initValues;
    this.projectionDim = args.projectionDim;
  }

  override build(inputShape: SymbolicShape): void {
    const last = inputShape[inputShape.length - 1];
    if (last !== null && last !== this.projectionDim)
      throw new Error(`${this.name}: expected inputs with ${this.projectionDim} channels on the last axis (projectionDim), got shape ${describe(inputShape)}`);
    // Keras's add_weight without a name: the weight is 'variable', the name files use.
    this.gamma = this.addWeight('variable', [this.projectionDim], this.dtype, { className: 'Constant', config: { value: this.initValues } });
  }

  override call(x: Tensor): Tensor {
    return mul(x, this.gamma!);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initValues: this.initValues, projectionDim: this.projectionDim };
  }
}

/** A learned per-channel scale (ConvNeXt's layer scale). */
export const layerScale = layerFactory(LayerScale);
