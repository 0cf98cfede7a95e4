// Under mpirun: every collective, every dtype, odd sizes and empty tensors, against a
// naive reference computed from every rank's (deterministic) input. Exits non-zero on
// the first mismatch.
import * as ts from '../../../src';
import { check, values, type DType } from './reference';

/**
 * Both sides of the blocking all-reduce's upper edge (32 MB past the checked message's
 * 3952 bytes: above it the polled MPI_Iallreduce is faster), float32 sums in typed arrays
 * (the reference of the loop in main() is too slow at 8 M elements).
 */
function largeAllReduces(rank: number, size: number): number {
  const edge = ((32 << 20) + 3952) / 4;
  for (const n of [edge - 1, edge]) {
    const input = (r: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7 + r * 13) % 23) - 11);
    const mine = ts.tensor(input(rank), [n]);
    const want = new Float32Array(n);
    for (let r = 0; r < size; r++) {
      const x = input(r);
      for (let i = 0; i < n; i++) want[i] += x[i];
    }
    const got = ts.distribute.allReduceSync(mine, 'sum');
    const g = got.dataSync();
    for (let i = 0; i < n; i++) if (g[i] !== want[i]) throw new Error(`allReduceSync sum float32 [${n}]: element ${i} is ${g[i]}, expected ${want[i]}`);
    ts.dispose([mine, got]);
  }
  return 2;
}

async function main(): Promise<void> {
  const { rank, size } = ts.distribute.init({ timeout: 30 });
  const dtypes: DType[] = ['float32', 'int32', 'float64', 'bool'];
  let checks = 0;
  for (const dtype of dtypes) {
    // The shim sends the first 3952 bytes with the dtype-and-shape header, the rest after:
    // sizes on both sides of that edge and past it ([40, 77]).
    const bytes = dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
    const edge = 3952 / bytes;
    // The rest goes as a blocking MPI_Allreduce from 64 KB (blocking_collective.h), polled
    // below: the edge in float32 and, one byte short of it, in bool.
    const blockingEdge = (3952 + 65536) / bytes;
    const blockingShapes = size !== 2 ? [] : dtype === 'float32' ? [[blockingEdge]] : dtype === 'bool' ? [[blockingEdge - 1]] : [];
    for (const shape of [[0], [0, 3], [1], [7], [3, 5], [1001], [edge - 1], [edge], [edge + 1], [40, 77], ...blockingShapes]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const all = Array.from({ length: size }, (_, r) => values(dtype, r, n));
      const mine = ts.tensor(all[rank], shape, dtype);
      // The result is not zeroed: leave a freed block of its size full of a value no
      // reduction gives, which the next allocation of that size may reuse; every
      // element checked below must then have been written by the all-reduce.
      const poison = () => ts.fill(shape, dtype === 'bool' ? 1 : 99, dtype).dispose();
      const ops = dtype === 'bool' ? (['max', 'min'] as const) : (['sum', 'mean', 'max', 'min'] as const);
      for (const op of ops) {
        const want = all[0].map((_, i) => {
          const col = all.map((a) => a[i]);
          if (op === 'sum') return col.reduce((a, b) => a + b, 0);
          if (op === 'mean') return dtype === 'int32' ? Math.trunc(col.reduce((a, b) => a + b, 0) / size) : col.reduce((a, b) => a + b, 0) / size;
          return op === 'max' ? Math.max(...col) : Math.min(...col);
        });
        poison();
        const pending = ts.distribute.allReduce(mine, op);
        // The shim reads the tensor's own bytes while the JS thread goes on: the input is
        // left as it was (reduced out of place), even when read meanwhile.
        check(`allReduce ${op} ${dtype} [${shape}] input while in flight`, mine.dataSync(), all[rank]);
        const got = await pending;
        check(`allReduce ${op} ${dtype} [${shape}] input after`, mine.dataSync(), all[rank]);
        check(`allReduce ${op} ${dtype} [${shape}]`, got.dataSync(), dtype === 'float32' ? want.map(Math.fround) : want);
        if (got.dtype !== dtype || got.shape.join() !== shape.join()) throw new Error(`allReduce ${op} ${dtype}: got ${got.dtype} [${got.shape}]`);
        poison();
        check(`allReduceSync ${op} ${dtype} [${shape}]`, ts.distribute.allReduceSync(mine, op).dataSync(), dtype === 'float32' ? want.map(Math.fround) : want);
        checks += 2;
      }
      for (let root = 0; root < size; root++) {
        check(`broadcast root ${root} ${dtype} [${shape}]`, (await ts.distribute.broadcast(mine, root)).dataSync(), all[root]);
        check(`broadcastSync root ${root} ${dtype} [${shape}]`, ts.distribute.broadcastSync(mine, root).dataSync(), all[root]);
        checks += 2;
      }
      // allGather with a different first dimension on every rank (rank r has r + shape[0] rows, rank 0 possibly none).
      const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
      const rowsOf = (r: number) => (shape[0] === 0 ? r : shape[0] + r);
      const parts = Array.from({ length: size }, (_, r) => values(dtype, r, rowsOf(r) * rowSize));
      const gathered = await ts.distribute.allGather(ts.tensor(parts[rank], [rowsOf(rank), ...shape.slice(1)], dtype));
      check(`allGather ${dtype} [${shape}]`, gathered.dataSync(), parts.flat());
      if (gathered.shape[0] !== parts.reduce((a, p) => a + p.length / rowSize, 0)) throw new Error(`allGather ${dtype}: shape [${gathered.shape}]`);
      checks++;
      ts.dispose([mine, gathered]);
    }
  }
  // Gradient averaging in buckets: uneven sizes, both float dtypes, a null and an empty
  // gradient, bucket sizes from one element (every gradient alone) to all-in-one.
  // [128, 128] float32 is 64 KB: alone (bucketBytes 1), the blocking all-reduce's smallest size.
  const shapes = [[3], [1000], [2, 7], [0], [5, 5, 5], [1], [129, 3], [128, 128]];
  const grads = (r: number) =>
    shapes.map((s, k) =>
      k === 5
        ? null
        : ts.tensor(
            values(
              k === 4 ? 'float64' : 'float32',
              r + k,
              s.reduce((a, b) => a * b, 1),
            ),
            s,
            k === 4 ? 'float64' : 'float32',
          ),
    );
  const everyRank = Array.from({ length: size }, (_, r) => grads(r));
  for (const bucketBytes of [1, 64, 4100, 25 << 20]) {
    const means = ts.distribute.averageGradients(everyRank[rank], bucketBytes);
    means.forEach((m, k) => {
      if (k === 5) {
        if (m !== null) throw new Error('averageGradients: a null gradient must stay null');
        return;
      }
      const want = Array.from(everyRank[0][k]!.dataSync()).map((_, i) => everyRank.reduce((a, g) => a + Number(g[k]!.dataSync()[i]), 0) / size);
      check(`averageGradients bucketBytes ${bucketBytes} gradient ${k}`, m!.dataSync(), k === 4 ? want : want.map(Math.fround));
      if (m!.shape.join() !== shapes[k].join() || m!.dtype !== everyRank[rank][k]!.dtype)
        throw new Error(`averageGradients: gradient ${k} came back ${m!.dtype} [${m!.shape}]`);
      checks++;
    });
    ts.dispose(means.filter((m): m is ts.Tensor => m !== null));
  }
  // Two ranks only: three share two cores, where these sizes took minutes under load.
  if (size === 2) checks += largeAllReduces(rank, size);
  // Errors that must be clear, not silent.
  const expectThrow = async (what: string, f: () => Promise<unknown>, pattern: RegExp) => {
    try {
      await f();
    } catch (e) {
      if (!pattern.test(String(e))) throw new Error(`${what}: wrong error: ${String(e)}`, { cause: e });
      return;
    }
    throw new Error(`${what}: did not throw`);
  };
  await expectThrow('bool sum', () => ts.distribute.allReduce(ts.tensor([1], [1], 'bool'), 'sum'), /no bool result/);
  await expectThrow('bad op', () => ts.distribute.allReduce(ts.tensor([1]), 'prod' as never), /one of sum, mean, max, min/);
  await expectThrow('shape mismatch', () => ts.distribute.allReduce(ts.zeros([rank + 2])), /ranks disagree/);
  // One rank's tensor fits the header's message, the other's does not: still one error, on every rank.
  await expectThrow('size mismatch past 4 KB', () => ts.distribute.allReduce(ts.zeros([rank === 0 ? 2 : 5000])), /ranks disagree/);
  await expectThrow(
    'dtype mismatch',
    async () => ts.distribute.allReduceSync(ts.zeros([4], rank === 0 ? 'float32' : 'int32')),
    /ranks disagree.*rank \d+ has (float32|int32) \[4\]/,
  );
  await expectThrow('shape mismatch, same size', async () => ts.distribute.allReduceSync(ts.zeros(rank === 0 ? [2, 3] : [3, 2]), 'sum'), /ranks disagree/);
  check(
    'allReduceSync after the mismatches',
    ts.distribute.allReduceSync(ts.fill([3], rank + 1), 'sum').dataSync(),
    [0, 0, 0].map(() => (size * (size + 1)) / 2),
  );
  await expectThrow('bad root', () => ts.distribute.broadcast(ts.zeros([2]), size), /root to be a rank/);
  await ts.distribute.barrier();
  ts.distribute.barrierSync();
  console.log(`rank ${rank}/${size}: ${checks} collective checks passed; UCX_MEM_EVENTS=${process.env.UCX_MEM_EVENTS}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
