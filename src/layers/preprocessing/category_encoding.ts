// CategoryEncoding: integer ids -> one_hot / multi_hot / count rows of width numTokens.
// The same encoding serves the lookup and hashing layers' non-int output modes.
import { allocTypedArray, type DType } from '../../tensor/dtype';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import { formatShape, type SymbolicShape, type SymbolicTensor } from '../symbolic_tensor';
import { checkPositiveInt } from '../weight_settings';

/** How ids become rows. */
export type CountMode = 'one_hot' | 'multi_hot' | 'count';

/** Options of categoryEncoding. */
export interface CategoryEncodingArgs extends LayerArgs {
  /** Ids are in [0, numTokens). */
  numTokens: number;
  /** Default 'multi_hot'. */
  outputMode?: CountMode | TfjsModeSpelling<CountMode>;
  /** Not supported (there is no sparse tensor): must be false. */
  sparse?: boolean;
}

/** categoryEncoding's apply options: Keras's call(inputs, count_weights). */
export interface CategoryEncodingCallOptions<T = Tensor | SymbolicTensor> extends CallOptions {
  /** With outputMode 'count': a weight per id (the inputs' shape), summed per bin instead of counting 1. */
  countWeights?: T | null;
}

const MODES: CountMode[] = ['one_hot', 'multi_hot', 'count'];

/** TensorFlow.js's spellings of the output modes, read as Keras's. */
export type TfjsModeSpelling<M extends string> = M extends 'one_hot' ? 'oneHot' : M extends 'multi_hot' ? 'multiHot' : M extends 'tf_idf' ? 'tfIdf' : never;
const KERAS_SPELLING: Record<string, string> = { oneHot: 'one_hot', multiHot: 'multi_hot', tfIdf: 'tf_idf' };

/** outputMode in Keras's spelling (TensorFlow.js's camelCase accepted), `fallback` when absent; others refused. */
export function outputModeOf<M extends string>(op: string, mode: unknown, fallback: M, allowed: readonly M[]): M {
  const m = mode === undefined || mode === null ? fallback : typeof mode === 'string' ? (KERAS_SPELLING[mode] ?? mode) : mode;
  if (!allowed.includes(m as M)) throw new Error(`${op}: expected outputMode to be one of ${allowed.join(', ')}, got ${describe(mode)}`);
  return m as M;
}

/**
 * Rows of ids -> rows of width `width`: one_hot keeps the id axis ([n, k] -> [n, k, width],
 * a [n] or [n, 1] input -> [n, width]); multi_hot / count fold it ([n, k] -> [n, width]).
 */
export function encodeCounts(op: string, ids: ArrayLike<number>, shape: number[], width: number, mode: CountMode, weights?: ArrayLike<number>): Tensor {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (!Number.isInteger(v) || v < 0 || v >= width) throw new Error(`${op}: expected ids in [0, ${width}), got ${v}`);
  }
  const n = shape.length === 0 ? 1 : shape[0];
  const perRow = n === 0 ? 0 : ids.length / n;
  if (mode === 'one_hot') {
    const squeeze = shape.length <= 1 || (shape.length === 2 && shape[1] === 1);
    const out = allocTypedArray('float32', ids.length * width, op);
    for (let i = 0; i < ids.length; i++) out[i * width + ids[i]] = 1;
    return tensor(out, squeeze ? [...(shape.length === 0 ? [] : [n]), width] : [...shape, width], 'float32');
  }
  if (shape.length > 2) throw new Error(`${op}: ${mode} takes ids of rank 1 or 2, got shape [${shape}]`);
  const rows = shape.length === 0 ? 1 : n;
  const out = allocTypedArray('float32', rows * width, op);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < perRow; j++) {
      const i = r * perRow + j;
      const at = r * width + ids[i];
      if (mode === 'multi_hot') out[at] = 1;
      else out[at] += weights === undefined ? 1 : weights[i];
    }
  }
  return tensor(out, shape.length === 0 ? [width] : [rows, width], 'float32');
}

/** Encodes integer ids as one-hot, multi-hot or count rows (not differentiable: ids are data). */
export class CategoryEncoding extends Layer {
  static override className = 'CategoryEncoding';
  /** The tensors apply takes in its options (a functional model's node kwargs, Keras's count_weights). */
  static readonly tensorCallArgKeys = ['countWeights'] as const;
  /** Ids are in [0, numTokens). */
  readonly numTokens: number;
  /** How ids become rows. */
  readonly outputMode: CountMode;

  constructor(args: CategoryEncodingArgs) {
    args = layerOptions(CategoryEncoding, new.target, args);
    const { numTokens, outputMode, sparse, ...rest } = args;
    super(rest);
    this.numTokens = checkPositiveInt(this.name, 'numTokens', numTokens);
    this.outputMode = outputModeOf(this.name, outputMode, 'multi_hot', MODES);
    if (sparse) throw new Error(`${this.name}: sparse outputs are not supported (Tessera has no sparse tensor); leave sparse false`);
  }

  /**
   * Encodes the ids; with outputMode 'count', `options.countWeights` (shaped like the ids)
   * are summed per bin instead of 1 per id (Keras's count_weights).
   */
  override apply(inputs: SymbolicTensor, options?: CategoryEncodingCallOptions<SymbolicTensor>): SymbolicTensor;
  override apply(inputs: Tensor, options?: CategoryEncodingCallOptions<Tensor>): Tensor;
  override apply(inputs: any, options: CategoryEncodingCallOptions | null = {}): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const { countWeights: weights, ...rest } = checkOptions(`${this.name}.apply`, options, 'CategoryEncoding.apply');
    // [ids, countWeights]: the form Tessera's older files replay.
    const legacy = Array.isArray(inputs) && inputs.length === 2 && weights == null;
    const [ids, countWeights] = legacy ? inputs : [inputs, weights];
    if (countWeights === undefined || countWeights === null) return super.apply(ids, rest);
    this.checkCountMode();
    // The weights travel as a named part: a functional model keeps them with the node (its kwargs).
    return super.apply({ inputs: ids, countWeights } as never, rest);
  }

  private checkCountMode(): void {
    if (this.outputMode !== 'count') throw new Error(`${this.name}: countWeights apply to outputMode 'count' only, got outputMode '${this.outputMode}'`);
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void options;
    // {inputs, countWeights} when apply was given countWeights ([ids, countWeights] from build's shapes).
    const [x, weights] = inputs instanceof Tensor ? [inputs] : Array.isArray(inputs) ? inputs : [inputs.inputs, inputs.countWeights];
    if (weights === undefined) return encodeCounts(this.name, x.dataSync(), x.shape, this.numTokens, this.outputMode);
    this.checkCountMode();
    if (weights.shape.join() !== x.shape.join())
      throw new Error(`${this.name}: expected countWeights of the ids' shape ${formatShape(x.shape)}, got shape ${formatShape(weights.shape)}`);
    return encodeCounts(this.name, x.dataSync(), x.shape, this.numTokens, this.outputMode, weights.dataSync());
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    // With countWeights the shapes are [ids, weights]: the output follows the ids.
    const [s, w] = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as SymbolicShape[];
    if (w !== undefined && (w.length !== s.length || w.some((d, i) => d !== null && s[i] !== null && d !== s[i])))
      throw new Error(`${this.name}: expected countWeights of the ids' shape ${formatShape(s)}, got shape ${formatShape(w)}`);
    if (this.outputMode === 'one_hot') return s.length === 2 && s[1] === 1 ? [s[0], this.numTokens] : [...s, this.numTokens];
    return [s[0] ?? null, this.numTokens];
  }

  protected override outputDType(): DType {
    return 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode, sparse: false };
  }
}
