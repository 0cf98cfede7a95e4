// DropConnect (Wan et al. 2013): dropout on a wrapped layer's kernel instead of its
// activations, in training only. Each training call drops a fresh mask of the kernel's
// entries (scaling the kept ones by 1 / (1 - rate), so the identity at inference needs
// no rescaling); the gradient reaches the kernel through the same mask.
import { layerFactory } from './keras_positional';
import { dropout } from '../ops/dropout';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { isSerialized, type Serialized } from '../serialization/registry';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import { SeedSequence } from './seeds';
import { deserializeLayer, serializeLayer } from './serialization';
import type { SymbolicShape } from './symbolic_tensor';
import { buildSublayer } from './wrappers';

/** Options of dropConnect. */
export interface DropConnectArgs extends LayerArgs {
  /** The layer whose `kernel` is dropped (dense, conv, ...; or its {className, config}). */
  layer: Layer<any> | Serialized;
  /** Fraction of the kernel's entries to drop, in [0, 1). */
  rate: number;
  /** Makes the sequence of masks repeatable (null: the global stream). */
  seed?: number | null;
}

/**
 * Applies `layer` with dropout on its kernel in training; `layer` unchanged in inference.
 * @example layers.dropConnect({layer: layers.dense({units: 64}), rate: 0.3})
 */
export class DropConnect extends Layer {
  static override className = 'DropConnect';
  /** The wrapped layer. */
  readonly layer: Layer<any>;
  /** Drop probability of each kernel entry. */
  readonly rate: number;
  /** Seed of the masks (null: the global stream). */
  readonly seed: number | null;
  private readonly seeds: SeedSequence;

  constructor(args: DropConnectArgs) {
    args = layerOptions(DropConnect, new.target, args);
    super(args);
    const layer = isSerialized(args?.layer) ? deserializeLayer(args.layer) : args?.layer;
    if (!(layer instanceof Layer)) throw new Error(`${this.name}: expected layer to be a Layer, got ${describe(layer)}`);
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1))
      throw new Error(`${this.name}: expected rate in [0, 1), got ${describe(args.rate)}`);
    this.layer = layer;
    this.rate = args.rate;
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
  }

  override build(inputShape: SymbolicShape): void {
    buildSublayer(this.layer, inputShape);
    if (!(this.holder().kernel instanceof Variable)) {
      throw new Error(`${this.name}: expected the wrapped layer ${this.layer.name} to have a kernel weight, it has none`);
    }
  }

  private holder(): { kernel?: Tensor | null } {
    return this.layer as unknown as { kernel?: Tensor | null };
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return this.layer.apply(x, { training }) as Tensor;
    const holder = this.holder();
    const kernel = holder.kernel!;
    // The layer reads its kernel field during this one call: lend it the dropped kernel.
    holder.kernel = dropout(kernel, this.rate, undefined, this.seeds.next());
    try {
      return this.layer.apply(x, { training }) as Tensor;
    } finally {
      holder.kernel = kernel;
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.layer.computeOutputShape(inputShape) as SymbolicShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeLayer(this.layer), rate: this.rate, seed: this.seed };
  }
}

/** Dropout on a wrapped layer's kernel during training. */
export const dropConnect = layerFactory(DropConnect);
