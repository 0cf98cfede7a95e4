// SpectralNormalization (Miyato et al. 2018; Keras 3's keras.layers.SpectralNormalization):
// a wrapper that keeps its layer's kernel (or embeddings) divided by its largest singular
// value, estimated by power iteration. As Keras's: each training call first replaces the
// kernel variable by kernel / sigma and stores the iteration's vector u (a non-trainable
// weight); the layer then runs on that kernel, and the gradient reaches the kernel as if
// unwrapped. Inference uses the kernel as stored.
import { div, maximum, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { equal, where } from '../ops/compare';
import { all } from '../ops/logical_reduce';
import { matMul } from '../ops/matmul';
import { sum } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { rsqrt, square } from '../ops/unary';
import { TruncatedNormal } from '../initializers';
import { tidy } from '../tensor/memory';
import { noGrad } from '../tensor/run';
import { Tensor, Variable } from '../tensor/tensor';
import { isFloatDType } from '../tensor/dtype';
import type { Serialized } from '../serialization/registry';
import { InputSpec } from './input_spec';
import { Layer, type CallOptions } from './layer';
import { layerOptions } from './layer_options';
import type { SymbolicShape } from './symbolic_tensor';
import { checkPositiveInt } from './weight_settings';
import { buildSublayer, Wrapper, type WrapperArgs } from './wrapper';
import { epsilon } from '../config/settings';

/** Options of spectralNormalization. */
export interface SpectralNormalizationArgs extends WrapperArgs {
  /** The layer whose `kernel` (dense, conv, ...) or `embeddings` is normalized (or its {className, config}). */
  layer: Layer<any> | Serialized;
  /** Power iterations per training call. Default 1. */
  powerIterations?: number;
}

// Keras's ops.normalize over the whole tensor: x * rsqrt(max(sum x^2, epsilon^2)), epsilon config.epsilon().
const normalizeAll = (x: Tensor) => mul(x, rsqrt(maximum(sum(square(x)), epsilon() * epsilon())));

/**
 * Wraps a layer so that its kernel's spectral norm stays near 1 (stabilizes GAN
 * discriminators), as Keras 3's SpectralNormalization.
 * @example layers.spectralNormalization({layer: layers.dense({units: 10})})
 */
export class SpectralNormalization extends Wrapper {
  static override className = 'SpectralNormalization';
  /** Power iterations per training call. */
  readonly powerIterations: number;
  /** The power iteration's vector [1, kernel's last dimension] (non-trainable; Keras's vector_u). */
  vectorU: Variable | null = null;

  constructor(args: SpectralNormalizationArgs) {
    args = layerOptions(SpectralNormalization, new.target, args);
    super(args);
    this.powerIterations = checkPositiveInt(this.name, 'powerIterations', args.powerIterations ?? 1);
  }

  override build(inputShape: SymbolicShape): void {
    buildSublayer(this.layer, inputShape);
    const kernel = this.kernel();
    const last = inputShape[inputShape.length - 1];
    this.inputSpec = new InputSpec({ minNdim: 1, ...(last === null || last === undefined ? {} : { axes: { [-1]: last } }) });
    this.vectorU = this.addWeight('vector_u', [1, kernel.shape[kernel.rank - 1]], kernel.dtype, new TruncatedNormal({ stddev: 0.02 }), null, false);
  }

  /** The wrapped layer's kernel (or embeddings) variable. */
  kernel(): Variable {
    const holder = this.layer as unknown as { kernel?: unknown; embeddings?: unknown };
    if (holder.kernel instanceof Variable) return holder.kernel;
    if (holder.embeddings instanceof Variable) return holder.embeddings;
    throw new Error(`${this.name}: expected the wrapped layer ${this.layer.name} to have a kernel or embeddings weight, it has neither`);
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (training) {
      noGrad(() =>
        tidy(() => {
          const [u, kernel] = this.normalizedWeights();
          this.vectorU!.assign(u);
          this.kernel().assign(kernel);
        }),
      );
    }
    const y = this.layer.apply(x, { training }) as Tensor;
    return isFloatDType(x.dtype) && y.dtype !== x.dtype ? cast(y, x.dtype) : y;
  }

  /**
   * Keras's normalized_weights: [u, kernel / sigma] after powerIterations steps of
   * v = normalize(u Wᵀ), u = normalize(v W) on W = the kernel as [-1, last dimension], with
   * sigma = v W uᵀ. An all-zero kernel keeps both as they are.
   */
  normalizedWeights(): [Tensor, Tensor] {
    const kernel = this.kernel();
    const w = reshape(kernel, [-1, kernel.shape[kernel.rank - 1]]);
    let u: Tensor = this.vectorU!;
    let v: Tensor = u;
    for (let i = 0; i < this.powerIterations; i++) {
      v = normalizeAll(matMul(u, w, false, true));
      u = normalizeAll(matMul(v, w));
    }
    const sigma = matMul(matMul(v, w), u, false, true);
    // Keras's cond on an all-zero kernel, without reading the value back.
    const zero = all(equal(kernel, 0));
    return [where(zero, this.vectorU!, u), where(zero, kernel, div(kernel, reshape(sigma, [])))];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.layer.computeOutputShape(inputShape) as SymbolicShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), powerIterations: this.powerIterations };
  }
}
