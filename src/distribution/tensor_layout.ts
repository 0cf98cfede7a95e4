// Keras 3's keras.distribution.TensorLayout: for each dimension of a tensor, the mesh axis
// it is split along, or null (the dimension whole on every device: replicated).
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { DeviceMesh } from './device_mesh';

/** TensorLayout's options (Keras's axes, device_mesh). */
export interface TensorLayoutOptions {
  /** Per dimension, the mesh axis name it is sharded along, or null (not sharded). */
  axes: (string | null)[];
  /** The mesh the names refer to; settable once later when left out (a LayoutMap sets its own). */
  deviceMesh?: DeviceMesh | null;
}

const OP = 'distribution.TensorLayout';

function checkAxes(axes: unknown): (string | null)[] {
  if (!Array.isArray(axes)) throw new Error(`${OP}: expected axes to be an array of mesh axis names or null, got ${describe(axes)}`);
  for (let i = 0; i < axes.length; i++) {
    const a: unknown = axes[i];
    if (!(i in axes) || (a !== null && (typeof a !== 'string' || a === ''))) {
      throw new Error(`${OP}: expected axes[${i}] to be a mesh axis name or null (not sharded), got ${i in axes ? describe(a) : 'a hole'}`);
    }
    // As JAX's PartitionSpec: a mesh axis splits one dimension at most.
    if (a !== null && axes.indexOf(a) !== i)
      throw new Error(`${OP}: mesh axis '${a}' shards two dimensions (${describe(axes)}); an axis can split one dimension only`);
  }
  return axes as (string | null)[];
}

/**
 * How a tensor is laid out on a DeviceMesh (Keras 3's keras.distribution.TensorLayout):
 * `axes[i]` is the mesh axis dimension i is split along, or null. Keras's
 * `new TensorLayout([null, 'model'], mesh)` or `new TensorLayout({ axes, deviceMesh })`.
 * @example new ts.distribution.TensorLayout(['batch', null], mesh)
 */
export class TensorLayout {
  /** Per dimension, the mesh axis it is sharded along, or null. */
  readonly axes: readonly (string | null)[];
  private mesh: DeviceMesh | null = null;

  constructor(options: (string | null)[] | TensorLayoutOptions, deviceMesh?: DeviceMesh | null) {
    if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
    let o: Partial<TensorLayoutOptions>;
    if (Array.isArray(options)) o = { axes: options, deviceMesh };
    else {
      if (arguments.length > 1) throw new Error(`${OP}: with an options object, give deviceMesh in it, not as a second argument`);
      if (options === null || typeof options !== 'object') {
        throw new Error(`${OP}: expected axes (an array of mesh axis names or null) or an options object { axes, deviceMesh }, got ${describe(options)}`);
      }
      o = checkOptions(OP, options, 'distribution.TensorLayout');
    }
    this.axes = Object.freeze([...checkAxes(o.axes)]);
    if (o.deviceMesh !== undefined && o.deviceMesh !== null) this.deviceMesh = o.deviceMesh;
  }

  /** The mesh the axis names refer to, or null until set. */
  get deviceMesh(): DeviceMesh | null {
    return this.mesh;
  }

  /** Sets the mesh once (as Keras: a second mesh is an error); its axes must include the layout's. */
  set deviceMesh(mesh: DeviceMesh | null) {
    if (this.mesh !== null) throw new Error(`${OP}: cannot override the device mesh; the layout already has ${this.mesh}`);
    if (mesh === null) return;
    if (!(mesh instanceof DeviceMesh)) throw new Error(`${OP}: expected deviceMesh to be a DeviceMesh, got ${describe(mesh)}`);
    const unknown = this.axes.filter((a): a is string => a !== null && !mesh.axisNames.includes(a));
    if (unknown.length > 0) {
      throw new Error(`${OP}: invalid axis names for the layout: valid axis names are ${describe(mesh.axisNames)}, got ${describe(unknown)}`);
    }
    this.mesh = mesh;
  }

  /** The number of devices dimension `dim` is split across (1 when not sharded); needs the mesh. */
  shardCount(dim: number): number {
    if (arguments.length > 1) throw tooManyArguments('TensorLayout.shardCount', 1, arguments.length);
    if (!Number.isSafeInteger(dim) || dim < 0) throw new Error(`TensorLayout.shardCount: expected dim to be an integer >= 0, got ${describe(dim)}`);
    const axis = dim < this.axes.length ? this.axes[dim] : null;
    if (axis === null) return 1;
    if (this.mesh === null) throw new Error(`TensorLayout.shardCount: the layout has no device mesh yet, so the size of axis '${axis}' is unknown`);
    return this.mesh.axisSize(axis);
  }

  /** As Keras's repr: `<TensorLayout axes=[null, 'model'], deviceMesh=<DeviceMesh ...>>`. */
  toString(): string {
    const axes = this.axes.map((a) => (a === null ? 'null' : `'${a}'`)).join(', ');
    return `<TensorLayout axes=[${axes}], deviceMesh=${this.mesh === null ? 'null' : String(this.mesh)}>`;
  }
}
