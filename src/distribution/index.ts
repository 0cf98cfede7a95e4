// ts.distribution: Keras 3's distribution API (DataParallel) over ts.distribute's MPI world.
export { DataParallel, setDistribution, distribution, type DataParallelOptions } from './data_parallel';
export { shardRange, shardTensors, shardIterable } from './sharding';
export { listDevices, getDeviceCount, initialize, type DeviceType } from './devices';
