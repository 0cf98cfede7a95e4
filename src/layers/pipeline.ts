// Pipeline (Keras 3's keras.layers.Pipeline): preprocessing layers applied in sequence, as a
// plain layer rather than a model, for Dataset.map as well as inside models. As Keras's, it
// runs in training mode unless told otherwise (an augmentation pipeline mapped over a
// dataset augments); inside a model, the model's fit / predict say which. Eagerly it also
// takes Keras's {images, labels, bounding_boxes, segmentation_masks} when all its layers do.
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { isSerialized, type Serialized } from '../serialization/registry';
import { Layer, type CallArgs, type CallOptions, type Invocation, type LayerOutput, type Mask } from './layer';
import { layerOptions } from './layer_options';
import { deserializeLayer, serializeLayer } from './serialization';
import { flattenNested, packNested, type Nested, type Structure } from './structure';
import { isPlainObject, layerTakesImageDict, refuseImageDict, routeImageDict } from './image_dict_input';

/** Options of pipeline. */
export interface PipelineArgs {
  /** The layers, applied first to last (or their {className, config}). */
  layers: (Layer<any> | Serialized)[];
  /** The layer's name. */
  name?: string;
}

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

/**
 * Applies a list of (preprocessing) layers in sequence, as Keras 3's Pipeline: a layer, not a
 * model, so it maps over a Dataset as well as it sits in a model. Training mode unless told.
 * @example
 * const augment = layers.pipeline([layers.randomFlip(), layers.randomRotation({factor: 0.1})]);
 * const augmented = ds.map(([x, y]) => [augment.apply(x), y]);
 */
export class Pipeline extends Layer<any> {
  static override className = 'Pipeline';
  /** The layers, in the order they run. */
  readonly layers: Layer<any>[];

  /** Takes {layers, name?}, or the list of layers (Keras's Pipeline(layers)). */
  constructor(args: PipelineArgs | (Layer<any> | Serialized)[]) {
    if (args instanceof Layer) throw new Error(`Pipeline: expected a list of layers or {layers: [...]}, got the layer ${args.name}; write [${args.name}]`);
    if (Array.isArray(args)) args = { layers: args };
    args = layerOptions(Pipeline, new.target, args);
    super({ ...(args.name === undefined ? {} : { name: args.name }) });
    if (!Array.isArray(args.layers)) throw new Error(`${this.name}: expected layers to be a list of layers, got ${describe(args.layers)}`);
    this.layers = args.layers.map((l, i) => {
      const layer = isSerialized(l) ? deserializeLayer(l) : l;
      if (!(layer instanceof Layer)) throw new Error(`${this.name}: expected layers[${i}] to be a Layer, got ${describe(l)}`);
      return layer;
    });
    this.supportsMasking = true;
  }

  /** @internal Training unless the caller says (Keras's Pipeline.call defaults training to true). */
  override invoke(
    flat: Tensor[],
    structure: Structure,
    training: boolean | undefined,
    masks: Mask[] | undefined,
    wantMasks: boolean,
    callArgs?: CallArgs,
  ): Invocation {
    return super.invoke(flat, structure, training ?? true, masks, wantMasks, callArgs);
  }

  // Keras's {images, bounding_boxes, ...} (an object with images): flattened once here; each layer checks it takes it.
  protected override applyWithCallArgs(inputs: unknown, options: CallOptions, callArgs: CallArgs | undefined): unknown {
    if (!(isPlainObject(inputs) && 'images' in inputs)) return super.applyWithCallArgs(inputs, options, callArgs);
    return routeImageDict(this.name, inputs, true, undefined, (x) => super.applyWithCallArgs(x, options, callArgs));
  }

  override call(inputs: Nested<Tensor>, options: CallOptions): LayerOutput {
    return this.callAndComputeMask(inputs, options, false).outputs;
  }

  // Each layer gets the previous one's outputs and their masks.
  protected override callAndComputeMask(inputs: Nested<Tensor>, options: CallOptions, wantMask: boolean): { outputs: LayerOutput; mask: Mask | Mask[] } {
    let x: Nested<Tensor> = inputs;
    let mask: Mask | Mask[] | undefined = options.mask;
    for (const layer of this.layers) {
      const { flat, structure } = flattenNested(this.name, x, isTensor, 'a Tensor');
      // An image dict goes only to layers that move boxes and masks with the images.
      if (structure.kind === 'dict' && structure.keys.includes('images') && !layerTakesImageDict(layer)) refuseImageDict(layer.name, x);
      const masks = mask === undefined || mask === null ? undefined : Array.isArray(mask) ? mask : [mask];
      const r = layer.invoke(flat, structure, options.training, masks, true);
      x = packNested(r.outputs, r.structure);
      mask = r.structure.kind === 'single' ? r.masks[0] : r.masks;
    }
    return { outputs: x as LayerOutput, mask: wantMask ? (mask ?? null) : null };
  }

  // Keras's config: the layers and the name only.
  override getConfig(): Record<string, unknown> {
    return { name: this.name, layers: this.layers.map((l) => serializeLayer(l)) };
  }
}
