// ts.distribution: Keras 3's distribution API (meshes, layouts, DataParallel, ModelParallel)
// over ts.distribute's MPI world, where each rank is one device.
export { DataParallel, setDistribution, distribution, type DataParallelOptions } from './data_parallel';
export { type Distribution, type DistributionOptions } from './distribution_base';
export { ModelParallel, type ModelParallelOptions } from './model_parallel';
export { DeviceMesh, type DeviceMeshOptions, type NestedDevices } from './device_mesh';
export { TensorLayout, type TensorLayoutOptions } from './tensor_layout';
export { LayoutMap } from './layout_map';
export { distributeTensor } from './distribute_tensor';
export { shardRange, shardTensors, shardIterable } from './sharding';
export { listDevices, getDeviceCount, initialize, type DeviceType } from './devices';
