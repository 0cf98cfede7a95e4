// The orthogonal initializer: the Q of a QR decomposition of a normal random matrix,
// computed in JavaScript (modified Gram-Schmidt in float64), since it runs once per weight.
import { randomNormal, tensor } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Initializer, checkFinite, checkInitShape } from './initializer';
import { classOptions } from '../options/check';

/** Options of the orthogonal initializer. */
export interface OrthogonalArgs {
  /** Multiplies the orthogonal matrix. Default 1. */
  gain?: number;
  /** Makes the values repeatable. */
  seed?: number | null;
}

/**
 * An orthogonal matrix (rows or columns orthonormal, whichever are fewer), reshaped to the
 * weight's shape: all but the last dimension form the rows, as in Keras.
 */
export class Orthogonal extends Initializer {
  static override className = 'Orthogonal';
  /** Multiplies the orthogonal matrix. */
  readonly gain: number;
  /** The seed that makes the values repeatable; undefined draws fresh values each call. */
  readonly seed?: number;

  constructor(args: OrthogonalArgs = {}) {
    args = classOptions('initializers', Orthogonal, new.target, args);
    super();
    this.gain = checkFinite('initializers.orthogonal', 'gain', args.gain ?? 1);
    this.seed = args.seed ?? undefined;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    const op = 'initializers.orthogonal';
    checkInitShape(op, shape);
    if (shape.length < 2) throw new Error(`${op}: expected a shape of rank 2 or more, got [${shape.join(', ')}]`);
    const cols = shape[shape.length - 1];
    const rows = shape.reduce((a, b) => a * b, 1) / cols;
    // Orthonormalize along the longer side: the columns of a tall [m, n] matrix.
    const [m, n] = rows >= cols ? [rows, cols] : [cols, rows];
    const draw = randomNormal([n, m], 0, 1, 'float64', this.seed);
    const q = Float64Array.from(draw.dataSync()); // column j of the tall matrix is q[j*m .. j*m+m)
    draw.dispose();
    orthonormalizeRows(q, n, m);
    const out = new Float64Array(rows * cols);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        // Tall case: out[i, j] = column j; wide case: out is its transpose.
        out[rows >= cols ? i * cols + j : j * cols + i] = this.gain * q[j * m + i];
      }
    }
    return tensor(out, [...shape], dtype);
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

// Modified Gram-Schmidt on the n rows (length m) of `v`, in place. The result equals the
// Q of a QR decomposition whose R has a positive diagonal, which is what Keras's sign
// correction produces.
function orthonormalizeRows(v: Float64Array, n: number, m: number): void {
  for (let j = 0; j < n; j++) {
    const row = j * m;
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += v[row + i] * v[k * m + i];
      for (let i = 0; i < m; i++) v[row + i] -= dot * v[k * m + i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[row + i] * v[row + i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) v[row + i] /= norm;
  }
}
