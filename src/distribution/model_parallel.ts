// Keras 3's keras.distribution.ModelParallel, as far as Tessera goes: weights sharded
// across processes are not built, so it is accepted only where every layout keeps each
// variable whole on a rank (the axes its layouts name have size 1), which is data
// parallelism over the batch axis; anything else is refused, never run unsharded.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { currentWorld } from '../distribute/backend';
import { describe } from '../tensor/shape';
import type { Variable } from '../tensor/tensor';
import { rankPlace } from './device_mesh';
import { Distribution, type DistributionOptions } from './distribution_base';
import { LayoutMap } from './layout_map';
import type { TensorLayout } from './tensor_layout';

/** ModelParallel's options (Keras's layout_map, batch_dim_name). */
export interface ModelParallelOptions extends DistributionOptions {
  /** The layouts of the variables by path, on the mesh of the distribution. */
  layoutMap: LayoutMap;
  /** The mesh axis the data's batch dimension is split along (default: the mesh's first axis). */
  batchDimName?: string | null;
}

const OP = 'distribution.ModelParallel';
const NOT_YET = 'weights sharded across processes are not supported in Tessera yet';

// The mesh axes of size > 1 a layout shards along: any makes a variable not whole on a rank.
function shardingAxes(layout: TensorLayout): string[] {
  const mesh = layout.deviceMesh!;
  return layout.axes.filter((a): a is string => a !== null && mesh.axisSize(a) > 1);
}

/**
 * Keras 3's keras.distribution.ModelParallel: variables laid out by a LayoutMap, data
 * split along `batchDimName`. Tessera does not shard weights across processes yet, so
 * setDistribution (for the map's layouts) and fit (for each variable's) refuse a layout
 * that splits a variable along a mesh axis of size > 1; with the model axes of size 1
 * every rank holds whole variables and training is data-parallel over the batch axis,
 * which must then span every rank.
 * @example
 * const mesh = new ts.distribution.DeviceMesh([2, 1], ['batch', 'model']); // mpirun -np 2
 * const map = new ts.distribution.LayoutMap(mesh);
 * map.set('.*kernel', [null, 'model']);
 * ts.distribution.setDistribution(new ts.distribution.ModelParallel({ layoutMap: map, batchDimName: 'batch' }));
 */
export class ModelParallel extends Distribution {
  /** The variables' layouts by path. */
  readonly layoutMap: LayoutMap;

  constructor(options: ModelParallelOptions) {
    if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
    if (options === undefined || options === null)
      throw new Error(`${OP}: you must specify a layoutMap option: new ModelParallel({ layoutMap, batchDimName })`);
    if (options instanceof LayoutMap)
      throw new Error(`${OP}: expected an options object { layoutMap, batchDimName }, got a LayoutMap: write new ModelParallel({ layoutMap })`);
    const o = checkOptions('ModelParallel', options, OP);
    if (o.layoutMap === undefined || o.layoutMap === null) throw new Error(`${OP}: you must specify a layoutMap option`);
    if (!(o.layoutMap instanceof LayoutMap)) throw new Error(`${OP}: expected layoutMap to be a LayoutMap, got ${describe(o.layoutMap)}`);
    const mesh = o.layoutMap.deviceMesh;
    const batchDimName = o.batchDimName ?? mesh.axisNames[0];
    if (typeof batchDimName !== 'string' || !mesh.axisNames.includes(batchDimName)) {
      throw new Error(`${OP}: expected batchDimName to be one of the mesh's axes ${describe(mesh.axisNames)}, got ${describe(o.batchDimName)}`);
    }
    super('ModelParallel', mesh, batchDimName, o);
    this.layoutMap = o.layoutMap;
  }

  /** @internal Every layout keeps variables whole, the mesh has one device per rank, and the batch axis spans the world. */
  checkWorld(op: string): void {
    for (const [key, layout] of this.layoutMap) {
      const axes = shardingAxes(layout);
      if (axes.length > 0) {
        throw new Error(
          `${op}: ${NOT_YET}: the LayoutMap's key '${key}' lays variables out as ${layout}, splitting them along mesh axis ${describe(axes)}; ` +
            `give the model axes size 1 (data parallelism over '${this.batchDimName}') or use DataParallel`,
        );
      }
    }
    rankPlace(op, this.deviceMesh);
    const { size } = currentWorld();
    const batch = this.deviceMesh.axisSize(this.batchDimName);
    if (size > 1 && batch !== size) {
      throw new Error(
        `${op}: the batch axis '${this.batchDimName}' of ${this.deviceMesh} has ${batch} device(s) but the world has ${size} ranks; ` +
          `Tessera splits the data across every rank, so the other mesh axes must have size 1`,
      );
    }
  }

  // The map's version each variable was last checked against (fit checks every step).
  private readonly checked = new WeakMap<Variable, number>();

  /** @internal Each variable's layout (by its path) keeps it whole and fits its rank. */
  override checkVariables(op: string, variables: readonly Variable[]): void {
    for (const v of variables) {
      if (this.checked.get(v) === this.layoutMap.version) continue;
      const layout = this.layoutMap.get(v.path);
      this.checkLayout(op, v, layout);
      this.checked.set(v, this.layoutMap.version);
    }
  }

  private checkLayout(op: string, v: Variable, layout: TensorLayout | null): void {
    if (layout !== null) {
      if (layout.axes.length > v.shape.length) {
        throw new Error(`${op}: the layout for variable '${v.path}' (shape [${v.shape.join(', ')}]) is ${layout}: more axes than the variable has dimensions`);
      }
      const axes = shardingAxes(layout);
      if (axes.length > 0) {
        throw new Error(
          `${op}: ${NOT_YET}: variable '${v.path}' (shape [${v.shape.join(', ')}]) is laid out as ${layout}, split along mesh axis ${describe(axes)}`,
        );
      }
    }
  }
}
