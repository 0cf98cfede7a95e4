// Horovod's DistributedOptimizer for custom loops: gradients are averaged across ranks
// (in buckets) before the wrapped optimizer applies them.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { Optimizer, type GradientsAndVariables } from '../optimizers/optimizer';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { DEFAULT_BUCKET_BYTES, averageGradients } from './gradients';

/** distributedOptimizer's options. */
export interface DistributedOptimizerOptions {
  /** Bytes per all-reduce bucket (default 1 MB). */
  bucketBytes?: number;
}

/**
 * Wraps `optimizer` so that applyGradients averages the gradients across ranks first;
 * everything else is the wrapped optimizer's.
 * @example const opt = ts.distribute.distributedOptimizer(ts.optimizers.adam());
 */
export function distributedOptimizer<O extends Optimizer>(optimizer: O, options: DistributedOptimizerOptions = {}): O {
  if (arguments.length > 2) throw tooManyArguments('distribute.distributedOptimizer', 2, arguments.length);
  if (!(optimizer instanceof Optimizer)) throw new Error(`ts.distribute.distributedOptimizer: expected an Optimizer, got ${describe(optimizer)}`);
  options = checkOptions('ts.distribute.distributedOptimizer', options, 'distribute.distributedOptimizer');
  const bucketBytes = options.bucketBytes ?? DEFAULT_BUCKET_BYTES;
  if (!Number.isFinite(bucketBytes) || bucketBytes <= 0)
    throw new Error(`ts.distribute.distributedOptimizer: expected bucketBytes > 0, got ${describe(bucketBytes)}`);
  const apply = optimizer.applyGradients.bind(optimizer);
  const wrapped = Object.create(optimizer) as O;
  const pairsFrom = (optimizer as unknown as { pairsFrom(g: GradientsAndVariables): [Tensor | null, Variable][] }).pairsFrom.bind(optimizer);
  wrapped.applyGradients = (gradsAndVars: GradientsAndVariables) => {
    const pairs = pairsFrom(gradsAndVars);
    const averaged = averageGradients(
      pairs.map(([g]) => g),
      bucketBytes,
    );
    try {
      apply(pairs.map(([, v], i) => [averaged[i], v] as [Tensor | null, Variable]));
    } finally {
      averaged.forEach((g, i) => {
        if (g !== null && g !== pairs[i][0]) g.dispose();
      });
    }
  };
  return wrapped;
}
