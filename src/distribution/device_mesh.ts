// Keras 3's keras.distribution.DeviceMesh: devices arranged in a named n-d grid. In
// Tessera every MPI rank is one device, so a mesh used across processes has one device
// per rank, and a rank's place in the grid is where its device is (rankPlace).
import { currentWorld } from '../distribute/backend';
import { checkNestDepth } from '../ops/nest';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { worldDevices } from './devices';

/** Device names as an n-d array: nested arrays of strings. */
export type NestedDevices = string | NestedDevices[];

/** DeviceMesh's options (Keras's shape, axis_names, devices). */
export interface DeviceMeshOptions {
  /** The mesh's shape: [8] for data parallelism only, [2, 4] for data x model. */
  shape: number[];
  /** One unique name per axis of `shape` ('batch', 'model'): what TensorLayouts name. */
  axisNames: string[];
  /** The devices, flat or nested, as many as the shape holds (default: the world's devices, one per MPI rank; in a world of one, listDevices()). */
  devices?: NestedDevices[] | null;
}

const OP = 'distribution.DeviceMesh';

function flatten(v: unknown, out: unknown[]): unknown[] {
  if (Array.isArray(v)) v.forEach((x) => flatten(x, out));
  else out.push(v);
  return out;
}

function checkShape(shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length === 0) throw new Error(`${OP}: shape and axisNames cannot be empty; got shape ${describe(shape)}`);
  return shape.map((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1) throw new Error(`${OP}: expected shape[${i}] to be a positive integer, got ${describe(d)}`);
    return d;
  });
}

function checkAxisNames(names: unknown, rank: number): string[] {
  if (!Array.isArray(names) || names.length === 0) throw new Error(`${OP}: shape and axisNames cannot be empty; got axisNames ${describe(names)}`);
  if (names.length !== rank)
    throw new Error(`${OP}: shape and axisNames should have the same length; got a shape of ${rank} axes and axisNames ${describe(names)}`);
  names.forEach((n, i) => {
    if (typeof n !== 'string' || n === '') throw new Error(`${OP}: expected axisNames[${i}] to be a non-empty string, got ${describe(n)}`);
    if (names.indexOf(n) !== i) throw new Error(`${OP}: axis names must be unique; '${n}' is named twice in ${describe(names)}`);
  });
  return names as string[];
}

// Keras reshapes any array of devices whose size matches (np.reshape): so does this.
function checkDevices(devices: unknown, shape: number[]): string[] {
  if (devices !== undefined && devices !== null && !Array.isArray(devices))
    throw new Error(`${OP}: expected devices to be an array of device names, got ${describe(devices)}`);
  checkNestDepth(OP, devices, 'devices'); // a cyclic or sparse array, before flatten recurses into it
  const flat = devices === undefined || devices === null ? worldDevices(OP) : flatten(devices, []);
  const size = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) {
    throw new Error(`${OP}: shape [${shape.join(', ')}] holds ${size} device(s) but ${flat.length} were given (${describe(flat)})`);
  }
  flat.forEach((d, i) => {
    if (typeof d !== 'string' || d === '') throw new Error(`${OP}: expected device ${i} to be a device name ('cpu:0', 'gpu:1'), got ${describe(d)}`);
    if (flat.indexOf(d) !== i) throw new Error(`${OP}: device '${d}' is in the mesh twice; each device holds one place`);
  });
  return flat as string[];
}

/**
 * A grid of devices with named axes (Keras 3's keras.distribution.DeviceMesh): the names
 * are what TensorLayouts shard tensors along. Written as Keras's
 * `new DeviceMesh([2, 4], ['batch', 'model'], devices)` or with an options object.
 * @example new ts.distribution.DeviceMesh({ shape: [2], axisNames: ['batch'] }) // under mpirun -np 2
 */
export class DeviceMesh {
  /** @internal The devices in row-major order. */
  readonly flatDevices: readonly string[];
  private readonly meshShape: readonly number[];
  private readonly names: readonly string[];

  constructor(options: DeviceMeshOptions | number[], axisNames?: string[], devices?: NestedDevices[] | null) {
    if (arguments.length > 3) throw tooManyArguments(OP, 3, arguments.length);
    let o: Partial<DeviceMeshOptions>;
    if (Array.isArray(options)) o = { shape: options, axisNames, devices };
    else {
      if (arguments.length > 1) throw new Error(`${OP}: with an options object, give axisNames and devices in it, not as more arguments`);
      if (options === null || typeof options !== 'object')
        throw new Error(`${OP}: expected an options object { shape, axisNames, devices } or a shape array, got ${describe(options)}`);
      o = checkOptions(OP, options, 'distribution.DeviceMesh');
    }
    const shape = checkShape(o.shape);
    this.meshShape = Object.freeze(shape);
    this.names = Object.freeze([...checkAxisNames(o.axisNames, shape.length)]);
    this.flatDevices = Object.freeze(checkDevices(o.devices, shape));
  }

  /** The mesh's shape (a copy). */
  get shape(): number[] {
    return [...this.meshShape];
  }

  /** The names of the mesh's axes (a copy). */
  get axisNames(): string[] {
    return [...this.names];
  }

  /** The devices as an n-d array of the mesh's shape: nested arrays of device names (a copy). */
  get devices(): NestedDevices[] {
    const build = (axis: number, offset: number, stride: number): NestedDevices[] => {
      const inner = stride / this.meshShape[axis];
      return Array.from({ length: this.meshShape[axis] }, (_, i) =>
        axis === this.meshShape.length - 1 ? this.flatDevices[offset + i] : build(axis + 1, offset + i * inner, inner),
      );
    };
    return build(0, 0, this.flatDevices.length);
  }

  /** The number of devices. */
  get size(): number {
    return this.flatDevices.length;
  }

  /** The size of the axis named `axisName`. */
  axisSize(axisName: string): number {
    if (arguments.length > 1) throw tooManyArguments('DeviceMesh.axisSize', 1, arguments.length);
    const i = this.names.indexOf(axisName);
    if (i < 0) throw new Error(`DeviceMesh.axisSize: no axis named ${describe(axisName)}; the mesh's axes are ${describe(this.names)}`);
    return this.meshShape[i];
  }

  /** The mesh as plain data: { shape, axisNames, devices } (devices nested), for `new DeviceMesh(config)`. */
  getConfig(): { shape: number[]; axisNames: string[]; devices: NestedDevices[] } {
    if (arguments.length > 0) throw tooManyArguments('DeviceMesh.getConfig', 0, arguments.length);
    return { shape: this.shape, axisNames: this.axisNames, devices: this.devices };
  }

  /** As Keras's repr: `<DeviceMesh shape=[2, 4], axisNames=['batch', 'model']>`. */
  toString(): string {
    return `<DeviceMesh shape=[${this.meshShape.join(', ')}], axisNames=[${this.names.map((n) => `'${n}'`).join(', ')}]>`;
  }
}

/**
 * @internal This rank's coordinates in `mesh` (one per axis), or null in a world of one
 * (the process holds every place). In a world of N the mesh must have N devices, the
 * world's (worldDevices): rank r sits where device r is.
 */
export function rankPlace(op: string, mesh: DeviceMesh): number[] | null {
  const { rank, size } = currentWorld();
  if (size === 1) return null;
  if (mesh.size !== size) {
    throw new Error(
      `${op}: ${mesh} has ${mesh.size} device(s) but the MPI world has ${size} rank(s); in Tessera each rank is one device, so a mesh across processes has one device per rank`,
    );
  }
  const mine = worldDevices(op)[rank];
  const at = mesh.flatDevices.indexOf(mine);
  if (at < 0) {
    throw new Error(
      `${op}: ${mesh}'s devices ${describe(mesh.flatDevices)} are not the world's ${describe(worldDevices(op))} (rank r is device r): leave devices out to use them`,
    );
  }
  const shape = mesh.shape;
  const place = new Array<number>(shape.length);
  let rest = at;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    place[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return place;
}
