// A data pipeline from a CSV file: ts.data.fromCsv reads typed rows (streamed line by
// line), map turns each into tensors, shuffle and batch make training batches, and fit
// and evaluate take the Datasets directly.
//   node dist/examples/csv_pipeline.js [--quick]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { seededRandom } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

// A made-up housing table: the price follows area, rooms, age and the district.
function writeCsv(path: string, rows: number): void {
  const random = seededRandom(12);
  const lines = ['area,rooms,age,district,price'];
  for (let i = 0; i < rows; i++) {
    const area = Math.round(40 + 160 * random());
    const rooms = 1 + Math.floor(random() * 5);
    const age = Math.floor(random() * 60);
    const district = random() < 0.5 ? 'north' : 'south';
    const price = 2.5 * area + 15 * rooms - 1.2 * age + (district === 'north' ? 60 : 0) + 20 * (random() - 0.5);
    // Some rows lack an age: the column's default fills them in.
    lines.push(`${area},${rooms},${i % 17 === 0 ? '' : age},${district},${price.toFixed(1)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

// One row -> {xs: features, ys: target}, scaled to about unit size. fit reads {xs, ys} elements.
type Row = { xs: { area: number; rooms: number; age: number; district: string }; ys: { price: number } };
function toExample(row: ts.data.Element) {
  const { xs, ys } = row as unknown as Row;
  return {
    xs: ts.tensor([xs.area / 100, xs.rooms / 5, xs.age / 60, xs.district === 'north' ? 1 : 0]),
    ys: ts.tensor([ys.price / 100]),
  };
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(12);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-csv-'));
  const path = join(dir, 'houses.csv');
  const rows = quick ? 300 : 3000;
  writeCsv(path, rows);

  // Column types are inferred (numbers, strings) unless configured; isLabel columns go to ys.
  const table = ts.data.fromCsv(path, {
    columnConfigs: { price: { isLabel: true }, age: { dtype: 'float32', default: 30 }, district: { dtype: 'string' } },
  });
  console.log('first row:', JSON.stringify((await table.take(1).toArray())[0]));

  // The first 80% of the rows train, the rest validate. Datasets are lazy and re-iterable:
  // every epoch reads the file again, and shuffle reorders each time.
  const trainCount = Math.floor(rows * 0.8);
  const train = table.take(trainCount).map(toExample).shuffle(512).batch(32);
  const validation = table.skip(trainCount).map(toExample).batch(128);

  const model = ts.sequential({
    layers: [ts.layers.dense({ units: 32, activation: 'relu', inputShape: [4] }), ts.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
  try {
    const history = await model.fit(train, { epochs: quick ? 2 : 30, validationData: validation, verbose: 0 });
    const logs = await model.evaluate(validation);
    // Targets were divided by 100: a mean absolute error of 0.05 is 5 price units.
    console.log(`validation: mae ${(100 * logs.mae).toFixed(1)} price units (the noise alone gives 5)`);
    const losses = history.history.loss;
    console.log(`training loss ${losses[0].toFixed(4)} -> ${losses.at(-1)!.toFixed(4)}`);
    return { firstLoss: losses[0], lastLoss: losses.at(-1)!, mae: logs.mae };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.optimizer!.dispose();
    model.dispose();
  }
}

runAsScript(module, main);
