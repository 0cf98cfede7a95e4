// Keras 3's keras.layers.Wrapper: the base class of layers that wrap one layer
// (TimeDistributed, SpectralNormalization, a user's own). The wrapped layer is a property,
// so its weights, trainable flag and disposal go with the wrapper (Layer's tracking).
import { describe } from '../tensor/shape';
import { isSerialized, type Serialized } from '../serialization/registry';
import { Layer, type LayerArgs, type OutputKind } from './layer';
import { layerOptions } from './layer_options';
import { deserializeLayer, serializeLayer } from './serialization';
import type { SymbolicShape } from './symbolic_tensor';

/** Options of a Wrapper. */
export interface WrapperArgs extends LayerArgs {
  /** The layer to wrap (or its {className, config}). */
  layer: Layer<any> | Serialized;
}

// @internal Builds a wrapped layer (once) when its wrapper is built, as Keras does: its weights
// exist from the model's definition on (summary, countParams, saving before any call).
export function buildSublayer(layer: Layer<any>, inputShape: SymbolicShape | SymbolicShape[]): void {
  if (layer.built) return;
  layer.build(inputShape);
  layer.built = true;
  layer.buildInputShape = inputShape;
}

/**
 * The base class of a layer wrapping another (Keras's Wrapper): subclass it and define
 * call. It builds the wrapped layer on the wrapper's input shape (override build for
 * another), and its config holds the wrapped layer serialized under 'layer'.
 * @example class Twice extends layers.Wrapper { call(x) { return mul(this.layer.apply(x), 2); } }
 */
export class Wrapper<K extends OutputKind = 'single'> extends Layer<K> {
  static override className = 'Wrapper';
  /** The wrapped layer. */
  readonly layer: Layer<any>;

  constructor(args: WrapperArgs) {
    args = layerOptions(Wrapper, new.target, args);
    super(args);
    const layer = isSerialized(args?.layer) ? deserializeLayer(args.layer) : args?.layer;
    if (!(layer instanceof Layer)) throw new Error(`${this.name}: expected layer to be a Layer (or its {className, config}), got ${describe(layer)}`);
    this.layer = layer;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    buildSublayer(this.layer, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }
}
