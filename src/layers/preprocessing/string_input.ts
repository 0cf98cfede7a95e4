// How strings reach a model. There is no string tensor: strings travel as plain JS arrays
// (string[] for a batch of texts, string[][] for a batch of token rows). A layer that takes
// strings (textVectorization, stringLookup, hashing) is a "boundary" layer: its `encode`
// turns the raw batch into its numeric output eagerly, and inside a model's graph its call
// passes that encoded tensor on unchanged. The model runs the encode of the layer that
// consumes each input before the graph (fit, evaluate, predict, apply), so the graph,
// batching and autograd only ever see tensors. Chosen for simplicity: no new dtype in the
// engine, and a saved model still takes raw strings because the layer (with its
// vocabulary) is part of the model. Keras's input(dtype='string') is a stand-in: the
// boundary layer applied to it gives the graph an input of its encoded shape instead
// (InputLayer.stringInputFor).
import type { DType } from '../../tensor/dtype';
import { checkNoHoles } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { isStringBatch, type StringBatch } from './strings';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import type { SymbolicShape, SymbolicTensor } from '../symbolic_tensor';
import type { InputLayer } from '../input_layer';

/** The base of layers that take raw strings (or numbers) and encode them before a model's graph. */
export abstract class BoundaryLayer extends Layer {
  constructor(args: LayerArgs) {
    super(args);
  }

  /** The layer's whole computation on a raw batch: strings or a tensor in, a tensor out. */
  abstract encode(inputs: StringBatch | Tensor): Tensor;

  /** The shape `encode` produces for an input of `inputShape` (null where it varies). */
  abstract encodedShape(inputShape: SymbolicShape): SymbolicShape;

  /** The dtype `encode` produces. */
  abstract encodedDType(): DType;

  /** @internal A raw-string input() becomes, in the graph, an input of what this layer encodes it to. */
  protected override takeRawStrings(t: SymbolicTensor): SymbolicTensor {
    return (t.sourceLayer as InputLayer).stringInputFor(this, { shape: this.encodedShape(t.shape), dtype: this.encodedDType() });
  }

  /** @internal Applied directly, the layer encodes raw strings (or a tensor) at once. */
  override encodeRawInputs(inputs: unknown): unknown {
    // encode reads strings with map / for-of: a hole was skipped (a short tensor) or undefined.
    if (isStringBatch(inputs)) checkNoHoles(this.name, 'inputs', inputs);
    return isStringBatch(inputs) || inputs instanceof Tensor ? this.encode(inputs) : inputs;
  }

  // Inside a graph the input is already this layer's output (the model encoded it).
  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void options;
    return inputs as Tensor;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return inputShape as SymbolicShape;
  }
}

export function isBoundaryLayer(l: unknown): l is BoundaryLayer {
  return l instanceof BoundaryLayer;
}

/**
 * Encodes a model's raw inputs: strings for an input fed to a boundary layer go through its
 * encode; strings for any other input are an error naming the model. Tensors for a boundary
 * layer are its already-encoded output inside the model (`tensors: 'pass'`, model.apply and
 * the loops), but a user's raw tensor at fit / evaluate / predict (`'refuse'`), since that
 * layer's graph call would pass it on unencoded.
 */
export function encodeInputs(modelName: string, consumers: (Layer<any> | null)[], names: string[], x: unknown, tensors: 'pass' | 'refuse'): unknown {
  const encodeOne = (v: unknown, i: number): unknown => {
    const layer = consumers[i] ?? null;
    if (layer !== null && isBoundaryLayer(layer)) {
      if (isStringBatch(v)) {
        checkNoHoles(modelName, `input '${names[i]}'`, v, names[i]);
        return layer.encode(v);
      }
      if (Array.isArray(v) && v.length === 0) throw new Error(`${modelName}: input '${names[i]}' is an empty batch of strings`);
      if (v instanceof Tensor && tensors === 'refuse') {
        throw new Error(
          `${modelName}: input '${names[i]}' goes into ${layer.name}, which takes raw JS strings inside a model, got a ${v.dtype} tensor; ` +
            `apply ${layer.name} to tensors directly (e.g. in a Dataset map) instead`,
        );
      }
      return v;
    }
    if (isStringBatch(v)) {
      throw new Error(
        `${modelName}: input '${names[i]}' got JS strings, but its first layer ${layer?.name ?? '(none)'} takes tensors; ` +
          'only a model whose input goes straight into textVectorization, stringLookup or hashing takes strings',
      );
    }
    return v;
  };
  if (x instanceof Tensor || isStringBatch(x) || (Array.isArray(x) && x.length === 0)) return encodeOne(x, 0);
  if (Array.isArray(x)) return x.map(encodeOne);
  // Only a plain object is inputs by name (a SymbolicTensor is an object too).
  if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, names.includes(k) ? encodeOne(v, names.indexOf(k)) : v]));
  }
  return x;
}
