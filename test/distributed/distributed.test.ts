// Data-parallel training and the collectives under real mpirun processes on localhost
// (2 ranks, --oversubscribe). TESSERA_SKIP_MPI_TESTS=1 skips them for machines without
// MPI; otherwise a missing mpirun fails them with what to install.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureShim, mpirunOf, output, runMpi, runSingle, SKIP_MPI, type Abi } from './mpi';

const COLLECTIVES = 'test/distributed/workers/collectives.ts';
const TRAINING = 'test/distributed/workers/training.ts';

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - b[i][j])))));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const suite = SKIP_MPI ? describe.skip : describe;

/**
 * In place only where nothing else sees it: in the inplace scenario's submit order (e, a
 * view of a's gradient; c, its own; b and a, one shared tensor; then a user's tensor via
 * averageGradients and allReduceSync; a sole gradient of IN_PLACE_MAX_BYTES, polled) only
 * c's goes in place, and every mean is right.
 */
function checkInPlaceDecisions(abi: Abi, dir: string): void {
  const r = runMpi(abi, 2, TRAINING, ['inplace', join(dir, `ip-${abi}.json`)]);
  expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
  for (const rank of [0, 1]) {
    const got = readJson(join(dir, `ip-${abi}.rank${rank}.json`));
    expect(got).toMatchObject({
      submitted: [false, true, false, false, false, false, false],
      wrong: [],
      distinct: 4,
      untouched: true,
      userMeansRight: true,
      userFresh: true,
      bigMeanRight: true,
    });
  }
}

/**
 * Fit's gradients reduced in place (fused buckets and sole gradients) give the same bits
 * as reduced into fresh tensors (TESSERA_DIST_INPLACE=0), at odd sizes: the uneven model's
 * fused and single buckets, and the wide model's 65,696-byte kernel (a blocking MPI_Allreduce).
 */
function checkInPlaceBits(abi: Abi, dir: string): void {
  for (const [model, bucketBytes] of [
    ['uneven', '600'],
    ['wide', String(1 << 20)],
  ]) {
    const runs = ['1', '0'].map((inPlace) => {
      const out = join(dir, `bits-${abi}-${model}-${inPlace}.json`);
      const r = runMpi(abi, 2, TRAINING, ['equivalence', out, bucketBytes], 90_000, { MODEL: model, TESSERA_DIST_INPLACE: inPlace });
      expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
      return [0, 1].map((rank) => readJson(out.replace('.json', `.rank${rank}.json`)));
    });
    const [[inPlace0, inPlace1], [fresh0, fresh1]] = runs;
    expect(maxDiff(inPlace0.weights, fresh0.weights)).toBe(0);
    expect(maxDiff(inPlace0.weights, inPlace1.weights)).toBe(0);
    expect(maxDiff(fresh0.weights, fresh1.weights)).toBe(0);
    expect(inPlace0.loss).toEqual(fresh0.loss);
    // Every gradient of these models is its layer's own: all in place, or none.
    expect([inPlace0.allReduces.inPlace > 0, inPlace0.allReduces.fresh]).toEqual([true, 0]);
    expect([fresh0.allReduces.inPlace, fresh0.allReduces.fresh > 0]).toEqual([0, true]);
  }
}

suite('distributed (Open MPI, 2 ranks)', () => {
  const abi: Abi = 'openmpi';
  let dir: string;
  beforeAll(() => {
    ensureShim(abi);
    dir = mkdtempSync(join(tmpdir(), 'tessera-dist-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every collective, every dtype, odd and empty sizes, against a naive reference; blocking all-reduces from 64 KB to 32 MB', () => {
    const prefix = join(dir, 'paths');
    const r = runMpi(abi, 2, COLLECTIVES, [], 90_000, { TESSERA_DIST_TRACE: prefix });
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    expect(r.stdout).toMatch(/rank 0\/2: \d+ collective checks passed; UCX_MEM_EVENTS=no/);
    expect(r.stdout).toMatch(/rank 1\/2: \d+ collective checks passed; UCX_MEM_EVENTS=no/);
    for (const rank of [0, 1]) {
      const reduces = readFileSync(`${prefix}.rank${rank}.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { name: string; bytes: number; blocking: boolean })
        .filter((t) => t.name === 'allReduce' && t.bytes > 0);
      // Blocking MPI_Allreduce for what follows the checked message (3952 bytes) from 64 KB
      // to under 32 MB (a fit bucket has no such message); polled otherwise.
      const path = (bytes: number) => reduces.filter((t) => t.bytes === bytes).map((t) => t.blocking);
      expect(reduces.filter((t) => t.bytes < 65536 && t.blocking)).toEqual([]);
      expect(new Set(path(65536 + 3952))).toEqual(new Set([true]));
      expect(new Set(path(65535 + 3952))).toEqual(new Set([false])); // bool, one byte short
      expect(new Set(path(65536))).toEqual(new Set([true])); // averageGradients' [128, 128] alone
      expect(path((32 << 20) + 3952 - 4)).toEqual([true]);
      expect(path((32 << 20) + 3952)).toEqual([false]);
    }
  });

  test("3 ranks: the mean by a world size that is not a power of two; TESSERA_DIST_TRACE writes each request's timeline", () => {
    const prefix = join(dir, 'trace');
    const r = runMpi(abi, 3, COLLECTIVES, [], 90_000, { TESSERA_DIST_TRACE: prefix });
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    for (const rank of [0, 1, 2]) {
      expect(r.stdout).toMatch(new RegExp(`rank ${rank}/3: \\d+ collective checks passed`));
      // One file per rank: on stderr (TESSERA_DIST_TRACE=1) mpirun may cut lines into each other.
      const lines = readFileSync(`${prefix}.rank${rank}.jsonl`, 'utf8').trim().split('\n');
      const traced = lines.map(
        (l) => JSON.parse(l) as { rank: number; name: string; bytes: number; submitted: number; completed: number; returned: number; blocking: boolean },
      );
      const reduces = traced.filter((t) => t.name === 'allReduce' && t.bytes > 0);
      expect(reduces.length).toBeGreaterThan(10);
      for (const t of traced) expect(t.rank).toBe(rank);
      for (const t of reduces) expect([t.submitted <= t.completed, t.completed <= t.returned]).toEqual([true, true]);
    }
  });

  test('TESSERA_DIST_BLOCKING=0: every all-reduce polled, the same results; another value is refused', () => {
    const prefix = join(dir, 'polled');
    const r = runMpi(abi, 2, COLLECTIVES, [], 90_000, { TESSERA_DIST_TRACE: prefix, TESSERA_DIST_BLOCKING: '0' });
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const traced = readFileSync(`${prefix}.rank0.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { bytes: number; blocking: boolean });
    expect(traced.filter((t) => t.bytes >= 65536).length).toBeGreaterThan(5);
    expect(traced.filter((t) => t.blocking)).toEqual([]);
    const bad = runMpi(abi, 2, TRAINING, ['stall'], 60_000, { TESSERA_DIST_BLOCKING: 'yes' });
    expect(bad.status).not.toBe(0);
    expect(output(bad)).toMatch(/ts.distribute.init: TESSERA_DIST_BLOCKING must be 0 .* or 1 .*, got 'yes'/);
  });

  test('2 ranks x batch 64 give the weights of 1 rank x batch 128 after 20 Adam steps, the same on both ranks', () => {
    const two = runMpi(abi, 2, TRAINING, ['equivalence', join(dir, 'eq2.json')]);
    expect({ status: two.status, out: output(two) }).toMatchObject({ status: 0 });
    const one = runSingle(TRAINING, ['equivalence', join(dir, 'eq1.json')]);
    expect({ status: one.status, out: output(one) }).toMatchObject({ status: 0 });
    const r0 = readJson(join(dir, 'eq2.rank0.json'));
    const r1 = readJson(join(dir, 'eq2.rank1.json'));
    const single = readJson(join(dir, 'eq1.rank0.json'));
    expect([r0.size, single.size]).toEqual([2, 1]);
    expect(maxDiff(r0.weights, r1.weights)).toBe(0);
    expect(maxDiff(r0.weights, single.weights)).toBeLessThan(1e-5);
    // It trained: 20 steps moved the loss.
    expect(single.loss[19]).toBeLessThan(single.loss[0] - 0.05);
    r0.loss.forEach((l: number, i: number) => expect(l).toBeCloseTo(single.loss[i], 5));
  });

  test('gradients averaged in many small buckets, and a custom loop with distributedOptimizer, give the same weights', () => {
    const single = readJson(join(dir, 'eq1.rank0.json')); // from the test above
    const buckets = runMpi(abi, 2, TRAINING, ['equivalence', join(dir, 'eqb.json'), '256']); // 256 bytes: a bucket per tensor or less
    expect({ status: buckets.status, out: output(buckets) }).toMatchObject({ status: 0 });
    const custom = runMpi(abi, 2, TRAINING, ['customloop', join(dir, 'custom.json')]);
    expect({ status: custom.status, out: output(custom) }).toMatchObject({ status: 0 });
    for (const name of ['eqb', 'custom']) {
      const [r0, r1] = [readJson(join(dir, `${name}.rank0.json`)), readJson(join(dir, `${name}.rank1.json`))];
      expect(maxDiff(r0.weights, r1.weights)).toBe(0);
      expect(maxDiff(r0.weights, single.weights)).toBeLessThan(1e-5);
    }
  });

  test('uneven gradient sizes, fused and single buckets all-reduced while backward runs, give the weights of 1 rank x batch 128', () => {
    const env = { MODEL: 'uneven' };
    const one = runSingle(TRAINING, ['equivalence', join(dir, 'un1.json')], env);
    expect({ status: one.status, out: output(one) }).toMatchObject({ status: 0 });
    const single = readJson(join(dir, 'un1.rank0.json'));
    // 600 bytes: the 40 x 37 kernel (5,920 bytes) alone, the small ones fused together.
    for (const bucketBytes of ['600', String(25 << 20)]) {
      const two = runMpi(abi, 2, TRAINING, ['equivalence', join(dir, `un2-${bucketBytes}.json`), bucketBytes], 90_000, env);
      expect({ status: two.status, out: output(two) }).toMatchObject({ status: 0 });
      const [r0, r1] = [readJson(join(dir, `un2-${bucketBytes}.rank0.json`)), readJson(join(dir, `un2-${bucketBytes}.rank1.json`))];
      expect(maxDiff(r0.weights, r1.weights)).toBe(0);
      expect(maxDiff(r0.weights, single.weights)).toBeLessThan(1e-5);
      r0.loss.forEach((l: number, i: number) => expect(l).toBeCloseTo(single.loss[i], 5));
      // 20 steps: with small buckets, all but the last bucket (the first layer's) start
      // while backward still has layers to walk; one bucket for everything only at its end.
      // Gradients 0-5: conv kernel and bias, dense 40 x 37 and bias, dense 37 x 3 and bias.
      // The first step plans by variable order, [5, 4], [3], [2], [1, 0]: 3 buckets during
      // backward. Later steps plan by the arrival order it saw (a dense op finishes its
      // kernel and bias together, the conv its bias first), [4, 5], [2], [3, 1, 0]: 2 during.
      for (const r of [r0, r1]) {
        if (bucketBytes === '600') expect(r.allReduces.during).toBe(3 + 19 * 2);
        else expect(r.allReduces.during).toBe(0);
        expect(r.order).toEqual([4, 5, 2, 3, 1, 0]);
      }
      expect(single.order).toBeNull();
    }
  });

  test('in place only where safe: a sole gradient yes; a shared one, a view, a user-held tensor no (and left unchanged)', () => {
    checkInPlaceDecisions(abi, dir);
  });

  test('in place gives the bits of out of place at odd sizes (fused, single and blocking-size buckets); a bad TESSERA_DIST_INPLACE is refused', () => {
    checkInPlaceBits(abi, dir);
    const bad = runMpi(abi, 2, TRAINING, ['equivalence', join(dir, 'bad.json')], 60_000, { TESSERA_DIST_INPLACE: 'yes' });
    expect(bad.status).not.toBe(0);
    expect(output(bad)).toMatch(/TESSERA_DIST_INPLACE must be 0 .* or 1 .*, got 'yes'/);
  });

  test('BatchNormalization synchronized: true: 2 ranks x 64 match 1 rank x 128; per-rank statistics do not', () => {
    const one = runSingle(TRAINING, ['equivalence', join(dir, 'bn1.json')], { SYNC_BN: '1' });
    expect({ status: one.status, out: output(one) }).toMatchObject({ status: 0 });
    const single = readJson(join(dir, 'bn1.rank0.json'));
    for (const [flag, name] of [
      ['1', 'bnsync'],
      ['0', 'bnlocal'],
    ]) {
      const two = runMpi(abi, 2, TRAINING, ['equivalence', join(dir, `${name}.json`)], 90_000, { SYNC_BN: flag });
      expect({ status: two.status, out: output(two) }).toMatchObject({ status: 0 });
    }
    const [s0, s1] = [readJson(join(dir, 'bnsync.rank0.json')), readJson(join(dir, 'bnsync.rank1.json'))];
    expect(maxDiff(s0.weights, s1.weights)).toBe(0);
    expect(maxDiff(s0.weights, single.weights)).toBeLessThan(1e-5); // moving statistics included
    expect(maxDiff(readJson(join(dir, 'bnlocal.rank0.json')).weights, single.weights)).toBeGreaterThan(1e-3);
  });

  test('a Dataset is split by rank: 2 ranks x batch 32 give the weights of 1 rank x batch 64', () => {
    const two = runMpi(abi, 2, TRAINING, ['dataset', join(dir, 'ds2.json')]);
    expect({ status: two.status, out: output(two) }).toMatchObject({ status: 0 });
    const one = runSingle(TRAINING, ['dataset', join(dir, 'ds1.json')]);
    expect({ status: one.status, out: output(one) }).toMatchObject({ status: 0 });
    const [r0, r1, single] = [readJson(join(dir, 'ds2.rank0.json')), readJson(join(dir, 'ds2.rank1.json')), readJson(join(dir, 'ds1.rank0.json'))];
    expect([r0.steps, r1.steps, single.steps]).toEqual([10, 10, 10]); // 5 epochs x 2 steps on every rank
    expect(maxDiff(r0.weights, r1.weights)).toBe(0);
    expect(maxDiff(r0.weights, single.weights)).toBeLessThan(1e-5);
  });

  test('fit with validation and callbacks: global logs on every rank, one checkpoint writer, evaluate/predict shard and gather, resume', () => {
    const fitDir = join(dir, 'fit');
    mkdirSync(fitDir);
    const r = runMpi(abi, 2, TRAINING, ['fit', fitDir]);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const [a, b] = [readJson(join(fitDir, 'rank0.json')), readJson(join(fitDir, 'rank1.json'))];
    expect([a.saves, b.saves]).toEqual([4, 0]); // the ModelCheckpoint ran on rank 0 only
    expect(b.history).toEqual(a.history); // global values: EarlyStopping / ReduceLROnPlateau decide alike
    expect(a.history.val_loss).toHaveLength(4);
    expect(a.history.learning_rate).toBeDefined();
    expect(b.evaluated).toEqual(a.evaluated);
    expect(a.evaluated.loss).toBeCloseTo(a.history.val_loss[3], 5); // 56 validation rows split 28 / 28
    expect(a.predictedShape).toEqual([56, 3]); // every rank's rows, gathered
    expect(b.predicted).toEqual(a.predicted);
    expect(a.resumedWeights).toEqual(a.finalWeights); // the checkpoint holds the trained weights
    expect(b.resumedWeights).toEqual(a.finalWeights);
    expect(b.afterResume).toEqual(a.afterResume);
    expect(a.moreLoss).toHaveLength(2);
    expect(a.moreLoss[1]).toBeLessThan(a.history.loss[3]);
    // Only rank 0 prints the progress bar.
    expect(r.stdout.match(/Epoch 1\/4/g)).toHaveLength(1);
  });

  test("logs reduced once per epoch unless a callback reads them per batch (on any rank); the epoch's logs global either way", () => {
    const r = runMpi(abi, 2, TRAINING, ['logs', join(dir, 'logs.json')]);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const [a, b] = [readJson(join(dir, 'logs.rank0.json')), readJson(join(dir, 'logs.rank1.json'))];
    // 2 epochs x 8 steps. Quiet: the readers' agreement, 2 epoch ends, the first model's
    // bucket order; read per batch: the agreement and 16 steps (the epoch's logs are its last step's).
    for (const x of [a, b]) expect([x.quiet.numbers, x.read.numbers, x.oneRank.numbers]).toEqual([4, 17, 17]);
    expect(b.quiet.history).toEqual(a.quiet.history);
    expect(a.read.history).toEqual(a.quiet.history); // the same training, the same global epoch logs
    expect(b.batchLoss).toEqual(a.batchLoss); // global at every batch where read
    expect(a.batchLoss[7]).toBe(a.quiet.history.loss[0]);
  });

  test('a rank that throws mid-epoch ends every rank non-zero, naming it, within the timeout', () => {
    const r = runMpi(abi, 2, TRAINING, ['throw'], 60_000);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/rank 1 of 2 failed/);
    expect(output(r)).not.toMatch(/fit finished/);
    expect(r.seconds).toBeLessThan(20);
  });

  test('a rank that throws inside backward with buckets in flight waits for them, then ends every rank', () => {
    const r = runMpi(abi, 2, TRAINING, ['throwbackward'], 60_000);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/rank 1 of 2 failed/);
    expect(output(r)).not.toMatch(/fit finished|Segmentation|signal 11/);
    expect(r.seconds).toBeLessThan(20);
  });

  test('a rank that never joins a collective: the others time out and end the job', () => {
    const r = runMpi(abi, 2, TRAINING, ['stall'], 60_000);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/allReduce: timed out after 3.0 s on rank 0 of 2/);
    expect(output(r)).toMatch(/rank 0 after the timeout: tessera.distribute: an earlier collective of this process failed and may still be using its buffers/);
    expect(output(r)).not.toMatch(/all-reduce finished/);
    expect(r.seconds).toBeLessThan(30); // the rank 1 sleeps 60 s
  });

  test.each(['sync', 'async'])('a rank that never joins a blocking (mid-size) all-reduce, %s: the deadline thread ends the job', (mode) => {
    const r = runMpi(abi, 2, TRAINING, ['stallblocking', mode], 60_000);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(
      /rank 0 of 2 failed \(allReduce: timed out after 3.0 s on rank 0 of 2: .*a blocking MPI_Allreduce cannot be abandoned\); aborting all ranks/,
    );
    expect(output(r)).not.toMatch(/all-reduce finished/);
    expect(r.seconds).toBeLessThan(30); // the rank 1 sleeps 60 s
  });
});

const mpichSuite = SKIP_MPI || mpirunOf('mpich') === null ? describe.skip : describe;

mpichSuite('distributed (MPICH, 2 ranks)', () => {
  let dir: string;
  beforeAll(() => {
    ensureShim('mpich');
    dir = mkdtempSync(join(tmpdir(), 'tessera-dist-mpich-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('in place only where safe, and with the bits of out of place', () => {
    checkInPlaceDecisions('mpich', dir);
    checkInPlaceBits('mpich', dir);
  });

  test('the collectives', () => {
    const r = runMpi('mpich', 2, COLLECTIVES, []);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    // UCX's memory-hook self-test stays off (src/distribute/backend.ts keepUcxOffTheHeap).
    expect(r.stdout).toMatch(/rank 1\/2: \d+ collective checks passed; UCX_MEM_EVENTS=no/);
  });

  test('a failing rank ends the job', () => {
    const r = runMpi('mpich', 2, TRAINING, ['throw'], 60_000);
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/rank 1 of 2 failed/);
  });

  test('a rank failing inside backward with buckets in flight ends the job', () => {
    const r = runMpi('mpich', 2, TRAINING, ['throwbackward'], 60_000);
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/rank 1 of 2 failed/);
    expect(output(r)).not.toMatch(/Segmentation|signal 11/);
  });

  test('a rank that never joins a blocking all-reduce: the deadline thread ends the job', () => {
    const r = runMpi('mpich', 2, TRAINING, ['stallblocking', 'async'], 60_000);
    expect(r.status).not.toBe(0);
    expect(output(r)).toMatch(/rank 0 of 2 failed \(allReduce: timed out after 3.0 s on rank 0 of 2: .*cannot be abandoned\); aborting all ranks/);
    expect(output(r)).not.toMatch(/all-reduce finished/);
    expect(r.seconds).toBeLessThan(30);
  });
});
