// ts.distribution's meshes under mpirun -np 2 (Open MPI), one launch: each rank keeps its
// block of distributeTensor, meshes that do not fit the world are refused, and ModelParallel
// with a model axis of size 1 trains exactly as DataParallel. TESSERA_SKIP_MPI_TESTS=1 skips it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureShim, output, runMpi, SKIP_MPI } from './mpi';

const suite = SKIP_MPI ? describe.skip : describe;

suite('ts.distribution meshes (Open MPI, 2 ranks)', () => {
  let dir: string;
  beforeAll(() => {
    ensureShim('openmpi');
    dir = mkdtempSync(join(tmpdir(), 'tessera-meshes-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("each rank holds its mesh place's block; meshes that do not fit are refused; whole-variable ModelParallel is DataParallel", () => {
    const out = join(dir, 'meshes.json');
    const r = runMpi('openmpi', 2, 'test/distributed/workers/meshes.ts', [out]);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const ranks = [0, 1].map((rank) => JSON.parse(readFileSync(out.replace('.json', `.rank${rank}.json`), 'utf8')));
    const x = Array.from({ length: 24 }, (_, i) => i);
    const rows = (r0: number, n: number) => x.slice(r0 * 6, (r0 + n) * 6);
    const columns = (c0: number) => [0, 1, 2, 3].flatMap((i) => x.slice(i * 6 + c0, i * 6 + c0 + 3));
    ranks.forEach((got, rank) => {
      const type = got.defaultMesh.devices[0].split(':')[0];
      expect(got.defaultMesh).toEqual({ shape: [2], axisNames: ['batch'], devices: [`${type}:0`, `${type}:1`] });
      expect(got.dataParallelMesh).toEqual(got.defaultMesh);
      expect(got.shards).toEqual({
        rows: { same: false, shape: [2, 6], values: rows(2 * rank, 2) },
        whole: { same: true, shape: [4, 6], values: x },
        columns: { same: false, shape: [4, 3], values: columns(3 * rank) },
        unitAxis: { same: true, shape: [4, 6], values: x },
        reversed: { same: false, shape: [2, 6], values: rows(2 * (1 - rank), 2) },
      });
      expect(got.errors.threeDevices).toMatch(
        /^distribution\.distributeTensor: <DeviceMesh shape=\[1\].*> has 1 device\(s\) but the MPI world has 2 rank\(s\)/,
      );
      expect(got.errors.foreignDevices).toMatch(/devices \['a', 'b'\] are not the world's \['\w+:0', '\w+:1'\]/);
      expect(got.errors.dataParallelOneDevice).toMatch(/^distribution\.setDistribution: <DeviceMesh shape=\[1\].*has 1 device\(s\) but the MPI world has 2/);
      expect(got.errors.modelParallelBatchOfOne).toMatch(
        /^distribution\.setDistribution: the batch axis 'batch' of .* has 1 device\(s\) but the world has 2 ranks/,
      );
      expect(got.modelParallel).toEqual(got.dataParallel);
      expect(got.dataParallel).toEqual(ranks[0].dataParallel);
    });
  }, 120_000);
});
