// InputLayer and input(): the entry points of a functional model. An InputLayer is never
// run; the graph feeds the caller's tensor in its place.
import { tooManyArguments } from '../options/arity';
import { checkDType, type DType } from '../tensor/dtype';
import { Layer, checkSymbolicShape } from './layer';
import { Node } from './node';
import type { SymbolicShape, SymbolicTensor, TensorSpec } from './symbolic_tensor';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';
import { floatx } from '../config/settings';

/** Options of input(). */
export interface InputArgs {
  /** The shape without the batch dimension; null for unknown sizes (e.g. sequence length). */
  shape?: SymbolicShape;
  /** The shape with the batch dimension (instead of shape). */
  batchShape?: SymbolicShape;
  /** A fixed batch size (default: any). */
  batchSize?: number;
  /**
   * Default config.floatx() (float32 unless set); int32 for token ids; 'string' for raw strings (Keras's dtype='string'),
   * which only a string layer (textVectorization, stringLookup, hashing) may take: the model
   * then takes string[] for this input.
   */
  dtype?: DType | 'string';
  /** Default input_layer, input_layer_1, ... */
  name?: string;
  /** Keras's sparse inputs: not supported, only false is accepted (Keras files write it). */
  sparse?: boolean;
  /** Keras's ragged inputs: not supported, only false is accepted. */
  ragged?: boolean;
  /** Keras 3's optional inputs (the caller may pass null): not supported, only false is accepted (Keras 3.15 files write it). */
  optional?: boolean;
  /** TensorFlow.js's name for shape (tf.layers.inputLayer({inputShape})). */
  inputShape?: SymbolicShape;
  /** TensorFlow.js's name for batchShape. */
  batchInputShape?: SymbolicShape;
}

// shape under either name (they must agree when both are given).
function eitherName(
  op: string,
  keras: string,
  kerasValue: SymbolicShape | undefined,
  tfjs: string,
  tfjsValue: SymbolicShape | undefined,
): SymbolicShape | undefined {
  if (kerasValue !== undefined && tfjsValue !== undefined && JSON.stringify(kerasValue) !== JSON.stringify(tfjsValue)) {
    throw new Error(`${op}: ${keras} ${describe(kerasValue)} and ${tfjs} ${describe(tfjsValue)} disagree; they are one option (give one)`);
  }
  return kerasValue ?? tfjsValue;
}

/** @internal The dtype of a raw-string input()'s stand-in tensor (Keras's dtype='string'); no tensor has it. */
export const RAW_STRINGS = 'string' as DType;

/** Whether `t` is a raw-string input()'s stand-in, which only a string layer may take. */
export function isRawStrings(t: SymbolicTensor): boolean {
  return t.dtype === RAW_STRINGS;
}

/** The layer behind an input(): holds the input's shape and dtype. */
export class InputLayer extends Layer {
  static override className = 'InputLayer';

  constructor(args: InputArgs) {
    args = layerOptions(InputLayer, new.target, args);
    const op = 'input';
    if (typeof args !== 'object' || args === null) throw new Error(`${op}: expected {shape} or {batchShape}, got ${describe(args)}`);
    const { inputShape, batchInputShape, ...keras } = args;
    args = {
      ...keras,
      shape: eitherName(op, 'shape', args.shape, 'inputShape', inputShape),
      batchShape: eitherName(op, 'batchShape', args.batchShape, 'batchInputShape', batchInputShape),
    };
    if ((args.shape === undefined) === (args.batchShape === undefined)) {
      throw new Error(`${op}: give exactly one of shape (without the batch dimension) and batchShape`);
    }
    for (const unsupported of ['sparse', 'ragged', 'optional'] as const) {
      if (args[unsupported] !== undefined && args[unsupported] !== false)
        throw new Error(`${op}: ${unsupported} inputs are not supported (${unsupported} must be false), got ${describe(args[unsupported])}`);
    }
    const batchShape =
      args.batchShape !== undefined
        ? checkSymbolicShape(op, args.batchShape, 'batchShape')
        : [args.batchSize ?? null, ...checkSymbolicShape(op, args.shape, 'shape')];
    // Keras's Input(shape=(1,), dtype='string'): a stand-in until a string layer takes it
    // (stringInputFor); strings themselves travel as JS arrays (string_input.ts).
    const raw = (args.dtype as string) === 'string';
    const dtype = raw ? 'float32' : checkDType(op, args.dtype ?? floatx());
    super({ name: args.name, dtype, batchInputShape: batchShape });
    this.built = true;
    new Node(this, [], { kind: 'single' }, [{ shape: batchShape, dtype: raw ? RAW_STRINGS : dtype }], { kind: 'single' });
  }

  /**
   * @internal The input a graph gets in place of this raw-string input: what `consumer` (the
   * string layer applied to it) encodes the strings to, made at that layer's first apply.
   */
  stringInputFor(consumer: Layer<any>, encoded: TensorSpec): SymbolicTensor {
    if (this.encoded === null) {
      this.encoded = { consumer, tensor: new InputLayer({ batchShape: encoded.shape, dtype: encoded.dtype, name: this.name }).tensor };
    } else if (this.encoded.consumer !== consumer) {
      throw new Error(
        `${consumer.name}: input '${this.name}' holds raw strings that ${this.encoded.consumer.name} already encodes; one string layer takes an input (share its output instead)`,
      );
    }
    return this.encoded.tensor;
  }

  /** @internal The graph's input for this raw-string input (see stringInputFor); throws when no string layer took it. */
  graphInput(model: string): SymbolicTensor {
    if (this.encoded === null) {
      throw new Error(`${model}: input '${this.name}' holds raw strings, but no string layer (textVectorization, stringLookup, hashing) was applied to it`);
    }
    return this.encoded.tensor;
  }

  private encoded: { consumer: Layer<any>; tensor: SymbolicTensor } | null = null;

  /** The symbolic tensor this input stands for. */
  get tensor(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  override call(): never {
    throw new Error(`InputLayer ${this.name} is not called: a model feeds its inputs in its place`);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype, batchShape: [...this.batchInputShape!] };
  }
}

/**
 * A symbolic input of a functional model.
 * @example const x = input({shape: [784]}); // [null, 784]
 */
export function input(args: InputArgs): SymbolicTensor {
  if (arguments.length > 1) throw tooManyArguments('input', 1, arguments.length);
  return new InputLayer(args).tensor;
}
