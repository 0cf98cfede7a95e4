// Callbacks: EarlyStopping that restores the best weights, ModelCheckpoint saving the
// best model to a temporary folder, ReduceLROnPlateau, CSVLogger, and a custom
// Callback subclass that logs in its own format.
//   node dist/examples/callbacks.js [--quick]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { syntheticClasses } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

/** A custom callback: override the hooks you need (they may be async; fit awaits them). */
class EpochTimer extends ts.callbacks.Callback {
  private started = 0;
  private readonly timings: number[] = [];

  override onEpochBegin(): void {
    this.started = performance.now();
  }

  override onEpochEnd(epoch: number, logs: ts.callbacks.Logs = {}): void {
    const ms = performance.now() - this.started;
    this.timings.push(ms);
    // learning_rate is in the logs because ReduceLROnPlateau (earlier in the list) put it there.
    console.log(
      `epoch ${String(epoch + 1).padStart(2)} ${ms.toFixed(0).padStart(4)} ms  loss ${logs.loss.toFixed(4)}  val_loss ${logs.val_loss.toFixed(4)}  lr ${logs.learning_rate}`,
    );
  }

  override onTrainEnd(): void {
    const mean = this.timings.reduce((a, b) => a + b, 0) / this.timings.length;
    console.log(`${this.timings.length} epochs, ${mean.toFixed(0)} ms each on average`);
  }
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(9);
  // Few samples, many features, a large network: it soon overfits and val_loss stops improving.
  const n = quick ? 256 : 600;
  const { x, y } = syntheticClasses(n, 40, 2, 3);
  const model = ts.sequential({
    layers: [
      ts.layers.dense({ units: 128, activation: 'relu', inputShape: [40] }),
      ts.layers.dense({ units: 128, activation: 'relu' }),
      ts.layers.dense({ units: 2 }),
    ],
  });
  model.compile({
    optimizer: new ts.optimizers.Adam({ learningRate: 3e-3 }),
    loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });

  const dir = mkdtempSync(join(tmpdir(), 'tessera-callbacks-'));
  const earlyStopping = new ts.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 4, restoreBestWeights: true, verbose: 1 });
  const callbacks = [
    earlyStopping,
    // Only improvements are saved; {epoch:02d} and {val_loss:.3f} come from the logs.
    new ts.callbacks.ModelCheckpoint({ filepath: join(dir, 'best-{epoch:02d}-{val_loss:.3f}.keras'), monitor: 'val_loss', saveBestOnly: true }),
    new ts.callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-4 }),
    new ts.callbacks.CSVLogger(join(dir, 'training.csv')),
    new EpochTimer(),
  ];
  try {
    const history = await model.fit(x, y, { epochs: quick ? 3 : 100, batchSize: 32, validationSplit: 0.3, verbose: 0, callbacks });

    const stopped = earlyStopping.stoppedEpoch > 0 ? `stopped after epoch ${earlyStopping.stoppedEpoch + 1}` : 'ran every epoch';
    console.log(
      `EarlyStopping ${stopped}; weights restored from epoch ${earlyStopping.bestEpoch + 1} (val_loss ${Math.min(...history.history.val_loss).toFixed(4)})`,
    );
    console.log(
      `checkpoints: ${readdirSync(dir)
        .filter((f) => f.endsWith('.keras'))
        .join(', ')}`,
    );
    console.log(`training.csv:\n${readFileSync(join(dir, 'training.csv'), 'utf8').split('\n').slice(0, 4).join('\n')}\n...`);

    // The restored weights are the best epoch's: evaluating on the validation split (the
    // last 30% of the samples, as Keras takes it) gives that epoch's val_loss back.
    const trainCount = Math.floor(n * 0.7);
    const validation = [ts.slice(x, [trainCount], [n - trainCount]), ts.slice(y, [trainCount], [n - trainCount])];
    const { loss } = await model.evaluate(validation[0], validation[1]);
    console.log(`evaluate on the validation split after restoring: loss ${loss.toFixed(4)}`);
    ts.dispose(validation);
    const losses = history.history.loss;
    return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], epochsRun: losses.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    ts.dispose([x, y]);
    model.optimizer!.dispose();
    model.dispose();
  }
}

runAsScript(module, main);
