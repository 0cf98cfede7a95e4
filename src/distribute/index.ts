// ts.distribute: the MPI world and Horovod-style primitives for custom training loops.
// Keras-style data parallelism for fit lives in ts.distribution.
import { currentWorld } from './backend';
import { tooManyArguments } from '../options/arity';

export { init, abortWorld as abort, isDistributed, ncclInfo, type WorldInfo, type InitOptions, type NcclInfo } from './backend';
export { allReduce, allReduceSync, broadcast, broadcastSync, allGather, allGatherSync, barrier, barrierSync, type ReduceOp } from './collectives';
export { averageGradients, DEFAULT_BUCKET_BYTES } from './gradients';
export { broadcastVariables, broadcastOptimizerState } from './variables';
export { distributedOptimizer, type DistributedOptimizerOptions } from './optimizer';

/** This process's rank in the world (0 without mpirun). */
export function rank(): number {
  if (arguments.length > 0) throw tooManyArguments('distribute.rank', 0, arguments.length);
  return currentWorld().rank;
}

/** The number of processes in the world (1 without mpirun). */
export function size(): number {
  if (arguments.length > 0) throw tooManyArguments('distribute.size', 0, arguments.length);
  return currentWorld().size;
}

/** This process's rank among those on its host. */
export function localRank(): number {
  if (arguments.length > 0) throw tooManyArguments('distribute.localRank', 0, arguments.length);
  return currentWorld().localRank;
}

/** The number of processes on this host. */
export function localSize(): number {
  if (arguments.length > 0) throw tooManyArguments('distribute.localSize', 0, arguments.length);
  return currentWorld().localSize;
}
