// Keras 3's DataParallel for Tessera: one model replica per MPI rank, each rank trains on
// its shard of the data, gradients are averaged across ranks before every update.
// ts.distribution.setDistribution(new ts.distribution.DataParallel()) then model.fit as
// usual (training/loops.ts and training/steps.ts ask activeDataParallel()).
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { DeviceMesh, rankPlace } from './device_mesh';
import { worldDevices } from './devices';
import { Distribution, type DistributionOptions } from './distribution_base';

export { setDistribution, distribution, activeDataParallel } from './distribution_base';

/** DataParallel's options. */
export interface DataParallelOptions extends DistributionOptions {
  /** The mesh whose first axis is the batch (data-parallel) axis; a mesh of more axes is warned about, as in Keras. Not with `devices`. */
  deviceMesh?: DeviceMesh | null;
  /** The devices of a one-axis mesh named 'batch' (default: the world's, one per MPI rank). Not with `deviceMesh`. */
  devices?: string[] | null;
}

const OP = 'distribution.DataParallel';

function meshOf(options: DataParallelOptions): DeviceMesh {
  const { deviceMesh, devices } = options;
  const hasMesh = deviceMesh !== undefined && deviceMesh !== null;
  const hasDevices = devices !== undefined && devices !== null;
  if (hasMesh && hasDevices) throw new Error(`${OP}: give deviceMesh or devices, not both (the mesh already holds its devices)`);
  if (hasMesh) {
    if (!(deviceMesh instanceof DeviceMesh)) throw new Error(`${OP}: expected deviceMesh to be a DeviceMesh, got ${describe(deviceMesh)}`);
    if (deviceMesh.shape.length !== 1) {
      console.warn(
        `${OP}: expected a 1D mesh, got ${deviceMesh} (${deviceMesh.shape.length} axes); its first axis ('${deviceMesh.axisNames[0]}') is the data-parallel one`,
      );
    }
    return deviceMesh;
  }
  if (hasDevices) {
    if (!Array.isArray(devices) || devices.some((d) => typeof d !== 'string')) {
      throw new Error(`${OP}: expected devices to be a flat array of device names ('cpu:0', 'gpu:1'), got ${describe(devices)}`);
    }
    return new DeviceMesh({ shape: [devices.length], axisNames: ['batch'], devices });
  }
  // Keras's list_devices(): here the world's devices, one per MPI rank.
  const world = worldDevices(OP);
  return new DeviceMesh({ shape: [world.length], axisNames: ['batch'], devices: world });
}

/**
 * Data parallelism (Keras 3's keras.distribution.DataParallel) over the MPI ranks: each
 * rank fits its shard of the data and gradients are averaged across ranks. The mesh is
 * `deviceMesh`, or a one-axis 'batch' mesh of `devices` or of the world's devices; its
 * first axis is the batch axis. As Keras's, the data is split across every process.
 * Also Keras's positional habit: `new DataParallel(mesh)` or `new DataParallel(devices)`.
 * @example ts.distribution.setDistribution(new ts.distribution.DataParallel());
 */
export class DataParallel extends Distribution {
  constructor(options: DataParallelOptions | DeviceMesh | string[] = {}) {
    if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
    const o: DataParallelOptions =
      options instanceof DeviceMesh ? { deviceMesh: options } : Array.isArray(options) ? { devices: options } : checkOptions('DataParallel', options, OP);
    const mesh = meshOf(o);
    super('DataParallel', mesh, mesh.axisNames[0], o);
  }

  /** @internal Usable in this world: under mpirun the mesh has one device per rank (data is split across every rank, as Keras's DataParallel splits it across processes). */
  checkWorld(op: string): void {
    rankPlace(op, this.deviceMesh);
  }
}
