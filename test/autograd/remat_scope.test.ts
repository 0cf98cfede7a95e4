// ts.RematScope: which layer calls are rematerialized (each mode), fit() with every layer
// rematerialized trains to the weights it trains to without (dropout included), eagerly and
// under jitCompile, and the scope's bad options are refused by name.
import * as ts from '../../src';
import { GradientTape, RematScope, layers, tensor, type Tensor, type Variable } from '../../src';
import { randomData } from '../helpers/reference';

// A layer that counts its calls: a rematerialized call runs again in the backward pass.
class Counting extends ts.layers.Layer {
  calls = 0;
  w!: Variable;
  constructor(
    readonly units: number,
    readonly activation: string | null,
    name: string,
  ) {
    super({ name });
  }
  override build(shape: (number | null)[]) {
    this.w = this.addWeight('w', [shape[shape.length - 1]!, this.units], 'float32', 'glorotUniform');
  }
  override computeOutputShape(shape: (number | null)[]) {
    return [...shape.slice(0, -1), this.units];
  }
  override call(x: Tensor) {
    this.calls++;
    const y = ts.matMul(x, this.w);
    return this.activation === 'relu' ? ts.relu(y) : y;
  }
}

const x = tensor(randomData(4 * 6, 1), [4, 6]);

// Calls of each layer during one forward and backward pass of a chain of them.
function callsInStep(chain: Counting[], scope?: RematScope): number[] {
  const run = () => {
    const tape = new GradientTape();
    let h: Tensor = x;
    for (const layer of chain) h = layer.apply(h) as Tensor;
    const grads = tape.gradient(
      ts.sum(ts.square(h)),
      chain.map((l) => l.w),
    );
    grads.forEach((g) => expect(g).not.toBeNull());
  };
  // Build first (outside any tape), then count one training step.
  let h: Tensor = x;
  for (const layer of chain) h = layer.apply(h) as Tensor;
  chain.forEach((l) => (l.calls = 0));
  if (scope) scope.run(run);
  else run();
  return chain.map((l) => l.calls);
}

describe('RematScope modes', () => {
  it("'full': every layer constructed in the scope recomputes its call in the backward pass", () => {
    const chain = new RematScope({ mode: 'full' }).run(() => [new Counting(8, 'relu', 'f1'), new Counting(3, null, 'f2')]);
    expect(callsInStep(chain)).toEqual([2, 2]);
    expect(callsInStep([new Counting(8, 'relu', 'f3'), new Counting(3, null, 'f4')])).toEqual([1, 1]);
  });

  it("'list_of_layers': only the named layers", () => {
    const chain = new RematScope({ mode: 'list_of_layers', layerNames: ['l2'] }).run(() => [new Counting(8, null, 'l1'), new Counting(3, null, 'l2')]);
    expect(callsInStep(chain)).toEqual([1, 2]);
  });

  it("'activations': layers with an activation", () => {
    const chain = new RematScope({ mode: 'activations' }).run(() => [new Counting(8, 'relu', 'a1'), new Counting(3, null, 'a2')]);
    expect(callsInStep(chain)).toEqual([2, 1]);
    // activations.linear given as the function is no activation either.
    const linear = new RematScope({ mode: 'activations' }).run(() => [new Counting(3, ts.activations.linear as never, 'a3')]);
    expect(callsInStep(linear)).toEqual([1]);
  });

  it('a stateful layer runs plainly: a recompute would move its states on twice', () => {
    class StatefulCounting extends Counting {
      readonly stateful = true;
    }
    const chain = new RematScope({ mode: 'full' }).run(() => [new StatefulCounting(4, null, 's1'), new Counting(3, null, 's2')]);
    expect(callsInStep(chain)).toEqual([1, 2]);
  });

  it("'larger_than': layers whose output has more elements than the threshold", () => {
    // Outputs [4, 16] (64 elements) and [4, 4] (16).
    const chain = new RematScope({ mode: 'larger_than', outputSizeThreshold: 32 }).run(() => [new Counting(16, null, 'g1'), new Counting(4, null, 'g2')]);
    expect(callsInStep(chain)).toEqual([2, 1]);
  });

  it('a layer constructed outside any scope follows the scope it is called in; one constructed in a scope keeps it', () => {
    const outside = new Counting(4, null, 'o1');
    const off = new RematScope({ mode: null }).run(() => new Counting(4, null, 'o2'));
    expect(callsInStep([outside, off], new RematScope({ mode: 'full' }))).toEqual([2, 1]);
  });

  it('nested scopes: the innermost wins', () => {
    const [a, b] = new RematScope({ mode: 'full' }).run(() => [
      new Counting(4, null, 'n1'),
      new RematScope({ mode: 'list_of_layers', layerNames: ['zz'] }).run(() => new Counting(4, null, 'n2')),
    ]);
    expect(callsInStep([a, b])).toEqual([2, 1]);
  });
});

describe('fit() with RematScope', () => {
  const xs = tensor(randomData(20 * 6, 3), [20, 6]);
  const ys = tensor(randomData(20 * 2, 4), [20, 2]);
  type Jit = { stats: { replayed: number }; fallbackReason: string | null };
  let lastJit: Jit | undefined;
  async function train(remat: boolean, jitCompile = false): Promise<number[][]> {
    ts.setSeed(11);
    const make = () => [
      layers.dense({ units: 16, activation: 'relu', inputShape: [6] }),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 8, activation: 'tanh' }),
      layers.dense({ units: 2 }),
    ];
    const model = ts.sequential({ layers: remat ? new RematScope({ mode: 'full' }).run(make) : make() });
    model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError', jitCompile });
    // 5 Adam steps: 5 batches of 4, in order.
    await model.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    lastJit = (model as unknown as { compiled: { jit?: Jit } }).compiled.jit;
    return model.getWeights().map((w) => Array.from(w.dataSync()));
  }

  it('5 Adam steps give the weights they give without remat (dropout masks replayed)', async () => {
    const plain = await train(false);
    const rem = await train(true);
    expect(rem.length).toBe(plain.length);
    rem.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - plain[i][j])).toBeLessThanOrEqual(1e-6)));
  });

  it('state updates and losses come from the forward pass only (BatchNormalization, activity regularizers)', async () => {
    const run = async (remat: boolean) => {
      ts.setSeed(5);
      const make = () => [
        layers.dense({ units: 8, activation: 'relu', inputShape: [6], activityRegularizer: 'l2' }),
        layers.batchNormalization(),
        layers.dense({ units: 2 }),
      ];
      const model = ts.sequential({ layers: remat ? new RematScope({ mode: 'full' }).run(make) : make() });
      model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      const h = await model.fit(xs, ys, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
      // One step by hand: the losses the layers hold after the backward pass.
      const tape = new GradientTape();
      const out = model.apply(xs, { training: true }) as Tensor;
      tape.gradient(ts.sum(out), model.trainableWeights).forEach((g) => g?.dispose());
      const held = model.losses.length;
      return { weights: model.weights.map((w) => Array.from(w.dataSync())), loss: h.history.loss[0] as number, held };
    };
    const plain = await run(false);
    const rem = await run(true);
    expect(rem.held).toBe(plain.held);
    expect(Math.abs(rem.loss - plain.loss)).toBeLessThanOrEqual(1e-6);
    expect(rem.held).toBe(1); // the activity regularizer's, once
    expect(rem.weights.length).toBe(8); // 2 dense (kernel, bias), gamma, beta, moving mean and variance
    rem.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - plain.weights[i][j])).toBeLessThanOrEqual(1e-6)));
  });

  it('a model constructed in the scope: its call and its layers rematerialized (nested), same weights and losses', async () => {
    const run = async (remat: boolean) => {
      ts.setSeed(9);
      const make = () =>
        ts.sequential({
          layers: [
            layers.dense({ units: 8, activation: 'relu', inputShape: [6], activityRegularizer: 'l2' }),
            layers.dropout({ rate: 0.2 }),
            layers.dense({ units: 2 }),
          ],
        });
      const inner = remat ? new RematScope({ mode: 'full' }).run(make) : make();
      const model = ts.sequential({ layers: [inner] });
      model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      await model.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      const tape = new GradientTape();
      const out = model.apply(xs, { training: true }) as Tensor;
      tape.gradient(ts.sum(out), model.trainableWeights).forEach((g) => g?.dispose());
      return { weights: model.weights.map((w) => Array.from(w.dataSync())), held: model.losses.length };
    };
    const plain = await run(false);
    const rem = await run(true);
    expect(rem.held).toBe(1);
    expect(plain.held).toBe(1);
    rem.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - plain.weights[i][j])).toBeLessThanOrEqual(1e-6)));
  });

  it("fit runs each rematerialized layer's call again in the backward pass", async () => {
    const counted = new RematScope({ mode: 'full' }).run(() => new Counting(2, null, 'fitted'));
    const model = ts.sequential({ layers: [layers.dense({ units: 4, inputShape: [6] }), counted] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(xs, ys, { epochs: 1, batchSize: 20, verbose: 0 });
    counted.calls = 0;
    await model.fit(xs, ys, { epochs: 1, batchSize: 20, verbose: 0 });
    expect(counted.calls).toBe(2);
  });

  it('under jitCompile the remat model trains to the eager weights', async () => {
    const eager = await train(true);
    const compiled = await train(true, true);
    expect(lastJit!.fallbackReason).toBeNull();
    expect(lastJit!.stats.replayed).toBeGreaterThan(0);
    compiled.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - eager[i][j])).toBeLessThanOrEqual(1e-6)));
  });
});

describe('RematScope bad input', () => {
  it('refuses misspelled modes and options, and options its mode does not read', () => {
    expect(() => new RematScope({ mode: 'ful' as never })).toThrow(
      "RematScope: expected mode to be 'full', 'activations', 'larger_than', 'list_of_layers' or null, got 'ful'",
    );
    expect(() => new RematScope({ mode: 'largerThan' as never })).toThrow(/expected mode to be/);
    expect(() => new RematScope({ moed: 'full' } as never)).toThrow(/RematScope: .*moed/);
    expect(() => new RematScope({ mode: 'full', layerNames: ['a'] })).toThrow(
      "RematScope: layerNames is read only by mode 'list_of_layers', but mode is 'full'",
    );
    expect(() => new RematScope({ mode: 'larger_than', outputSizeThreshold: -1 })).toThrow(
      'RematScope: expected outputSizeThreshold to be a non-negative integer, got -1',
    );
    expect(() => new RematScope({ mode: 'list_of_layers', layerNames: [3] as never })).toThrow(/expected layerNames to be an array of layer names/);
    expect(() => new (RematScope as new (...a: unknown[]) => RematScope)({}, 2)).toThrow('RematScope: expected at most 1 argument, got 2');
  });

  it('refuses a non-function or an async callback in run', () => {
    const scope = new RematScope();
    expect(() => scope.run(5 as never)).toThrow(/RematScope.run: expected a function to run inside the scope/);
    expect(() => scope.run(async () => 1)).toThrow(/RematScope.run: the callback of the scope .* returned a Promise/);
    // The scope ended even so.
    expect(callsInStep([new Counting(4, null, 'after')])).toEqual([1]);
  });
});
