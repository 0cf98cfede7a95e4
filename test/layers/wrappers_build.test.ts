// Wrappers build their inner layers when they are built (at a model's definition), as
// Keras does: the weights count in summary and countParams, and a model saved before
// any call loads back, in both file formats.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { input, layers, loadModel, model, sequential, tensor, type Model, type Tensor } from '../../src';
import type { Layer } from '../../src/layers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-wrappers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const summaryOf = (m: Model<any>) => {
  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  return lines.join('\n');
};

interface Case {
  name: string;
  build: () => Model<any>;
  /** The parameters Keras counts for it. */
  params: number;
  weights: number;
  inputShape: number[];
}

const cases: Case[] = [
  // dense 3 -> 4: 3*4 + 4.
  {
    name: 'timeDistributed(dense) in a sequential model',
    build: () => sequential({ layers: [layers.timeDistributed({ layer: layers.dense({ units: 4 }), inputShape: [5, 3] })] }),
    params: 16,
    weights: 2,
    inputShape: [2, 5, 3],
  },
  {
    name: 'timeDistributed(conv2d) in a functional model',
    build: () => {
      const x = input({ shape: [4, 6, 6, 2] });
      // 3x3x2 -> 3 filters: 54 + 3.
      return model({ inputs: x, outputs: layers.timeDistributed({ layer: layers.conv2d({ filters: 3, kernelSize: 3 }) }).apply(x) });
    },
    params: 57,
    weights: 2,
    inputShape: [1, 4, 6, 6, 2],
  },
  // two LSTMs 3 -> 2: 2 * (4 * 2 * (3 + 2) + 4 * 2).
  {
    name: 'bidirectional(lstm)',
    build: () => sequential({ layers: [layers.bidirectional({ layer: layers.lstm({ units: 2 }), inputShape: [5, 3] })] }),
    params: 96,
    weights: 6,
    inputShape: [2, 5, 3],
  },
];

const values = (shape: number[]) =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i * 0.7)),
    shape,
  );

describe.each(cases)('$name', (c) => {
  test('the inner weights exist before any call: countParams, weights, getWeights, summary', () => {
    const m = c.build();
    expect(m.countParams()).toBe(c.params);
    expect(m.trainableWeights).toHaveLength(c.weights);
    expect(m.getWeights()).toHaveLength(c.weights);
    expect(summaryOf(m)).toContain(`Total params: ${c.params}`);
  });

  test.each(['model.keras', 'tfjs-folder'])('saved before any call, it loads back (%s)', async (file) => {
    const m = c.build();
    const where = path.join(dir, `${c.name.replace(/\W+/g, '_')}_${file}`);
    await m.save(where);
    const loaded = (await loadModel(where)) as Layer<any>;
    expect(loaded.countParams()).toBe(c.params);
    const x = values(c.inputShape);
    expect(Array.from((loaded.apply(x) as Tensor).dataSync())).toEqual(Array.from((m.apply(x) as Tensor).dataSync()));
  });
});
