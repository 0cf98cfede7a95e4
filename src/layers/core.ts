// Small core layers: activation, identity, lambda (a function as a layer) and masking.
import * as activations from '../activations';
import { mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { notEqual } from '../ops/compare';
import { max } from '../ops/reduce';
import type { Tensor } from '../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs, type LayerOutput, type Mask, type OutputKind } from './layer';
import type { Nested } from './structure';
import type { SymbolicShape, TensorSpec } from './symbolic_tensor';
import { layerOptions } from './layer_options';

/** Options of activation. */
export interface ActivationArgs extends LayerArgs {
  /** A name ('relu', 'softmax', ...) or a function. */
  activation: activations.ActivationIdentifier;
}

/** Applies an activation function. */
export class Activation extends Layer {
  static override className = 'Activation';
  /** The activation as given, for getConfig. */
  readonly activation: activations.ActivationIdentifier;
  private readonly fn: activations.ActivationFn;

  constructor(args: ActivationArgs) {
    args = layerOptions(Activation, new.target, args);
    super(args);
    this.activation = args?.activation;
    this.fn = activations.get(this.activation, this.name);
    this.supportsMasking = true;
  }
  override call(x: Tensor): Tensor {
    return this.fn(x);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation, this.name) };
  }
}

/** Returns its input unchanged (a placeholder, or a named point in a graph). */
export class Identity extends Layer {
  static override className = 'Identity';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Identity, new.target, args);
    super(args);
    this.supportsMasking = true;
  }
  override call(x: Tensor): Tensor {
    return x;
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  protected override castInputs(inputs: Tensor[]): Tensor[] {
    return inputs;
  }
}

/** The function a lambda layer runs. */
export type LambdaFunction = (inputs: any, options: CallOptions) => LayerOutput;

/** Options of lambda. */
export interface LambdaArgs extends LayerArgs {
  /** The computation; it must create no weights (use a Layer subclass for that). */
  function: LambdaFunction;
  /**
   * The output shape without the batch dimension, or a function from the input shape to
   * the full output shape. Default: found by running the function on zeros.
   */
  outputShape?: SymbolicShape | ((inputShape: SymbolicShape | SymbolicShape[]) => SymbolicShape | SymbolicShape[]);
}

/**
 * Wraps a TypeScript function as a layer. It cannot be serialized: the function is code.
 * K is 'list' for a function that returns an array of tensors.
 */
export class Lambda<K extends OutputKind = 'single'> extends Layer<K> {
  static override className = 'Lambda';
  private readonly fn: LambdaFunction;
  private readonly outputShape?: LambdaArgs['outputShape'];

  constructor(args: LambdaArgs) {
    args = layerOptions(Lambda, new.target, args);
    super(args);
    if (typeof args?.function !== 'function') throw new Error(`${this.name}: expected function to be a function, got ${typeof args?.function}`);
    this.fn = args.function;
    this.outputShape = args.outputShape;
  }
  override call(inputs: Tensor | Tensor[], options: CallOptions): LayerOutput {
    return this.fn(inputs, options);
  }
  override computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    const given = this.outputShape;
    if (given === undefined) return super.computeOutputSpec(inputs);
    const first = (Array.isArray(inputs) ? inputs[0] : inputs) as TensorSpec;
    const dtype = first.dtype;
    if (typeof given !== 'function') return { shape: [first.shape[0], ...given], dtype };
    const shape = given(Array.isArray(inputs) ? inputs.map((s) => s.shape) : (inputs as TensorSpec).shape);
    const isList = shape.length > 0 && Array.isArray(shape[0]);
    return isList ? (shape as SymbolicShape[]).map((s) => ({ shape: s, dtype })) : { shape: shape as SymbolicShape, dtype };
  }
  override getConfig(): Record<string, unknown> {
    throw new Error(
      `Layer ${this.name} (Lambda) cannot be serialized: its function is JavaScript code. Re-create the layer in code, or write a Layer subclass and registerLayer it`,
    );
  }
}

/** Options of masking. */
export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal it are masked. Default 0. */
  maskValue?: number;
}

/**
 * Masks timesteps whose features all equal maskValue: zeroes them and computes a mask
 * [batch, time] that later layers (e.g. recurrent ones) skip.
 */
export class Masking extends Layer {
  static override className = 'Masking';
  /** Timesteps whose features all equal this are masked. */
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    args = layerOptions(Masking, new.target, args);
    super(args);
    this.maskValue = args.maskValue ?? 0;
    if (typeof this.maskValue !== 'number') throw new Error(`${this.name}: expected maskValue to be a number, got ${typeof this.maskValue}`);
    this.supportsMasking = true;
  }
  override call(x: Tensor): Tensor {
    return mul(x, cast(this.keep(x, true), x.dtype));
  }
  override computeMask(x: Tensor): Mask {
    return this.keep(x, false);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
  // True where any feature differs from maskValue.
  private keep(x: Tensor, keepDims: boolean): Tensor {
    return cast(max(cast(notEqual(x, this.maskValue), 'int32'), -1, keepDims), 'bool');
  }
}
