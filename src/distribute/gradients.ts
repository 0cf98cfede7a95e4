// Gradient averaging in buckets (Horovod's tensor fusion, PyTorch DDP's buckets): the
// gradients are packed in order into buckets of about `bucketBytes`, each bucket is
// handed to the MPI thread as soon as it is packed, and the JS thread packs the next one
// while the previous is on the wire. The tape returns all gradients at once (it has no
// per-gradient hook), so the buckets start after backward, not during it.
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray, DTYPE_CODE, type DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { currentWorld, Kind, Mode } from './backend';

/** Default bucket size: 25 MB, as PyTorch DDP. */
export const DEFAULT_BUCKET_BYTES = 25 * 1024 * 1024;

interface Bucket {
  dtype: DType;
  members: number[]; // indices into the gradient list
  elements: number;
}

function plan(grads: (Tensor | null)[], bucketBytes: number): Bucket[] {
  const buckets: Bucket[] = [];
  const open = new Map<DType, Bucket>();
  grads.forEach((g, i) => {
    if (g === null) return;
    let b = open.get(g.dtype);
    const bytes = g.size * (g.dtype === 'float64' ? 8 : 4);
    if (b !== undefined && b.elements > 0 && b.elements * (g.dtype === 'float64' ? 8 : 4) + bytes > bucketBytes) {
      open.delete(g.dtype);
      b = undefined;
    }
    if (b === undefined) {
      b = { dtype: g.dtype, members: [], elements: 0 };
      buckets.push(b);
      open.set(g.dtype, b);
    }
    b.members.push(i);
    b.elements += g.size;
  });
  return buckets;
}

/**
 * The mean of each gradient across ranks (null stays null); the inputs are not disposed.
 * Every rank must pass the same list of shapes and dtypes in the same order (the same
 * model does).
 */
export function averageGradients(grads: (Tensor | null)[], bucketBytes = DEFAULT_BUCKET_BYTES): (Tensor | null)[] {
  const w = currentWorld();
  if (w.size === 1) return grads.slice();
  const buckets = plan(grads, bucketBytes);
  const inFlight: { bucket: Bucket; data: Float32Array | Float64Array; ticket: number }[] = [];
  for (const bucket of buckets) {
    if (bucket.dtype !== 'float32' && bucket.dtype !== 'float64')
      throw new Error(`ts.distribute.averageGradients: gradients must be float32 or float64, got ${bucket.dtype}`);
    // dataSync returns a fresh copy: a bucket of one gradient is sent as it is.
    let data: Float32Array | Float64Array;
    if (bucket.members.length === 1) {
      data = grads[bucket.members[0]]!.dataSync() as Float32Array | Float64Array;
    } else {
      data = allocTypedArray(bucket.dtype, bucket.elements, 'ts.distribute.averageGradients') as Float32Array | Float64Array;
      let offset = 0;
      for (const i of bucket.members) {
        const g = grads[i]!.dataSync() as Float32Array | Float64Array;
        data.set(g, offset);
        offset += g.length;
      }
    }
    const ticket = w.shim!.submit(Kind.AllReduce, data, DTYPE_CODE[bucket.dtype], 0, w.timeout, Mode.Ticket) as number;
    inFlight.push({ bucket, data, ticket });
  }
  const out: (Tensor | null)[] = grads.map(() => null);
  for (const { bucket, data, ticket } of inFlight) {
    w.shim!.wait(ticket);
    const scale = 1 / w.size;
    for (let k = 0; k < data.length; k++) data[k] *= scale;
    let offset = 0;
    for (const i of bucket.members) {
      const g = grads[i]!;
      out[i] = fromTypedArray(data.subarray(offset, offset + g.size), g.shape, g.dtype, g.device);
      offset += g.size;
    }
  }
  return out;
}
