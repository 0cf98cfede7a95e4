// Under mpirun on a machine with a GPU: the collectives of CUDA tensors through NCCL (or
// through host memory when TESSERA_DIST_CUDA=mpi), against a naive reference computed
// from every rank's deterministic input. Prints one JSON line:
//   probe         {nccl: ncclInfo(), devices}  (no collective)
//   share-id OK   every rank: {rank, ok, bytes} after the communicator's id broadcast
//                 (Kind.ShareUniqueId) of rank 0's 128 bytes, rank 0 saying OK (1 or 0)
//   collectives   {path, communicator, checks} or, when NCCL could not make the
//                 communicator, {initError} (every rank alike). Exits non-zero on a mismatch.
import * as ts from '../../../src';
import { backendInfo } from '../../../src';
import { currentWorld, Kind, Mode } from '../../../src/distribute/backend';
import { GradientBuckets } from '../../../src/distribute/buckets';
import { check as checkAbsolute, values, type DType } from './reference';

// NCCL sums in another order than the host reference: a relative tolerance.
const relative = (want: number): number => 1e-5 * Math.max(1, Math.abs(want));
const check = (what: string, got: ArrayLike<number>, want: number[]): void => checkAbsolute(what, got, want, relative);

function reduce(op: string, dtype: DType, n: number, size: number): number[] {
  const all = Array.from({ length: size }, (_, r) => values(dtype, r, n));
  return Array.from({ length: n }, (_, i) => {
    const xs = all.map((v) => v[i]);
    if (op === 'max') return Math.max(...xs);
    if (op === 'min') return Math.min(...xs);
    const s = xs.reduce((a, b) => a + b, 0);
    return op === 'sum' ? s : dtype === 'int32' ? Math.trunc(s / size) : s / size;
  });
}

async function collectives(device: string): Promise<number> {
  const { rank, size } = ts.distribute.init();
  let checks = 0;
  const onDevice = (t: ts.Tensor, what: string) => {
    if (t.device !== device) throw new Error(`${what}: result on ${t.device}, expected ${device}`);
  };
  for (const dtype of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
    for (const op of dtype === 'bool' ? ['max', 'min'] : ['sum', 'mean', 'max', 'min']) {
      for (const n of [1, 7, 1000, 300_001, 0]) {
        const x = ts.tensor(values(dtype, rank, n), [n], dtype).to(device);
        const before = Array.from(x.dataSync() as ArrayLike<number>);
        const got = ts.distribute.allReduceSync(x, op as ts.distribute.ReduceOp);
        onDevice(got, `allReduceSync ${op} ${dtype} [${n}]`);
        check(`allReduceSync ${op} ${dtype} [${n}]`, got.dataSync() as ArrayLike<number>, reduce(op, dtype, n, size));
        check(`allReduceSync ${op} ${dtype} [${n}] left its input alone`, x.dataSync() as ArrayLike<number>, before);
        ts.dispose([x, got]);
        checks++;
      }
    }
  }
  const a = ts.tensor(values('float32', rank, 513), [513]).to(device);
  const mean = await ts.distribute.allReduce(a, 'mean');
  check('allReduce (Promise) mean', mean.dataSync(), reduce('mean', 'float32', 513, size));
  onDevice(mean, 'allReduce (Promise)');
  for (const root of [0, size - 1]) {
    const got = ts.distribute.broadcastSync(a, root);
    check(`broadcastSync root ${root}`, got.dataSync(), values('float32', root, 513));
    const got2 = await ts.distribute.broadcast(a, root);
    check(`broadcast root ${root}`, got2.dataSync(), values('float32', root, 513));
    onDevice(got2, 'broadcast');
    ts.dispose([got, got2]);
    checks += 2;
  }
  // allGather with uneven rows: rank r gives r + 1 rows of 3.
  const rows = ts.tensor(values('float32', rank, (rank + 1) * 3), [rank + 1, 3]).to(device);
  const want = Array.from({ length: size }, (_, r) => values('float32', r, (r + 1) * 3)).flat();
  const gathered = ts.distribute.allGatherSync(rows);
  check('allGatherSync', gathered.dataSync(), want);
  const gathered2 = await ts.distribute.allGather(rows);
  check('allGather', gathered2.dataSync(), want);
  onDevice(gathered2, 'allGather');
  checks += 2;
  // Gradient buckets: fused (two small gradients, in place) and single (a large one).
  const shapes = [[5], [7, 3], [600, 1000]];
  const grads = shapes.map((s, i) => ts.tensor(values('float32', rank + i, s[0] * (s[1] ?? 1)), s).to(device));
  const buckets = new GradientBuckets(
    'nccl test',
    grads.map((g) => ({ shape: g.shape, dtype: 'float32' as const })),
    1 << 10,
  );
  grads.forEach((g, i) => buckets.ready(i, g));
  const means = buckets.finish();
  means.forEach((m, i) => {
    const n = grads[i].size;
    const perRank = Array.from({ length: size }, (_, r) => values('float32', r + i, n));
    const mean = Array.from({ length: n }, (_, k) => perRank.reduce((s, v) => s + v[k], 0) / size);
    check(`gradient bucket ${i}`, m!.dataSync(), mean);
    onDevice(m!, `gradient bucket ${i}`);
  });
  checks += 3;
  return checks;
}

async function main(): Promise<void> {
  const [mode] = process.argv.slice(2);
  const { rank, localRank } = ts.distribute.init();
  const gpus = backendInfo().cuda.devices.length;
  if (mode === 'share-id') {
    // Rank 0's id is a pattern; the others start from bytes that differ from it.
    const message = Uint8Array.from({ length: 129 }, (_, i) => (rank === 0 ? (i * 37 + 11) % 256 : 0xa5));
    message[0] = rank === 0 ? Number(process.argv[3]) : 7;
    const w = currentWorld();
    w.shim!.submit(Kind.ShareUniqueId, message, 3, 0, w.timeout, Mode.Sync);
    console.log(JSON.stringify({ rank, ok: message[0], bytes: Array.from(message.subarray(1)) }));
    return;
  }
  if (mode === 'probe') {
    if (rank === 0) console.log(JSON.stringify({ nccl: ts.distribute.ncclInfo(), devices: gpus }));
    return;
  }
  const device = `cuda:${localRank % Math.max(gpus, 1)}`;
  try {
    const checks = await collectives(device);
    const info = ts.distribute.ncclInfo();
    if (rank === 0) console.log(JSON.stringify({ checks, communicator: info.communicator, path: process.env.TESSERA_DIST_CUDA ?? 'auto' }));
  } catch (e) {
    const info = ts.distribute.ncclInfo();
    if (info.communicator !== 'failed') throw e;
    console.log(JSON.stringify({ rank, initError: (e as Error).message, communicatorError: info.communicatorError }));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
