// ts.remat and RematScope against Keras 3 (JAX backend): the worked example of keras.remat's
// docstring, its loss and gradients, and 5 Adam steps of a RematScope('full') model
// (scripts/fixtures/make_remat_fixtures.py wrote test/fixtures/autograd/remat_keras.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { GradientTape, RematScope, layers, tensor, variable, type Tensor } from '../../src';

const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'autograd', 'remat_keras.json'), 'utf8'));
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
function expectNear(t: Tensor | null, expected: unknown, tol: number) {
  const want = flat(expected);
  const got = Array.from(t!.dataSync());
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol));
}

describe('remat against Keras', () => {
  it("keras.remat's docstring example: loss and gradients", () => {
    const [w1, b1, w2, b2] = [ref.w1, ref.b1, ref.w2, ref.b2].map((v, i) => variable(tensor(v), true, `p${i}`));
    const block = ts.remat((h: Tensor) => {
      for (let i = 0; i < 2; i++) h = ts.add(h, ts.mul(h, 0.1));
      return h;
    });
    const tape = new GradientTape();
    const h = ts.relu(ts.add(ts.matMul(tensor(ref.x), w1), b1));
    const out = ts.add(ts.matMul(block(h), w2), b2);
    const loss = ts.mean(ts.square(ts.sub(out, tensor(ref.y))));
    const grads = tape.gradient(loss, [w1, b1, w2, b2]);
    expect(Math.abs(loss.dataSync()[0] - ref.loss)).toBeLessThanOrEqual(1e-6);
    grads.forEach((g, i) => expectNear(g, ref.grads[i], 1e-6));
  });

  it("5 Adam steps of a model built in RematScope('full') reach Keras's weights", async () => {
    const model = ts.sequential({
      layers: new RematScope({ mode: 'full' }).run(() => [
        layers.dense({ units: 4, activation: 'relu', inputShape: [6] }),
        layers.dense({ units: 3, activation: 'tanh' }),
        layers.dense({ units: 1 }),
      ]),
    });
    const w2 = ts.tensor(
      Array.from({ length: 12 }, (_, i) => (0.2 * i) / 12),
      [4, 3],
    );
    model.setWeights([tensor(ref.w1), tensor(ref.b1), w2, ts.zeros([3]), tensor(ref.w2.slice(0, 3)), tensor(ref.b2)]);
    model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    await model.fit(tensor(ref.x), tensor(ref.y), { batchSize: 1, epochs: 1, shuffle: false, verbose: 0 });
    model.getWeights().forEach((w, i) => expectNear(w, ref.fittedWeights[i], 1e-5));
  });
});
