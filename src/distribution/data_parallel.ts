// Keras 3's DataParallel for Tessera: one model replica per MPI rank, each rank trains on
// its shard of the data, gradients are averaged across ranks before every update.
// ts.distribution.setDistribution(new ts.distribution.DataParallel()) then model.fit as
// usual (training/loops.ts and training/steps.ts ask activeDataParallel()).
import { init, type InitOptions } from '../distribute/backend';
import { DEFAULT_BUCKET_BYTES } from '../distribute/gradients';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';

/** DataParallel's options. */
export interface DataParallelOptions {
  /** Bytes per gradient all-reduce bucket (default 1 MB): each starts during backward once its gradients are final. */
  bucketBytes?: number;
  /** Seconds a collective may wait for the other ranks (ts.distribute.init's timeout). */
  timeout?: number;
}

/**
 * Data parallelism (Keras 3's keras.distribution.DataParallel) over the MPI ranks: each
 * rank fits its shard of the data and gradients are averaged across ranks.
 * @example ts.distribution.setDistribution(new ts.distribution.DataParallel());
 */
export class DataParallel {
  /** Bytes per gradient all-reduce bucket. */
  readonly bucketBytes: number;
  /** Seconds a collective may wait (undefined: ts.distribute.init's default). */
  readonly timeout: number | undefined;

  constructor(options: DataParallelOptions = {}) {
    options = checkOptions('DataParallel', options, 'distribution.DataParallel');
    this.bucketBytes = options.bucketBytes ?? DEFAULT_BUCKET_BYTES;
    if (typeof this.bucketBytes !== 'number' || !(this.bucketBytes > 0))
      throw new Error(`DataParallel: expected bucketBytes > 0, got ${describe(options.bucketBytes)}`);
    this.timeout = options.timeout;
  }
}

let active: DataParallel | null = null;

/**
 * Makes `distribution` the one fit, evaluate and predict use (Keras 3's
 * keras.distribution.set_distribution); joins the MPI world. null turns it off.
 */
export function setDistribution(distribution: DataParallel | null): void {
  if (arguments.length > 1) throw tooManyArguments('distribution.setDistribution', 1, arguments.length);
  if (distribution !== null && !(distribution instanceof DataParallel)) {
    throw new Error(`ts.distribution.setDistribution: expected a DataParallel or null, got ${describe(distribution)}`);
  }
  if (distribution !== null) init(distribution.timeout === undefined ? {} : ({ timeout: distribution.timeout } as InitOptions));
  active = distribution;
}

/** The distribution set by setDistribution, or null. */
export function distribution(): DataParallel | null {
  if (arguments.length > 0) throw tooManyArguments('distribution.distribution', 0, arguments.length);
  return active;
}

/** The active DataParallel when the world has more than one rank (else training is local). */
export function activeDataParallel(): DataParallel | null {
  return active;
}
