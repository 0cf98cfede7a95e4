// Dense: y = activation(x W + b), contracting the last axis of inputs of any rank >= 2.
import * as activations from '../activations';
import { matMul, matMulBias } from '../ops/matmul';
import { reshape } from '../ops/reshape';
import * as ops from '../ops/unary';
import type { DType } from '../tensor/dtype';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';

/** Options of dense. */
export interface DenseArgs extends LayerArgs {
  /** Output size. */
  units: number;
  /** Applied to the output; default linear. */
  activation?: activations.ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the kernel, added to the loss. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the bias, added to the loss. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to the bias after each update. */
  biasConstraint?: ConstraintIdentifier | null;
  /** TensorFlow.js's and Keras 2's input size: the input shape [inputDim] when none is given. */
  inputDim?: number | null;
}

// inputDim (TensorFlow.js) as the inputShape it stands for; both given must agree.
function withInputDim(args: DenseArgs): DenseArgs {
  const { inputDim, ...rest } = args;
  if (inputDim === undefined || inputDim === null) return rest;
  const op = `Dense${args.name ? ` '${args.name}'` : ''}`;
  checkPositiveInt(op, 'inputDim', inputDim);
  const given = rest.inputShape ?? rest.batchInputShape?.slice(1);
  if (given !== undefined && (given.length !== 1 || given[0] !== inputDim)) {
    throw new Error(`${op}: inputDim ${inputDim} disagrees with the input shape ${formatShape(given)}; give one of them`);
  }
  return given !== undefined ? rest : { ...rest, inputShape: [inputDim] };
}

// The activations matMulBias applies in its epilogue: relu and gelu by name, or passed as
// functions (activations.relu / gelu, or the ops; gelu called with one argument is the
// exact form, which the kernel computes).
function fusedActivation(fn: activations.ActivationFn): 'relu' | 'gelu' | null {
  if (fn === activations.relu || fn === ops.relu) return 'relu';
  if (fn === activations.gelu || fn === ops.gelu) return 'gelu';
  return null;
}

/** A fully connected layer. */
export class Dense extends Layer {
  static override className = 'Dense';
  /** Output size: the last dimension of the output. */
  readonly units: number;
  /** Whether a bias is added after the matrix product. */
  readonly useBias: boolean;
  /** The activation as given (a name), for getConfig. */
  readonly activation: activations.ActivationIdentifier;
  /** [inputDim, units]; created by build. */
  kernel: Variable | null = null;
  /** [units], when useBias; created by build. */
  bias: Variable | null = null;
  private readonly activationFn: activations.ActivationFn;
  private readonly kernelSettings: WeightSettings;
  private readonly biasSettings: WeightSettings;

  constructor(args: DenseArgs) {
    args = layerOptions(Dense, new.target, args);
    super(withInputDim(args));
    this.units = checkPositiveInt(this.name, 'units', args?.units);
    this.useBias = args.useBias ?? true;
    this.activation = args.activation ?? 'linear';
    this.activationFn = activations.get(this.activation, this.name);
    this.kernelSettings = new WeightSettings(this.name, 'kernel', args, 'glorotUniform');
    this.biasSettings = new WeightSettings(this.name, 'bias', args, 'zeros');
    this.inputSpec = new InputSpec({ minNdim: 2 });
    this.supportsMasking = true;
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null) throw new Error(`${this.name}: the last dimension of the input must be known, got shape ${formatShape(inputShape)}`);
    this.kernel = this.kernelSettings.create(this, 'kernel', [inputDim, this.units]);
    if (this.useBias) this.bias = this.biasSettings.create(this, 'bias', [this.units]);
    this.inputSpec = new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } });
  }

  override call(x: Tensor): Tensor {
    const kernel = this.kernel!;
    // Rank > 2: one [rows, in] x [in, out] product instead of a batched one.
    const rows = x.rank === 2 ? x : reshape(x, [-1, kernel.shape[0]]);
    // With a bias, one kernel adds it (and applies relu or exact gelu) inside the product.
    const fused = this.bias !== null ? fusedActivation(this.activationFn) : null;
    let y = this.bias !== null ? matMulBias(rows, kernel, this.bias, fused ?? 'linear') : matMul(rows, kernel);
    if (x.rank !== 2) y = reshape(y, [...x.shape.slice(0, -1), this.units]);
    return fused !== null ? y : this.activationFn(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation, this.name),
      useBias: this.useBias,
      ...this.kernelSettings.config(),
      ...this.biasSettings.config(),
    };
  }
}
