// What DataParallel and ModelParallel share (Keras 3's Distribution: a mesh and the axis
// the batch is split along), and the global setting fit, evaluate and predict read.
import { init, type InitOptions } from '../distribute/backend';
import { DEFAULT_BUCKET_BYTES } from '../distribute/gradients';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import type { Variable } from '../tensor/tensor';
import type { DeviceMesh } from './device_mesh';

/** Options every distribution takes: how gradients are all-reduced across ranks. */
export interface DistributionOptions {
  /** Bytes per gradient all-reduce bucket (default 1 MB): each starts during backward once its gradients are final. */
  bucketBytes?: number;
  /** Seconds a collective may wait for the other ranks (ts.distribute.init's timeout). */
  timeout?: number;
}

/** A distribution (Keras 3's keras.distribution.Distribution): DataParallel or ModelParallel. */
export abstract class Distribution {
  /** The devices and their named axes. */
  readonly deviceMesh: DeviceMesh;
  /** The mesh axis the batch dimension of the data is split along. */
  readonly batchDimName: string;
  /** Bytes per gradient all-reduce bucket. */
  readonly bucketBytes: number;
  /** Seconds a collective may wait (undefined: ts.distribute.init's default). */
  readonly timeout: number | undefined;

  private readonly className: string;

  protected constructor(owner: string, deviceMesh: DeviceMesh, batchDimName: string, options: DistributionOptions) {
    this.bucketBytes = options.bucketBytes ?? DEFAULT_BUCKET_BYTES;
    if (typeof this.bucketBytes !== 'number' || !(this.bucketBytes > 0))
      throw new Error(`${owner}: expected bucketBytes > 0, got ${describe(options.bucketBytes)}`);
    this.timeout = options.timeout;
    this.className = owner;
    this.deviceMesh = deviceMesh;
    this.batchDimName = batchDimName;
  }

  /** @internal Throws when this distribution cannot run in this MPI world (called by setDistribution). */
  abstract checkWorld(op: string): void;

  /** @internal Throws when a variable's layout asks for what Tessera cannot do (called by fit). */
  checkVariables(op: string, variables: readonly Variable[]): void {
    void op;
    void variables;
  }

  /** As Keras's repr: `<DataParallel deviceMesh=<DeviceMesh ...>>`. */
  toString(): string {
    return `<${this.className} deviceMesh=${this.deviceMesh}>`;
  }
}

let active: Distribution | null = null;

/**
 * Makes `distribution` the one fit, evaluate and predict use (Keras 3's
 * keras.distribution.set_distribution); joins the MPI world and checks the distribution
 * fits it (one mesh device per rank). null turns it off.
 */
export function setDistribution(distribution: Distribution | null): void {
  const op = 'distribution.setDistribution';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  if (distribution !== null && !(distribution instanceof Distribution)) {
    throw new Error(`ts.distribution.setDistribution: expected a DataParallel, a ModelParallel or null, got ${describe(distribution)}`);
  }
  if (distribution !== null) {
    init(distribution.timeout === undefined ? {} : ({ timeout: distribution.timeout } as InitOptions));
    distribution.checkWorld(op);
  }
  active = distribution;
}

/** The distribution set by setDistribution, or null. */
export function distribution(): Distribution | null {
  if (arguments.length > 0) throw tooManyArguments('distribution.distribution', 0, arguments.length);
  return active;
}

/** @internal The active distribution (training is data-parallel under each; local when the world has one rank). */
export function activeDataParallel(): Distribution | null {
  return active;
}
