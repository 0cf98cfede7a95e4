// EinsumDense: a dense layer whose product is an einsum equation ('abc,cde->abde'), with
// Keras 3's rules for deriving the kernel and bias shapes from the equation.
import * as activations from '../activations';
import { add } from '../ops/binary';
import { einsum } from '../ops/einsum';
import type { DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { Layer, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings } from './weight_settings';
import { layerOptions } from './layer_options';
import { everyEntry } from '../options/every_entry';

/** Options of einsumDense. */
export interface EinsumDenseArgs extends LayerArgs {
  /** 'input,kernel->output' without '...', e.g. 'abc,cd->abd'; the first letter of input and output is the batch. */
  equation: string;
  /** The output shape without the batch dimension; null entries copy the input's size. */
  outputShape: number | (number | null)[];
  /** Output letters that get a bias (e.g. 'd'); default none. */
  biasAxes?: string | null;
  /** Applied to the output; default linear. */
  activation?: activations.ActivationIdentifier | null;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the kernel. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to the bias after each update. */
  biasConstraint?: ConstraintIdentifier | null;
}

interface EinsumShapes {
  kernel: number[];
  bias: number[] | null;
  output: SymbolicShape;
}

/** @internal Keras's _analyze_split_string: kernel, bias and full output shapes for an input shape. */
export function analyzeEinsum(op: string, equation: string, biasAxes: string | null, inputShape: SymbolicShape, outputShape: (number | null)[]): EinsumShapes {
  const m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(equation);
  if (!m) throw new Error(`${op}: expected equation of the form 'ab,bc->ac' (letters only, no '...'), got ${describe(equation)}`);
  const [, inSpec, wSpec, outSpec] = m;
  if (inSpec.length !== inputShape.length)
    throw new Error(`${op}: equation '${equation}' names ${inSpec.length} input dimensions, got an input of shape ${formatShape(inputShape)}`);
  const output: SymbolicShape = [inputShape[0], ...outputShape];
  if (output.length !== outSpec.length) {
    throw new Error(
      `${op}: expected outputShape to have ${outSpec.length - 1} entries (the output letters '${outSpec}' less the batch), got ${JSON.stringify(outputShape)}`,
    );
  }
  for (let i = 0; i < outSpec.length; i++) {
    const j = inSpec.indexOf(outSpec[i]);
    if (j >= 0) {
      if (output[i] === null) output[i] = inputShape[j];
      else if (inputShape[j] !== null && output[i] !== inputShape[j]) {
        throw new Error(
          `${op}: outputShape gives dimension '${outSpec[i]}' size ${output[i]}, but the input has ${inputShape[j]} there (input shape ${formatShape(inputShape)})`,
        );
      }
    } else if (!wSpec.includes(outSpec[i])) throw new Error(`${op}: output letter '${outSpec[i]}' of '${equation}' is in neither the input nor the kernel`);
  }
  const kernel = [...wSpec].map((c) => {
    const size = inSpec.includes(c) ? inputShape[inSpec.indexOf(c)] : outSpec.includes(c) ? output[outSpec.indexOf(c)] : undefined;
    if (size === undefined) throw new Error(`${op}: kernel letter '${c}' of '${equation}' is in neither the input nor the output`);
    if (size === null)
      throw new Error(
        `${op}: the size of kernel dimension '${c}' must be known, got input shape ${formatShape(inputShape)} and outputShape ${JSON.stringify(outputShape)}`,
      );
    return size;
  });
  let bias: number[] | null = null;
  if (biasAxes) {
    for (const c of biasAxes)
      if (!outSpec.includes(c)) throw new Error(`${op}: biasAxes '${biasAxes}' names '${c}', which is not an output letter of '${equation}'`);
    const first = Math.min(...[...biasAxes].map((c) => outSpec.indexOf(c)));
    bias = [...outSpec.slice(first)].map((c) => (biasAxes.includes(c) ? (output[outSpec.indexOf(c)] as number) : 1));
    if (bias.some((d) => d === null))
      throw new Error(`${op}: the bias dimensions '${biasAxes}' must have known sizes, got output shape ${formatShape(output)}`);
  }
  return { kernel, bias, output };
}

/** A dense layer computed by an einsum: `layers.einsumDense({equation: 'abc,cd->abd', outputShape: [null, 64], biasAxes: 'd'})`. */
export class EinsumDense extends Layer {
  static override className = 'EinsumDense';
  /** The einsum equation, input and kernel to output. */
  readonly equation: string;
  /** The outputShape option: the output without the batch dimension. */
  readonly partialOutputShape: (number | null)[];
  /** Output letters that carry a bias (null: no bias). */
  readonly biasAxes: string | null;
  /** The activation as given (a name), for getConfig. */
  readonly activation: activations.ActivationIdentifier;
  /** Shape from the equation; created by build. */
  kernel: Variable | null = null;
  /** Present when biasAxes is given; created by build. */
  bias: Variable | null = null;
  private readonly activationFn: activations.ActivationFn;
  private readonly kernelSettings: WeightSettings;
  private readonly biasSettings: WeightSettings;

  constructor(args: EinsumDenseArgs) {
    args = layerOptions(EinsumDense, new.target, args);
    super(args);
    if (typeof args.equation !== 'string')
      throw new Error(`${this.name}: expected equation to be a string such as 'abc,cd->abd', got ${describe(args.equation)}`);
    this.equation = args.equation.replace(/\s+/g, '');
    const shape = typeof args.outputShape === 'number' ? [args.outputShape] : args.outputShape;
    if (!Array.isArray(shape) || !everyEntry(shape, (d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new Error(`${this.name}: expected outputShape to be a positive integer or an array of positive integers / null, got ${describe(args.outputShape)}`);
    }
    this.partialOutputShape = [...shape];
    this.biasAxes = args.biasAxes ?? null;
    this.activation = args.activation ?? 'linear';
    this.activationFn = activations.get(this.activation, this.name);
    this.kernelSettings = new WeightSettings(this.name, 'kernel', args, 'glorotUniform');
    this.biasSettings = new WeightSettings(this.name, 'bias', args, 'zeros');
  }

  override build(inputShape: SymbolicShape): void {
    const shapes = analyzeEinsum(this.name, this.equation, this.biasAxes, inputShape, this.partialOutputShape);
    this.kernel = this.kernelSettings.create(this, 'kernel', shapes.kernel);
    if (shapes.bias) this.bias = this.biasSettings.create(this, 'bias', shapes.bias);
  }

  override call(x: Tensor): Tensor {
    let y = einsum(this.equation, x, this.kernel!);
    // The bias shape covers the output's trailing axes from the first bias letter, so it broadcasts.
    if (this.bias) y = add(y, this.bias);
    return this.activationFn(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return analyzeEinsum(this.name, this.equation, this.biasAxes, inputShape, this.partialOutputShape).output;
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      equation: this.equation,
      outputShape: this.partialOutputShape.length === 1 ? this.partialOutputShape[0] : [...this.partialOutputShape],
      biasAxes: this.biasAxes,
      activation: activations.serialize(this.activation, this.name),
      ...this.kernelSettings.config(),
      ...this.biasSettings.config(),
    };
  }
}
