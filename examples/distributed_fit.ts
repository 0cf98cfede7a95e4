// Data-parallel training on MPI: every rank (process) holds a replica of the model and
// fits its shard of the data; gradients are averaged across ranks before each update,
// logs are global, and only rank 0 prints progress and writes the checkpoint.
// The model code is unchanged from a single-process fit: only setDistribution is new.
//
//   npm run build:ts && npm run build:mpi
//   mpirun -np 2 --oversubscribe -x TESSERA_NUM_THREADS=1 node dist/examples/distributed_fit.js [--quick]
//   npx tessera launch -n 2 dist/examples/distributed_fit.js [--quick]
//   node dist/examples/distributed_fit.js   (no mpirun: a world of one, as plain fit)
// (As root, Open MPI's mpirun also needs --allow-run-as-root; `tessera launch` adds it.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { syntheticClasses } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  // Joins the MPI world mpirun started (a world of one without mpirun).
  ts.distribution.setDistribution(new ts.distribution.DataParallel());
  const { rank, size } = ts.distribute.init();
  const dir = rank === 0 ? mkdtempSync(join(tmpdir(), 'tessera-distributed-')) : '';
  try {
    // Every rank builds the same data; fit gives each rank its shard (rows split by rank).
    ts.setSeed(5);
    const { x, y } = syntheticClasses(quick ? 512 : 4096, 20, 4, 11);
    const model = ts.sequential({
      layers: [ts.layers.dense({ units: 64, activation: 'relu', inputShape: [20] }), ts.layers.dense({ units: 4, activation: 'softmax' })],
    });
    model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const callbacks = [
      new ts.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 2 }), // decides the same on every rank: the logs are global
      ...(rank === 0 ? [new ts.callbacks.ModelCheckpoint({ filepath: join(dir, 'best.keras'), saveBestOnly: true })] : []),
    ];
    // The batch size is per rank: the global batch is batchSize x size.
    const history = await model.fit(x, y, { batchSize: 32, epochs: quick ? 3 : 10, validationSplit: 0.2, callbacks, verbose: rank === 0 ? 1 : 0 });
    const losses = history.history.loss;
    const { accuracy } = await model.evaluate(x, y);
    console.log(
      `rank ${rank} of ${size}: loss ${losses[0].toFixed(4)} -> ${losses[losses.length - 1].toFixed(4)}, accuracy ${accuracy.toFixed(3)} (the same on every rank)`,
    );
    ts.dispose([x, y]);
    model.optimizer!.dispose();
    model.dispose();
    return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], accuracy, rank, size };
  } finally {
    if (rank === 0) rmSync(dir, { recursive: true, force: true });
    ts.distribution.setDistribution(null);
  }
}

runAsScript(module, main);
