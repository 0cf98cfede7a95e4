// The NCCL path of ts.distribute: routing (here, always), ncclInfo under mpirun on a
// machine without NCCL, and, where a GPU and libnccl.so.2 are present, every collective
// of CUDA tensors through NCCL under mpirun (scripts/gpu-check.sh runs this file there).
import { collectivePath, cudaSetting } from '../../src/distribute/cuda_route';
import { tensor } from '../../src';
import { native } from '../../src/native/binding';
import { lendDeviceBuffer, lendDeviceWithResult } from '../../src/tensor/device_buffer';
import { availableDevices } from '../helpers/memory';
import { ensureShim, mpirunOf, output, runMpi, SKIP_MPI } from './mpi';

const WORKER = 'test/distributed/workers/nccl.ts';
const absent = { available: false, reason: 'libnccl.so.2 not found (test)' };
const present = { available: true, reason: '' };

describe('which path a collective takes (cuda_route.ts)', () => {
  test('CPU tensors: MPI on their bytes, whatever NCCL and TESSERA_DIST_CUDA say', () => {
    expect(collectivePath('allReduce', { device: 'cpu', dtype: 'float32' }, 'sum', present, { TESSERA_DIST_CUDA: 'nccl' })).toBe('cpu');
  });

  test('CUDA tensors: NCCL when it is available, else through host memory; TESSERA_DIST_CUDA=mpi forces host memory', () => {
    const t = { device: 'cuda:0', dtype: 'float32' as const };
    expect(collectivePath('allReduce', t, 'sum', present, {})).toBe('nccl');
    expect(collectivePath('broadcast', t, null, present, { TESSERA_DIST_CUDA: 'auto' })).toBe('nccl');
    expect(collectivePath('allReduce', t, 'sum', absent, {})).toBe('host-copy');
    expect(collectivePath('allReduce', t, 'sum', present, { TESSERA_DIST_CUDA: 'mpi' })).toBe('host-copy');
    expect(collectivePath('allGather', t, null, absent, { TESSERA_DIST_CUDA: 'mpi' })).toBe('host-copy');
  });

  test("int32 'mean' stays on the host path (it truncates there; the device's int32 division floors)", () => {
    expect(collectivePath('allReduce', { device: 'cuda:1', dtype: 'int32' }, 'mean', present, {})).toBe('host-copy');
    expect(collectivePath('allReduce', { device: 'cuda:1', dtype: 'int32' }, 'sum', present, {})).toBe('nccl');
    expect(collectivePath('allReduce', { device: 'cuda:1', dtype: 'float64' }, 'mean', present, {})).toBe('nccl');
  });

  test('TESSERA_DIST_CUDA=nccl without NCCL fails naming why; an unknown value is refused', () => {
    expect(() => collectivePath('allReduce', { device: 'cuda:0', dtype: 'float32' }, 'sum', absent, { TESSERA_DIST_CUDA: 'nccl' })).toThrow(
      'ts.distribute.allReduce: TESSERA_DIST_CUDA=nccl but NCCL is not available: libnccl.so.2 not found (test)',
    );
    expect(() => cudaSetting({ TESSERA_DIST_CUDA: 'gloo' })).toThrow("ts.distribute: TESSERA_DIST_CUDA must be 'auto'");
    expect(() => cudaSetting({ TESSERA_DIST_CUDA: 'gloo' })).toThrow("got 'gloo'");
  });
});

describe('device memory loans', () => {
  test('a CPU tensor is refused, by the TS side and by the addon', () => {
    const t = tensor([1, 2, 3]);
    expect(() => lendDeviceBuffer(t, 'ts.distribute.allReduce')).toThrow(
      'ts.distribute.allReduce: expected a CUDA tensor to lend its device memory, got one on cpu',
    );
    expect(() => lendDeviceWithResult(t, 'ts.distribute.broadcast')).toThrow('expected a CUDA tensor to lend its device memory, got one on cpu');
    // The addon's own check (under the TS one).
    expect(() => native.deviceBuffer(t.liveHandle('test'))).toThrow('deviceBuffer: expected a CUDA tensor, got one on cpu');
    expect(() => native.deviceBufferPair(t.liveHandle('test'))).toThrow('deviceBufferPair: expected a CUDA tensor, got one on cpu');
    t.dispose();
  });
});

const mpiSuite = SKIP_MPI || mpirunOf('openmpi') === null ? describe.skip : describe;

mpiSuite('ncclInfo and the id broadcast under mpirun (Open MPI, no GPU needed)', () => {
  beforeAll(() => ensureShim('openmpi'), 120_000);

  test('names where it looked and why NCCL is absent; no communicator', () => {
    const r = runMpi('openmpi', 1, WORKER, ['probe'], 60_000, { TESSERA_NCCL_LIBRARY: '/nonexistent/libnccl.so.2' });
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const { nccl } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(nccl).toMatchObject({ available: false, version: 0, communicator: 'none', communicatorError: '' });
    expect(nccl.reason).toContain('/nonexistent/libnccl.so.2');
    expect(nccl.reason).toContain('TESSERA_NCCL_LIBRARY');
  });

  test("the communicator's unique id: rank 0's 128 bytes reach every rank, and so does its failure to make one", () => {
    const want = Array.from({ length: 128 }, (_, i) => ((i + 1) * 37 + 11) % 256);
    for (const [ok, bytes] of [
      [1, want],
      [0, Array.from({ length: 128 }, () => 0)], // rank 0 sends no id when it has none
    ] as const) {
      const r = runMpi('openmpi', 3, WORKER, ['share-id', String(ok)], 60_000);
      expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .sort((a, b) => a.rank - b.rank);
      expect(lines).toEqual([0, 1, 2].map((rank) => ({ rank, ok, bytes })));
    }
  }, 120_000);
});

// The GPU part: skipped, with its reason in the suite's name, where there is no CUDA
// device, no MPI, or no NCCL.
const gpus = availableDevices().filter((d) => d !== 'cpu');
function gpuSkipReason(): string | null {
  if (gpus.length === 0) return 'no CUDA device';
  if (SKIP_MPI || mpirunOf('openmpi') === null) return "no Open MPI's mpirun";
  ensureShim('openmpi');
  const r = runMpi('openmpi', 1, WORKER, ['probe'], 60_000);
  if (r.status !== 0) return `the probe failed: ${output(r)}`;
  const { nccl } = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return nccl.available ? null : `NCCL is not available: ${nccl.reason}`;
}
const skipReason = gpuSkipReason();
const gpuSuite = skipReason === null ? describe : describe.skip;

gpuSuite(`NCCL on CUDA tensors (Open MPI)${skipReason === null ? '' : ` [skipped: ${skipReason}]`}`, () => {
  const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!);

  test('1 rank: every collective of CUDA tensors through NCCL, results on the device, against the reference', () => {
    const r = runMpi('openmpi', 1, WORKER, ['collectives'], 120_000);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    expect(last(r.stdout)).toMatchObject({ communicator: 'ready', path: 'auto' });
  }, 150_000);

  test('TESSERA_DIST_CUDA=mpi: the same results through host memory, no communicator made', () => {
    const r = runMpi('openmpi', 1, WORKER, ['collectives'], 120_000, { TESSERA_DIST_CUDA: 'mpi' });
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    expect(last(r.stdout)).toMatchObject({ communicator: 'none', path: 'mpi' });
  }, 150_000);

  test('2 ranks: through NCCL on two GPUs; on one GPU, NCCL refuses two ranks per GPU and every rank says so', () => {
    const r = runMpi('openmpi', 2, WORKER, ['collectives'], 120_000);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    if (gpus.length >= 2 || lines.every((l) => l.initError === undefined)) {
      expect(lines).toEqual([expect.objectContaining({ communicator: 'ready' })]);
    } else {
      expect(lines).toHaveLength(2);
      for (const l of lines) {
        expect(l.initError).toContain('NCCL could not be set up');
        expect(l.initError).toContain('TESSERA_DIST_CUDA=mpi reduces CUDA tensors through host memory instead');
        expect(l.communicatorError).toContain('ncclCommInitRank');
      }
    }
  }, 150_000);
});
