// Every example in examples/ runs in-process with {quick: true}: it must finish, learn
// something (its loss falls), report finite numbers and release every tensor it made.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memory, ones } from '../src';
import { output, runMpi, SKIP_MPI, ensureShim } from './distributed/mpi';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Collects garbage that earlier code left (and drains it with one op), so that what the
// collector reclaims during an example is the example's own.
async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setImmediate(r));
  ones([1]).dispose();
}

type Main = (options: { quick?: boolean }) => Promise<Record<string, number>>;

const EXAMPLES = [
  'sequential',
  'functional_multi_io',
  'siamese',
  'residual_cnn',
  'custom_layer_and_model',
  'custom_training_loop',
  'custom_loss_and_metric',
  'clipping_and_schedules',
  'callbacks',
  'batch_norm_train_vs_inference',
  'text_lstm_gru',
  'csv_pipeline',
  'custom_train_step',
  'save_and_load',
  'adversarial_training',
  'image_folder',
  'timeseries_forecast',
  'distributed_fit',
  'text_classification',
  'char_gpt',
  'vae',
  'char_lstm',
  'mini_gpt',
  'distillation',
];

// What each example returns beyond the loss, checked where it says something.
const EXTRA_CHECKS: Record<string, (result: Record<string, number>) => void> = {
  custom_loss_and_metric: (r) => expect(r.customF1).toBeCloseTo(r.f1, 4),
  save_and_load: (r) => expect(r.maxDifference).toBe(0),
  // FGSM must hurt the plainly trained model: the attack is real.
  adversarial_training: (r) => expect(r.plainAttackedAccuracy).toBeLessThan(r.plainAccuracy),
  text_classification: (r) => expect(r.maxDifference).toBe(0),
  // The decoder beats guessing 0.5 for every pixel (784 ln 2 nats) by far; the KL term is logged.
  vae: (r) => {
    expect(r.reconstructionLoss).toBeLessThan(0.8 * 784 * Math.LN2);
    expect(r.klLoss).toBeGreaterThan(0);
  },
  // Beats the best context-free guess (the characters' frequencies).
  char_lstm: (r) => expect(r.lastLoss).toBeLessThan(r.unigramLoss),
  // The callback generated text at every epoch's end.
  mini_gpt: (r) => expect(r.samples).toBe(r.epochs),
  // The student learns the labels too: its own loss ends below a uniform guess's (ln 10) and
  // its test accuracy far above chance (0.1).
  distillation: (r) => {
    expect(r.studentLoss).toBeLessThan(Math.log(10));
    expect(r.studentAccuracy).toBeGreaterThan(0.3);
  },
};

describe('examples --quick', () => {
  // The examples print progress; the test output keeps only failures.
  beforeAll(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(() => jest.restoreAllMocks());

  it.each(EXAMPLES)('%s runs, learns and leaks no tensors', async (name) => {
    const { main } = (await import(`../examples/${name}`)) as { main: Main };
    await settle();
    const before = memory();
    const result = await main({ quick: true });
    await settle();
    const after = memory();
    // Every tensor the example made is released. The collector may also reclaim garbage
    // that earlier code left (it runs when it likes), which lowers the live count by as
    // much as it reclaims; the example's own tensors must not remain either way.
    const live = after.numTensors - before.numTensors;
    const reclaimed = after.reclaimedByGC - before.reclaimedByGC;
    expect({ net: live + reclaimed, live: Math.min(live, 0) }).toEqual({ net: 0, live });
    for (const [key, value] of Object.entries(result)) expect([key, Number.isFinite(value)]).toEqual([key, true]);
    expect(result.lastLoss).toBeLessThan(result.firstLoss);
    EXTRA_CHECKS[name]?.(result);
  });
});

// The distributed example also runs as it is meant to: 2 ranks under mpirun.
(SKIP_MPI ? describe.skip : describe)('examples under mpirun -np 2', () => {
  it('distributed_fit trains on 2 ranks with the same logs on each', () => {
    ensureShim('openmpi');
    const r = runMpi('openmpi', 2, 'examples/distributed_fit.ts', ['--quick']);
    expect({ status: r.status, out: output(r) }).toMatchObject({ status: 0 });
    const lines = r.stdout
      .split('\n')
      .filter((l) => / of 2: loss/.test(l))
      .map((l) => l.replace(/^rank \d/, 'rank _'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(lines[1]); // identical global values on both ranks
    expect(r.stdout.match(/Epoch 1\//g)).toHaveLength(1); // progress from rank 0 only
  });
});
