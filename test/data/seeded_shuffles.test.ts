// Data pipelines shuffled without a seed of their own draw it from the global seed, as
// Keras's set_random_seed makes tf.data and the dataset utilities repeat: setSeed(s) (or
// utils.setRandomSeed(s)) gives the same order again. They used Math.random before, so a
// seeded run still shuffled its data differently each time.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function firstPass(make: () => ts.data.Dataset<unknown>): Promise<number[]> {
  const out: number[] = [];
  for await (const e of make()) {
    const t = (Array.isArray(e) ? e[0] : e) as ts.Tensor | number;
    if (typeof t === 'number') out.push(t);
    else {
      out.push(...(t.dataSync() as Float32Array));
      ts.dispose(e as never);
    }
  }
  return out;
}

const textDir = mkdtempSync(join(tmpdir(), 'tessera-seeded-'));
for (const c of ['a', 'b']) {
  mkdirSync(join(textDir, c));
  for (let i = 0; i < 8; i++) writeFileSync(join(textDir, c, `${i}.txt`), `${c} ${i}`);
}

const pipelines: Array<[string, () => ts.data.Dataset<unknown>]> = [
  ['Dataset.shuffle', () => ts.data.array(range(40)).shuffle(40) as ts.data.Dataset<unknown>],
  [
    'TensorSliceDataset.shuffle',
    () =>
      ts.data
        .fromTensors(ts.tensor(range(40)))
        .shuffle(40)
        .batch(40) as ts.data.Dataset<unknown>,
  ],
  [
    'timeseriesDatasetFromArray',
    () =>
      ts.data.timeseriesDatasetFromArray(ts.tensor(range(40), [40, 1]), null, { sequenceLength: 1, shuffle: true, batchSize: 40 }) as ts.data.Dataset<unknown>,
  ],
  ['textDatasetFromDirectory', () => ts.data.textDatasetFromDirectory(textDir, { batchSize: 16 }).map((e) => (e as unknown[])[1]) as ts.data.Dataset<unknown>],
];

describe.each(pipelines)('%s without a seed', (_, make) => {
  it('repeats its order after setSeed, and differs for another seed', async () => {
    ts.setSeed(7);
    const a = await firstPass(make);
    ts.utils.setRandomSeed(7);
    const b = await firstPass(make);
    ts.setSeed(8);
    const c = await firstPass(make);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect([...c].sort((p, q) => p - q)).toEqual([...a].sort((p, q) => p - q));
  });
});
