// The separable resampling matrices of jax.image.resize (jax/_src/image/scale.py), which
// Keras 3's resize uses: half-pixel centres, the kernel widened by the scale when
// antialiasing a downsample, weights of each output sample normalised to sum 1.

/** Kernels that image.resize applies through a weight matrix. */
export type ResampleKernel = 'bilinear' | 'bicubic' | 'lanczos3' | 'lanczos5' | 'area';

/** The most entries one weight matrix may have (128 MiB as float64): larger resizes are refused before allocating. */
export const MAX_WEIGHTS = 2 ** 24;

const triangle = (x: number): number => Math.max(0, 1 - x);

// Keys' cubic kernel with a = -0.5, as JAX (and TensorFlow's bicubic).
function keysCubic(x: number): number {
  if (x >= 2) return 0;
  if (x >= 1) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return (1.5 * x - 2.5) * x * x + 1;
}

function lanczos(radius: number, x: number): number {
  if (x > radius) return 0;
  if (x <= 1e-3) return 1;
  return (radius * Math.sin(Math.PI * x) * Math.sin((Math.PI * x) / radius)) / (Math.PI * Math.PI * x * x);
}

/** @internal The kernels of the weight matrices, of |distance| in input pixels (scaled). */
export const KERNELS: Record<Exclude<ResampleKernel, 'area'>, (x: number) => number> = {
  bilinear: triangle,
  bicubic: keysCubic,
  lanczos3: (x) => lanczos(3, x),
  lanczos5: (x) => lanczos(5, x),
};

/**
 * The [outSize, inSize] matrix (row-major) whose product with a signal of length inSize
 * resamples it to outSize. The caller checks outSize * inSize against MAX_WEIGHTS.
 */
export function resampleWeights(inSize: number, outSize: number, kernel: ResampleKernel, antialias: boolean): Float64Array {
  const w = new Float64Array(outSize * inSize);
  const invScale = inSize / outSize;
  const kernelScale = antialias ? Math.max(invScale, 1) : 1;
  for (let o = 0; o < outSize; o++) {
    const row = o * inSize;
    let total = 0;
    if (kernel === 'area') {
      // Coverage of output pixel [o, o + 1) * invScale over input pixel [j, j + 1): TensorFlow's ResizeArea.
      const left = o * invScale;
      const right = left + invScale;
      for (let j = Math.max(0, Math.floor(left)); j < Math.min(inSize, Math.ceil(right)); j++) {
        const v = Math.max(0, Math.min(right, j + 1) - Math.max(left, j));
        w[row + j] = v;
        total += v;
      }
    } else {
      const fn = KERNELS[kernel];
      const sample = (o + 0.5) * invScale - 0.5;
      for (let j = 0; j < inSize; j++) {
        const v = fn(Math.abs(sample - j) / kernelScale);
        w[row + j] = v;
        total += v;
      }
    }
    // As JAX: a sample whose weights cancel (|sum| tiny) reads 0 rather than dividing by ~0.
    const keep = Math.abs(total) > 1000 * 2 ** -23;
    for (let j = 0; j < inSize; j++) w[row + j] = keep ? w[row + j] / total : 0;
  }
  return w;
}
