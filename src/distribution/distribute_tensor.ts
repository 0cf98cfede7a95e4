// Keras 3's keras.distribution.distribute_tensor in Tessera's world, where each MPI rank is
// one device of the mesh: the process keeps the block of the tensor that its rank's place
// holds. JAX returns a global array whose blocks live on the devices; here the block is
// all this process has, so the result is that block as a tensor of its own.
import { tooManyArguments } from '../options/arity';
import { slice } from '../ops/slice';
import { SymbolicTensor } from '../layers/symbolic_tensor';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { rankPlace } from './device_mesh';
import { TensorLayout } from './tensor_layout';

const OP = 'distribution.distributeTensor';

/**
 * This rank's shard of `tensor` laid out as `layout` (Keras 3's
 * keras.distribution.distribute_tensor). A dimension whose layout axis is a mesh axis of
 * size s is cut into s equal blocks (its size must divide by s, as JAX requires) and the
 * rank keeps block c, c being its coordinate on that axis; a dimension with null (and any
 * past the layout's axes) is kept whole: replicated. Under mpirun the mesh has one device
 * per rank and rank r sits where the world's device r is (in row-major order by default).
 * In a world of one the process holds every block, so `tensor` itself comes back, as when
 * every dimension is whole on this rank. A symbolic tensor (a functional model's input)
 * comes back unchanged, as Keras's KerasTensor does.
 * @example ts.distribution.distributeTensor(x, new ts.distribution.TensorLayout(['batch', null], mesh))
 */
export function distributeTensor<T extends Tensor | SymbolicTensor>(tensor: T, layout: TensorLayout): T {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  if (!(layout instanceof TensorLayout)) throw new Error(`${OP}: expected layout to be a TensorLayout, got ${describe(layout)}`);
  if (tensor instanceof SymbolicTensor) return tensor;
  if (!(tensor instanceof Tensor)) throw new Error(`${OP}: expected a Tensor, got ${describe(tensor)}`);
  if (tensor.isDisposed) throw new Error(`${OP}: the tensor (shape [${tensor.shape.join(', ')}]) is disposed`);
  const mesh = layout.deviceMesh;
  if (mesh === null) throw new Error(`${OP}: cannot place a tensor with a TensorLayout that has no device mesh (${layout}); give it one`);
  const shape = tensor.shape;
  checkLayoutFits(shape, layout);
  const place = rankPlace(OP, mesh);
  if (place === null || shape.every((_, d) => layout.shardCount(d) === 1)) return tensor;
  const { begin, size } = blockOf(shape, layout, place);
  return slice(tensor, begin, size) as T;
}

// As JAX: at most one layout axis per dimension, and sizes that split evenly.
function checkLayoutFits(shape: readonly number[], layout: TensorLayout): void {
  if (layout.axes.length > shape.length) {
    throw new Error(
      `${OP}: ${layout} has ${layout.axes.length} axes but the tensor has rank ${shape.length} (shape [${shape.join(', ')}]); at most one axis per dimension`,
    );
  }
  shape.forEach((n, d) => {
    const s = layout.shardCount(d);
    if (n % s !== 0) {
      throw new Error(
        `${OP}: dimension ${d} of the tensor (size ${n}, shape [${shape.join(', ')}]) cannot be split evenly across the ${s} devices of mesh axis '${layout.axes[d]}'`,
      );
    }
  });
}

/**
 * @internal The block of a tensor of `shape` that the mesh place `place` (one coordinate
 * per mesh axis) holds under `layout`: dimension d along mesh axis a of size s is block
 * place[a] of s equal ones; other dimensions whole.
 */
export function blockOf(shape: readonly number[], layout: TensorLayout, place: readonly number[]): { begin: number[]; size: number[] } {
  checkLayoutFits(shape, layout);
  const names = layout.deviceMesh!.axisNames;
  const size = shape.map((n, d) => n / layout.shardCount(d));
  const begin = shape.map((_, d) => (d < layout.axes.length && layout.axes[d] !== null ? size[d] * place[names.indexOf(layout.axes[d]!)] : 0));
  return { begin, size };
}
