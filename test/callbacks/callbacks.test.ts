import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, ones, sequential, setSeed, tensor, type Tensor } from '../../src';
import {
  Callback,
  CallbackList,
  CSVLogger,
  EarlyStopping,
  History,
  LambdaCallback,
  LearningRateScheduler,
  ModelCheckpoint,
  ProgbarLogger,
  ReduceLROnPlateau,
  TensorBoard,
  TerminateOnNaN,
  type CallbackModel,
} from '../../src/callbacks';
import { crc32c } from '../../src/callbacks/tensorboard';
import { formatCheckpointPath } from '../../src/callbacks/model_checkpoint';

// A stand-in for a model: one weight whose value is set per epoch, and a saver.
function fakeModel(): CallbackModel & { weight: number; saved: string[]; lr: number } {
  const m = {
    stopTraining: false,
    weight: 0,
    saved: [] as string[],
    lr: 0.1,
    optimizer: undefined as unknown as CallbackModel['optimizer'],
    getWeights: (): Tensor[] => [tensor([m.weight])],
    setWeights: (ws: Tensor[]) => {
      m.weight = ws[0].dataSync()[0];
    },
    save: async (path: string) => {
      m.saved.push(path);
    },
  };
  m.optimizer = {
    get learningRate() {
      return m.lr;
    },
    set learningRate(v: unknown) {
      m.lr = v as number;
    },
  };
  return m;
}

async function runEpochs(list: CallbackList, model: ReturnType<typeof fakeModel>, losses: number[]) {
  list.setModel(model);
  list.setParams({ epochs: losses.length, steps: 2, verbose: 0 });
  await list.call('onTrainBegin');
  let epoch = 0;
  for (; epoch < losses.length && !model.stopTraining; epoch++) {
    model.weight = epoch;
    await list.call('onEpochBegin', epoch);
    await list.call('onTrainBatchEnd', 0, { loss: losses[epoch] });
    await list.call('onEpochEnd', epoch, { loss: losses[epoch], val_loss: losses[epoch] });
  }
  await list.call('onTrainEnd');
  return epoch;
}

describe('callbacks', () => {
  it('History records every epoch', async () => {
    const h = new History();
    await runEpochs(new CallbackList([h]), fakeModel(), [3, 2, 1]);
    expect(h.history.loss).toEqual([3, 2, 1]);
    expect(h.epoch).toEqual([0, 1, 2]);
  });

  it('EarlyStopping stops after patience and restores the best weights', async () => {
    const model = fakeModel();
    const es = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const ran = await runEpochs(new CallbackList([es]), model, [5, 3, 4, 4, 1, 0]);
    expect(ran).toBe(4); // best at epoch 1, two epochs without improvement
    expect(es.stoppedEpoch).toBe(3);
    expect(model.weight).toBe(1);
  });

  it('EarlyStopping honours baseline and mode', async () => {
    const model = fakeModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, baseline: 2 });
    expect(await runEpochs(new CallbackList([es]), model, [3, 3, 3])).toBe(2);
    const up = new EarlyStopping({ monitor: 'val_accuracy' });
    expect(up.monitor.higherIsBetter).toBe(true);
  });

  it('EarlyStopping restores the best epoch even when none beat the baseline (as Keras documents)', async () => {
    const model = fakeModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 3, baseline: 1, restoreBestWeights: true });
    expect(await runEpochs(new CallbackList([es]), model, [5, 2, 4, 3, 3])).toBe(3); // patience epochs, none under the baseline
    expect(es.bestEpoch).toBe(1);
    expect(model.weight).toBe(1);
  });

  it.each(['val_cosine_similarity', 'val_mean_io_u', 'fbeta_score', 'val_bleu', 'rouge_l', 'val_specificity_at_sensitivity'])(
    "'auto' mode knows that higher %s is better",
    (key) => {
      expect(new EarlyStopping({ monitor: key }).monitor.higherIsBetter).toBe(true);
      expect(new ModelCheckpoint({ filepath: 'best.keras', monitor: key }).monitor.higherIsBetter).toBe(true);
      expect(new ReduceLROnPlateau({ monitor: key }).monitor.higherIsBetter).toBe(true);
    },
  );

  it('ModelCheckpoint saves each epoch or only the best', async () => {
    const model = fakeModel();
    await runEpochs(new CallbackList([new ModelCheckpoint({ filepath: 'ckpt-{epoch:02d}-{val_loss:.2f}' })]), model, [2, 1]);
    expect(model.saved).toEqual(['ckpt-01-2.00', 'ckpt-02-1.00']);
    const best = fakeModel();
    await runEpochs(new CallbackList([new ModelCheckpoint({ filepath: 'best', saveBestOnly: true })]), best, [3, 4, 2, 5]);
    expect(best.saved).toEqual(['best', 'best']);
    expect(() => formatCheckpointPath('{missing}', 1, {})).toThrow(/names 'missing', which the logs do not have/);
  });

  it("ModelCheckpoint's verbose lines are Keras 3's (values to 5 places, None before the first)", async () => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await runEpochs(new CallbackList([new ModelCheckpoint({ filepath: 'best', saveBestOnly: true, verbose: 1 })]), fakeModel(), [3, 4, 2.123456789]);
    } finally {
      log.mockRestore();
    }
    expect(lines).toEqual([
      'Epoch 1: val_loss improved from None to 3.00000, saving model to best',
      'Epoch 2: val_loss did not improve from 3.00000',
      'Epoch 3: val_loss improved from 3.00000 to 2.12346, saving model to best',
    ]);
  });

  it('ReduceLROnPlateau and LearningRateScheduler change the learning rate', async () => {
    const model = fakeModel();
    await runEpochs(new CallbackList([new ReduceLROnPlateau({ patience: 1, factor: 0.5, minLr: 0.03 })]), model, [1, 1, 1, 1]);
    expect(model.lr).toBeCloseTo(0.03);
    const sched = fakeModel();
    await runEpochs(new CallbackList([new LearningRateScheduler((epoch) => 1 / (epoch + 1))]), sched, [1, 1, 1]);
    expect(sched.lr).toBeCloseTo(1 / 3);
  });

  it('TerminateOnNaN stops on a NaN loss', async () => {
    const model = fakeModel();
    expect(await runEpochs(new CallbackList([new TerminateOnNaN()]), model, [1, NaN, 1])).toBe(2);
  });

  it('LambdaCallback and CSVLogger', async () => {
    const seen: number[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cb-'));
    const file = join(dir, 'log.csv');
    await runEpochs(new CallbackList([new LambdaCallback({ onEpochEnd: (e) => void seen.push(e) }), new CSVLogger(file)]), fakeModel(), [2, 1]);
    expect(seen).toEqual([0, 1]);
    expect(readFileSync(file, 'utf8')).toBe('epoch,loss,val_loss\n0,2,2\n1,1,1\n');
    expect(() => new LambdaCallback({ onEpochFinish: () => {} } as never)).toThrow(/'onEpochFinish' is not a callback hook/);
    expect(() => new LambdaCallback({ on_epoch_end: () => {} } as never)).toThrow(
      /LambdaCallback: 'on_epoch_end' is not a callback hook; did you mean 'onEpochEnd'\? expected one of onTrainBegin/,
    );
  });

  it('ProgbarLogger prints one line per epoch with verbose 2 and a bar with verbose 1', async () => {
    const out: string[] = [];
    const list = new CallbackList([new ProgbarLogger({ verbose: 2, write: (t) => void out.push(t), isTTY: false })]);
    await runEpochs(list, fakeModel(), [0.5]);
    expect(out.join('')).toMatch(/^Epoch 1\/1\n1\/2 - \d+s - \d+(us|ms)\/step - loss: 0\.5000 - val_loss: 0\.5000\n$/);
    const tty: string[] = [];
    await runEpochs(new CallbackList([new ProgbarLogger({ verbose: 1, write: (t) => void tty.push(t), isTTY: true })]), fakeModel(), [0.25]);
    expect(tty.join('')).toContain('1/2 ━━━━━━━━━━────────── ETA');
  });

  it('TensorBoard writes TFRecord event files with valid CRCs', async () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tb-'));
    await runEpochs(new CallbackList([new TensorBoard({ logDir: dir })]), fakeModel(), [2, 1]);
    const train = join(dir, 'train');
    const buf = readFileSync(join(train, readdirSync(train)[0]));
    const records: Buffer[] = [];
    for (let p = 0; p < buf.length;) {
      const len = Number(buf.readBigUInt64LE(p));
      records.push(buf.subarray(p + 12, p + 12 + len));
      p += 16 + len;
    }
    expect(records.length).toBe(3); // file_version + two epochs
    expect(records[0].includes(Buffer.from('brain.Event:2'))).toBe(true);
    expect(records[1].includes(Buffer.from('epoch_loss'))).toBe(true);
  });
});

describe('Callback subclasses: a method named like a hook must be one', () => {
  const tinyModel = () => {
    setSeed(3);
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    return m;
  };
  const [x, y] = [ones([4, 2]), ones([4, 1])];
  afterAll(() => [x, y].forEach((t) => t.dispose()));

  it('fit, evaluate and predict refuse a misspelled or snake_case hook, naming the class, the method and the hook', async () => {
    let calls = 0;
    class SnakeCase extends Callback {
      on_epoch_end(): void {
        calls++;
      }
    }
    class Misspelled extends Callback {
      onEpochEnds(): void {
        calls++;
      }
    }
    class Unknown extends Callback {
      onFinished(): void {
        calls++;
      }
    }
    // Below a user's base class, as well.
    class Derived extends SnakeCase {}
    const m = tinyModel();
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: new SnakeCase() })).rejects.toThrow(
      /fit: callbacks: SnakeCase\.on_epoch_end is never called: the hook is spelled 'onEpochEnd'/,
    );
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new Misspelled()] })).rejects.toThrow(
      /fit: callbacks\[0\]: Misspelled\.onEpochEnds is not a callback hook, so it would never be called; did you mean 'onEpochEnd'\?/,
    );
    await expect(m.evaluate(x, y, { verbose: 0, callbacks: [new Unknown()] })).rejects.toThrow(
      /evaluate: callbacks\[0\]: Unknown\.onFinished is not a callback hook.*hooks are: onTrainBegin, .*onPredictBatchEnd/,
    );
    expect(() => m.predict(x, { callbacks: new Derived() })).toThrow(/predict: callbacks: SnakeCase\.on_epoch_end is never called.*'onEpochEnd'/);
    expect(calls).toBe(0);
    m.dispose();
  });

  it('keeps real hooks, helper methods and fields, and every built-in callback', async () => {
    const seen: string[] = [];
    class Keeper extends Callback {
      onHandler = () => 'a field, not a method';
      override onEpochEnd(epoch: number): void {
        seen.push(this.label(epoch));
      }
      label(epoch: number): string {
        return `epoch ${epoch}`;
      }
      once(): void {}
      only_best(): void {}
    }
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cb-'));
    const builtIns = [
      new History(),
      new EarlyStopping(),
      new ModelCheckpoint({ filepath: join(dir, 'ckpt') }),
      new ReduceLROnPlateau(),
      new LearningRateScheduler((_epoch: number, lr: number) => lr),
      new TerminateOnNaN(),
      new LambdaCallback({ onEpochEnd: () => undefined }),
      new CSVLogger(join(dir, 'log.csv')),
      new ProgbarLogger({ verbose: 2, write: () => undefined, isTTY: false }),
      new TensorBoard({ logDir: join(dir, 'tb') }),
    ];
    const m = tinyModel();
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: new Keeper() });
    expect(seen).toEqual(['epoch 0', 'epoch 1']);
    (m.predict(x, { callbacks: builtIns }) as Tensor).dispose();
    m.dispose();
  });
});
