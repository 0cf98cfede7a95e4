// Layers that rearrange elements without computing: flatten, reshape, permute, repeatVector.
import { expandDims, reshape } from '../ops/reshape';
import { tile } from '../ops/tile';
import { transpose } from '../ops/transpose';
import type { Tensor } from '../tensor/tensor';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';
import { describe } from '../tensor/shape';
import { standardizeDataFormat } from '../config/settings';
import type { DataFormat } from './conv_utils';

const product = (dims: (number | null)[]): number | null => (dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1));

// Reshaping layers keep int inputs (ids, masks) as they are.
abstract class Rearrangement extends Layer {
  protected override castInputs(inputs: Tensor[]): Tensor[] {
    return inputs;
  }
}

/** Options of flatten. */
export interface FlattenArgs extends LayerArgs {
  /**
   * The layout of the input: 'channelsFirst' flattens as channels-last (channels moved last
   * first), as Keras does. Default config.imageDataFormat(), resolved when the layer is made.
   */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/** Flattens each example: [batch, ...] -> [batch, product of the rest]. */
export class Flatten extends Rearrangement {
  static override className = 'Flatten';
  /** The input's layout; channels-first inputs are flattened in channels-last order. */
  readonly dataFormat: DataFormat;
  constructor(args: FlattenArgs = {}) {
    args = layerOptions(Flatten, new.target, args);
    super(args);
    this.dataFormat = standardizeDataFormat(this.name, args.dataFormat);
    this.inputSpec = new InputSpec({ minNdim: 1 });
  }
  override call(x: Tensor): Tensor {
    // Keras's Flatten moves channels-first channels last, so both layouts flatten alike.
    if (this.dataFormat === 'channelsFirst' && x.rank > 2) x = transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
    return reshape(x, [x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], product(inputShape.slice(1))];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/** Options of reshape. */
export interface ReshapeArgs extends LayerArgs {
  /** The shape of each example (without the batch dimension); one entry may be -1. */
  targetShape: number[];
}

/** Reshapes each example to targetShape. */
export class Reshape extends Rearrangement {
  static override className = 'Reshape';
  /** The shape of each example, without the batch dimension; one entry may be -1. */
  readonly targetShape: number[];
  constructor(args: ReshapeArgs) {
    args = layerOptions(Reshape, new.target, args);
    super(args);
    const t = args?.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || d < -1) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`${this.name}: expected targetShape to be an array of non-negative integers with at most one -1, got ${describe(t)}`);
    }
    this.targetShape = [...t];
  }
  override call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], ...(this.computeOutputShape(x.shape).slice(1) as number[])]);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const size = product(inputShape.slice(1));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknownAt = this.targetShape.indexOf(-1);
    const fail = () => {
      throw new Error(
        `${this.name}: cannot reshape examples of shape ${formatShape(inputShape.slice(1))} (${size} values) to ${formatShape(this.targetShape)}`,
      );
    };
    if (unknownAt < 0) {
      if (size !== null && size !== known) fail();
      return [inputShape[0], ...this.targetShape];
    }
    if (size !== null && (known === 0 || size % known !== 0)) fail();
    const out: SymbolicShape = [inputShape[0], ...this.targetShape];
    out[unknownAt + 1] = size === null ? null : size / known;
    return out;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

/** Options of permute. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank-1 (1-based, the batch dimension stays first, as in Keras). */
  dims: number[];
}

/** Permutes the non-batch dimensions: dims [2, 1] swaps the two of a rank-3 input. */
export class Permute extends Rearrangement {
  static override className = 'Permute';
  /** The permutation of the non-batch dimensions, 1-based. */
  readonly dims: number[];
  constructor(args: PermuteArgs) {
    args = layerOptions(Permute, new.target, args);
    super(args);
    const dims = args?.dims;
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : [];
    if (!Array.isArray(dims) || dims.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new Error(
        `${this.name}: expected dims to be a permutation of 1..${Array.isArray(dims) ? dims.length : 'n'} (1-based, batch excluded), got ${describe(dims)}`,
      );
    }
    this.dims = [...dims];
    this.inputSpec = new InputSpec({ ndim: dims.length + 1 });
  }
  override call(x: Tensor): Tensor {
    return transpose(x, [0, ...this.dims]);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

/** Options of repeatVector. */
export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat. */
  n: number;
}

/** Repeats each example n times: [batch, features] -> [batch, n, features]. */
export class RepeatVector extends Rearrangement {
  static override className = 'RepeatVector';
  /** How many times each example is repeated. */
  readonly n: number;
  constructor(args: RepeatVectorArgs) {
    args = layerOptions(RepeatVector, new.target, args);
    super(args);
    this.n = checkPositiveInt(this.name, 'n', args?.n);
    this.inputSpec = new InputSpec({ ndim: 2 });
  }
  override call(x: Tensor): Tensor {
    return tile(expandDims(x, 1), [1, this.n, 1]);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], this.n, inputShape[1]];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
