// Keras 3's OrthogonalRegularizer: factor * 0.5 * sum |off-diagonal of N N^T| / (size (size-1) / 2),
// N the L2-normalized rows (mode 'rows') or columns ('columns') of a rank-2 weight; it pushes
// those vectors towards being orthogonal to each other.
import { abs, sqrt, square } from '../ops/unary';
import { div, maximum, mul, sub } from '../ops/binary';
import { sum } from '../ops/reduce';
import { matMul } from '../ops/matmul';
import { eye } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { classOptions } from '../options/check';
import { factory } from '../options/factory';
import { Regularizer, registerRegularizer } from './index';
import { epsilon } from '../config/settings';

/** Options of orthogonalRegularizer. */
export interface OrthogonalRegularizerArgs {
  /** The penalty's weight, non-negative. Default 0.01. */
  factor?: number;
  /** 'rows' (default): make the rows orthogonal; 'columns': the columns. */
  mode?: 'rows' | 'columns';
}

const OP = 'regularizers.orthogonalRegularizer';

/** factor times the mean |cosine| between pairs of rows (or columns) of a rank-2 weight. */
export class OrthogonalRegularizer extends Regularizer {
  static override className = 'OrthogonalRegularizer';
  /** The penalty's weight. */
  readonly factor: number;
  /** Which vectors are pushed apart: 'rows' or 'columns'. */
  readonly mode: 'rows' | 'columns';

  constructor(args: OrthogonalRegularizerArgs = {}) {
    args = classOptions('regularizers', OrthogonalRegularizer, new.target, args);
    super();
    const factor = args.factor ?? 0.01;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0)
      throw new Error(`${OP}: expected factor to be a non-negative number, got ${describe(factor)}`);
    const mode = args.mode ?? 'rows';
    if (mode !== 'rows' && mode !== 'columns') throw new Error(`${OP}: expected mode to be 'rows' or 'columns', got ${describe(mode)}`);
    this.factor = factor;
    this.mode = mode;
  }

  apply(x: Tensor): Tensor {
    if (x === null || typeof x !== 'object' || !Array.isArray((x as Tensor).shape)) throw new Error(`${OP}: expected a rank-2 tensor, got ${describe(x)}`);
    if (x.shape.length !== 2) throw new Error(`${OP}: expected a rank-2 tensor (a matrix), got shape [${x.shape.join(', ')}]`);
    const rows = this.mode === 'rows';
    const size = x.shape[rows ? 0 : 1];
    // Keras divides by size (size - 1) / 2 pairs: with one vector that is 0 / 0.
    if (size < 2) throw new Error(`${OP}: mode '${this.mode}' needs at least 2 ${this.mode}, got shape [${x.shape.join(', ')}]`);
    return tidy(() => {
      // keras.ops.normalize: x / max(||x||, epsilon), epsilon config.epsilon().
      const norm = sqrt(sum(square(x), rows ? 1 : 0, true));
      const n = div(x, maximum(norm, epsilon()));
      const product = rows ? matMul(n, n, false, true) : matMul(n, n, true, false);
      const offDiagonal = mul(product, sub(1, eye(size, size, x.dtype)));
      return mul(sum(abs(offDiagonal)), (this.factor * 0.5) / ((size * (size - 1)) / 2));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { factor: this.factor, mode: this.mode };
  }
}

registerRegularizer(OrthogonalRegularizer);

/** Keras's OrthogonalRegularizer: factor times the mean |cosine| between pairs of rows (or columns). */
export const orthogonalRegularizer = factory(OrthogonalRegularizer);
