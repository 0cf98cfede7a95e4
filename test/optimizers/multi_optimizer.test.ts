// MultiOptimizer and OptimizerMap against Keras 3.15's multi_optimizer.py and its tests
// (multi_optimizer_test.py, OptimizerMap's docstring): routing by path (exact key, then one
// regex matching the whole path, else the default), each group applied by its own optimizer
// (its clipping, step count, EMA), no learning rate of its own, config and state round trips,
// and clear errors for what Keras refuses.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callbacks, layers, optimizers, sequential, tensor, variable, type Tensor, type Variable } from '../../src';
import { expectClose } from '../helpers/reference';

const { Adam, SGD, RMSprop, MultiOptimizer, OptimizerMap, LossScaleOptimizer } = optimizers;
let unique = 0;
// A variable named like a layer's weight ('dense_1/kernel'): with no layer, its path is its name.
const v = (name: string, values: number[]): Variable => variable(tensor(values), true, name) as Variable;
const values = (x: Tensor) => Array.from(x.dataSync());

test("OptimizerMap's docstring: the exact key first, then a regex matching the whole path, else the default", () => {
  const adam = new Adam();
  const sgd = new SGD();
  const rmsprop = new RMSprop();
  const map = new OptimizerMap({ defaultOptimizer: rmsprop });
  map.set('encoder/layer_0/dense', adam).set('encoder/.*', sgd).set('decoder', adam);
  expect(map.get('decoder')).toBe(adam);
  expect(map.get('encoder/layer_0/dense')).toBe(adam);
  expect(map.get('encoder/layer_0/attention/query')).toBe(sgd);
  // 'decoder' as a regex does not match the whole of 'decoder/layer_0/dense'.
  expect(map.get('decoder/layer_0/dense')).toBe(rmsprop);
  expect([map.size, map.keys(), map.has('decoder'), map.has('decode')]).toEqual([3, ['encoder/layer_0/dense', 'encoder/.*', 'decoder'], true, false]);
  expect(map.delete('decoder')).toBe(true);
  expect(map.get('decoder')).toBe(rmsprop);
});

test('a path matched by two regex keys, a key given twice, a key that is no regex: errors naming OptimizerMap', () => {
  const map = new OptimizerMap({ defaultOptimizer: new RMSprop(), optimizerMap: { '.*kernel.*': new Adam(), '.*dense.*': new SGD() } });
  expect(() => map.get('dense/kernel')).toThrow(
    "OptimizerMap: variable 'dense/kernel' is claimed by 2 optimizers: the keys '.*kernel.*', '.*dense.*' all match it",
  );
  expect(map.get('conv/bias')).toBe(map.defaultOptimizer);
  expect(() => map.set('.*kernel.*', new SGD())).toThrow("OptimizerMap.set: '.*kernel.*' is already in the map");
  expect(() => map.set('dense[', new SGD())).toThrow("OptimizerMap.set: the key 'dense[' is not a valid regular expression");
  expect(() => map.set('\\Adense/.*\\Z', new SGD())).toThrow("OptimizerMap.set: the key '\\Adense/.*\\Z' uses Python's \\A or \\Z");
  // An escaped backslash before an A is a backslash and an A.
  const escaped = new SGD();
  expect(map.set('a\\\\A', escaped).get('a\\A')).toBe(escaped);
  // Through a MultiOptimizer: at build, naming the variable.
  const multi = new MultiOptimizer({ optimizerMap: map });
  expect(() => multi.build([v(`dense/kernel`, [1])])).toThrow("variable 'dense/kernel' is claimed by 2 optimizers");
});

test('bad arguments: errors naming OptimizerMap / MultiOptimizer, what was expected and what came', () => {
  const O = OptimizerMap as unknown as new (...a: unknown[]) => unknown;
  const M = MultiOptimizer as unknown as new (...a: unknown[]) => unknown;
  expect(() => new O({ defaultOptimizer: 3 })).toThrow('OptimizerMap: expected defaultOptimizer to be an Optimizer, got 3');
  expect(() => new O({})).toThrow('OptimizerMap: expected options with a defaultOptimizer');
  expect(() => new O(new Adam())).toThrow('OptimizerMap: expected options ({ defaultOptimizer, optimizerMap? }), got an Optimizer');
  expect(() => new O({ defaultOptimizer: new Adam(), optimizerMap: [new SGD()] })).toThrow(
    'OptimizerMap: expected optimizerMap to be an object of variable paths to optimizers, got',
  );
  expect(() => new O({ defaultOptimizer: new Adam(), optimizerMap: 'sgd' })).toThrow('OptimizerMap: expected optimizerMap to be an object');
  expect(() => new O({ defaultOptimizer: new Adam(), optimizerMap: { a: 5 } })).toThrow("OptimizerMap: expected optimizerMap['a'] to be an Optimizer, got 5");
  expect(() => new O({ defaultOptimizer: new Adam(), optimiserMap: {} })).toThrow("OptimizerMap: unknown option 'optimiserMap'");
  expect(() => new O({ defaultOptimizer: 'adamm' })).toThrow("OptimizerMap: defaultOptimizer: optimizers.get: unknown optimizer 'adamm'");
  expect(() => new M({ optimizerMap: { 'dense/.*': new SGD() } })).toThrow(
    'MultiOptimizer: expected optimizerMap to be an OptimizerMap or a function of the variable returning its optimizer, got',
  );
  expect(() => new M({ optimizerMap: new Adam() })).toThrow('MultiOptimizer: expected optimizerMap to be an OptimizerMap');
  expect(() => new M(new OptimizerMap({ defaultOptimizer: new Adam() }))).toThrow('MultiOptimizer: expected options ({ optimizerMap })');
  expect(() => new M()).toThrow('MultiOptimizer: expected optimizerMap to be an OptimizerMap');
  expect(() => new M({ optimizerMap: () => new SGD(), learningRate: 0.1 })).toThrow(
    'MultiOptimizer does not take learningRate (got 0.1); set it on the optimizers',
  );
  expect(() => new M({ optimizerMap: () => new SGD(), clipnorm: 1 })).toThrow('MultiOptimizer does not take clipnorm');
  expect(() => new M({ optimizerMap: () => new SGD() }, 1)).toThrow('MultiOptimizer');
  // A function returning no optimizer: at build, naming the variable.
  const bad = new MultiOptimizer({ optimizerMap: (() => 'sgd') as never });
  expect(() => bad.build([v('bad/kernel', [1])])).toThrow(
    "multi_optimizer: expected the optimizer of variable 'bad/kernel' to be an Optimizer, got 'sgd' (a string)",
  );
  expect(() => bad.build('x' as never)).toThrow('multi_optimizer.build: expected an array of Variables');
});

test('wrappers cannot be inner optimizers: LossScaleOptimizer and MultiOptimizer are refused (as Keras)', () => {
  const lso = new LossScaleOptimizer({ innerOptimizer: new SGD() });
  expect(() => new OptimizerMap({ defaultOptimizer: lso })).toThrow(
    'OptimizerMap: defaultOptimizer cannot be a LossScaleOptimizer (wrap the MultiOptimizer in one instead)',
  );
  const multi = new MultiOptimizer({ optimizerMap: () => new SGD() });
  expect(() => new OptimizerMap({ defaultOptimizer: new Adam() }).set('a', multi)).toThrow("OptimizerMap.set: the optimizer of 'a' cannot be a MultiOptimizer");
  const nested = new MultiOptimizer({ optimizerMap: () => multi });
  expect(() => nested.build([v('nested/kernel', [1])])).toThrow("the optimizer of variable 'nested/kernel' cannot be a MultiOptimizer");
});

test("Keras's test_stateful_apply: each group updated by its own optimizer; every optimizer's iterations advance", () => {
  const w1 = v('dense_1/kernel', [2, 2]);
  const w2 = v('dense_2/kernel', [3, 3]);
  const fallback = v('other/kernel', [4, 4]);
  const sgd1 = new SGD({ learningRate: 0.1 });
  const sgd2 = new SGD({ learningRate: 1.0 });
  const dflt = new SGD({ learningRate: 0.0 });
  const map = new OptimizerMap({ defaultOptimizer: dflt });
  map.set('^dense_1/.*', sgd1).set('^dense_2/.*', sgd2);
  const multi = new MultiOptimizer({ optimizerMap: map });
  multi.build([w1, w2, fallback]);
  expect(multi.optimizers).toEqual([sgd1, sgd2, dflt]);
  multi.apply([tensor([1, 1]), tensor([1, 1]), tensor([1, 1])], [w1, w2, fallback]);
  expectClose(values(w1), [1.9, 1.9]);
  expectClose(values(w2), [2, 2]);
  expectClose(values(fallback), [4, 4]);
  expect([multi.iterations, ...multi.optimizers.map((o) => o.iterations)]).toEqual([1, 1, 1, 1]);
  // A step with gradients for one group advances that optimizer and the MultiOptimizer only.
  multi.applyGradients([
    [tensor([1, 1]), w1],
    [null, w2],
  ]);
  expect([multi.iterations, ...multi.optimizers.map((o) => o.iterations)]).toEqual([2, 2, 1, 1]);
  expect(multi.optimizerOf(w2)).toBe(sgd2);
  expect(() => multi.applyGradients([[null, w1]])).toThrow('multi_optimizer.applyGradients: no gradients provided for any variable');
});

test('no learning rate of its own: reading or setting it is an error naming the MultiOptimizer', () => {
  const multi = new MultiOptimizer({ optimizerMap: new OptimizerMap({ defaultOptimizer: new Adam() }) });
  expect(() => multi.learningRate).toThrow('multi_optimizer: a MultiOptimizer has no learning rate; read it on its optimizers');
  expect(() => {
    multi.learningRate = 0.1;
  }).toThrow('multi_optimizer: a MultiOptimizer has no learning rate; set it on its optimizers');
  expect(() => multi.excludeFromWeightDecay({ varNames: ['bias'] })).toThrow(
    'multi_optimizer.excludeFromWeightDecay: a MultiOptimizer applies no weight decay itself',
  );
});

test("clipping is each optimizer's, over its own group: globalClipnorm counts only its variables", () => {
  const a = v(`clip_a_${unique++}/kernel`, [0, 0]);
  const b = v(`clip_b_${unique++}/kernel`, [0, 0]);
  const clipped = new SGD({ learningRate: 1, globalClipnorm: 1 });
  const multi = new MultiOptimizer({ optimizerMap: (x) => (x === a ? clipped : free) });
  const free = new SGD({ learningRate: 1 });
  multi.applyGradients([
    [tensor([3, 4]), a],
    [tensor([30, 40]), b],
  ]);
  expectClose(values(a), [-0.6, -0.8]);
  expectClose(values(b), [-30, -40]);
  // A function's optimizers in the order it named them.
  expect(multi.optimizers).toEqual([clipped, free]);
});

test('EMA is per optimizer: finalizeVariableValues and averagesOf go to the optimizer of each variable', () => {
  const a = v(`ema_a_${unique++}/kernel`, [1]);
  const b = v(`ema_b_${unique++}/kernel`, [1]);
  const ema = new SGD({ learningRate: 0.5, useEma: true, emaMomentum: 0.5 });
  const plain = new SGD({ learningRate: 0.5 });
  const multi = new MultiOptimizer({ optimizerMap: (x) => (x === a ? ema : plain) });
  for (let i = 0; i < 2; i++)
    multi.applyGradients([
      [tensor([1]), a],
      [tensor([1]), b],
    ]);
  // a: 1 -> 0.5 -> 0; its average: 0.5 (momentum 0 at the first step), then 0.5 * 0.5 + 0.5 * 0 = 0.25.
  expectClose(values(multi.averagesOf([a])[0]), [0.25]);
  expect(() => multi.averagesOf([b])).toThrow('the optimizer keeps no moving averages');
  multi.finalizeVariableValues([a, b]);
  expectClose(values(a), [0.25]);
  expectClose(values(b), [0]);
});

test('getWeights / setWeights: the state goes back into a fresh MultiOptimizer, whose next step is the same', () => {
  const make = () => {
    const map = new OptimizerMap({ defaultOptimizer: new Adam({ learningRate: 0.1 }) });
    map.set('state_a/.*', new SGD({ learningRate: 0.1, momentum: 0.9 }));
    return new MultiOptimizer({ optimizerMap: map });
  };
  const a = v('state_a/kernel', [1, 2]);
  const b = v('state_b/kernel', [3]);
  const first = make();
  for (let i = 0; i < 3; i++)
    first.applyGradients([
      [tensor([1, -1]), a],
      [tensor([2]), b],
    ]);
  const state = first.getWeights();
  expect(state.map((w) => w.name)).toEqual([
    'iterations',
    'optimizers/sgd/iterations',
    'state_a/kernel/momentum',
    'optimizers/adam/iterations',
    'state_b/kernel/momentum',
    'state_b/kernel/velocity',
  ]);
  const second = make();
  second.build([a, b]);
  second.setWeights(state);
  expect([second.iterations, ...second.optimizers.map((o) => o.iterations)]).toEqual([3, 3, 3]);
  const [a0, b0] = [values(a), values(b)];
  first.applyGradients([
    [tensor([1, -1]), a],
    [tensor([2]), b],
  ]);
  const [a1, b1] = [values(a), values(b)];
  a.assign(tensor(a0));
  b.assign(tensor(b0));
  second.applyGradients([
    [tensor([1, -1]), a],
    [tensor([2]), b],
  ]);
  expectClose(values(a), a1, 0, 0);
  expectClose(values(b), b1, 0, 0);
  expect(() => second.setWeights([{ name: 'optimizers/lamb/iterations', tensor: tensor(1) }])).toThrow(
    "multi_optimizer.setWeights: unknown weight 'optimizers/lamb/iterations' (a string); expected 'iterations', 'optimizers/<sgd | adam>/<scalar>'",
  );
});

test('serialize / deserialize and getConfig round trips keep the map, its keys and every optimizer', () => {
  const map = new OptimizerMap({ defaultOptimizer: new Adam({ learningRate: 0.02, globalClipnorm: 0.5 }) });
  map.set('dense/kernel', new SGD({ learningRate: 0.1, momentum: 0.9 })).set('head_1/.*', new RMSprop({ useEma: true }));
  const multi = new MultiOptimizer({ optimizerMap: map, name: 'multi' });
  const serialized = optimizers.serialize(multi);
  expect(serialized.className).toBe('MultiOptimizer');
  const back = optimizers.deserialize(serialized) as InstanceType<typeof MultiOptimizer>;
  expect(back).toBeInstanceOf(MultiOptimizer);
  expect(back.getConfig()).toEqual(multi.getConfig());
  expect(back.name).toBe('multi');
  expect(back.optimizers.map((o) => o.constructor.name)).toEqual(['SGD', 'RMSprop', 'Adam']);
  expect((back.optimizerMap as InstanceType<typeof OptimizerMap>).keys()).toEqual(['dense/kernel', 'head_1/.*']);
  expect(OptimizerMap.fromConfig(map.getConfig()).getConfig()).toEqual(map.getConfig());
  expect(optimizers.get(serialized)).toBeInstanceOf(MultiOptimizer);
  expect(() => optimizers.deserialize('adam' as never)).toThrow("optimizers.deserialize: expected {className, config}, got 'adam' (a string)");
  expect(() => optimizers.deserialize({ className: 'MultiOptimiser', config: {} })).toThrow("optimizers.deserialize: unknown optimizer 'MultiOptimiser'");
});

test('fit and a custom loop with a MultiOptimizer; a layer weight is matched by its unnumbered path', async () => {
  const makeModel = () =>
    sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'mo_first' }), layers.dense({ units: 1, name: 'mo_last' })], name: 'mo_seq' });
  const first = makeModel();
  // A second model with the same names: its weights are named 'mo_first/kernel_1', their paths stay 'mo_seq/mo_first/kernel' (Keras's).
  const m = makeModel();
  expect(m.trainableWeights[0].name).not.toBe('mo_first/kernel');
  expect(m.trainableWeights[0].path).toBe('mo_seq/mo_first/kernel');
  const frozen = new SGD({ learningRate: 0 });
  const multi = new MultiOptimizer({
    optimizerMap: new OptimizerMap({ defaultOptimizer: new SGD({ learningRate: 0.1 }), optimizerMap: { 'mo_seq/mo_first/.*': frozen } }),
  });
  m.compile({ optimizer: multi, loss: 'mse' });
  const before = m.getWeights().map(values);
  await m.fit(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2], [2, 1]), { epochs: 2, batchSize: 2, verbose: 0 });
  const after = m.getWeights().map(values);
  // mo_first's kernel and bias (learning rate 0) stay; mo_last's move.
  expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
  expect(after[2]).not.toEqual(before[2]);
  expect([multi.iterations, frozen.iterations]).toEqual([2, 2]);
  // A custom loop: minimize() applies through the MultiOptimizer too.
  const cost = multi.minimize(() => m.apply(tensor([1, 2, 3], [1, 3])) as Tensor, m.trainableWeights, true);
  expect(cost).not.toBeNull();
  expect(multi.iterations).toBe(3);
  first.dispose();
  m.dispose();
});

test('LossScaleOptimizer around a MultiOptimizer: trains; a .keras or TensorFlow.js file with it is refused, as is a function map', async () => {
  const a = v(`lso_a_${unique++}/kernel`, [1]);
  const sgd = new SGD({ learningRate: 0.5 });
  const lso = new LossScaleOptimizer({ innerOptimizer: new MultiOptimizer({ optimizerMap: () => sgd }), initialScale: 4 });
  lso.applyGradients([[tensor([4]), a]]);
  expectClose(values(a), [0.5]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-multi-'));
  try {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: new LossScaleOptimizer({ innerOptimizer: new MultiOptimizer({ optimizerMap: () => new SGD() }) }), loss: 'mse' });
    await expect(m.save(path.join(dir, 'a.keras'), { includeOptimizer: true })).rejects.toThrow(
      'a LossScaleOptimizer around a MultiOptimizer is not supported in a .keras file',
    );
    m.compile({ optimizer: new MultiOptimizer({ optimizerMap: () => new SGD() }), loss: 'mse' });
    await expect(m.save(path.join(dir, 'b.keras'), { includeOptimizer: true })).rejects.toThrow(
      'the MultiOptimizer picks optimizers with a function, which a .keras file cannot hold; use an OptimizerMap',
    );
    m.compile({ optimizer: new MultiOptimizer({ optimizerMap: new OptimizerMap({ defaultOptimizer: new SGD() }) }), loss: 'mse' });
    await expect(m.save(`file://${path.join(dir, 'c')}`, { includeOptimizer: true })).rejects.toThrow(
      'a MultiOptimizer cannot be saved in the TensorFlow.js format',
    );
    m.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('optimizers.deserialize refuses what is not {className, config}', () => {
  expect(() => optimizers.deserialize({ className: 'SGD', config: NaN } as never)).toThrow(
    'optimizers.deserialize: expected config to be an object of options, got NaN',
  );
  expect(() => optimizers.deserialize({ className: 'SGD', config: {}, extra: 1 } as never)).toThrow("optimizers.deserialize: unknown key 'extra'");
  expect(optimizers.deserialize({ className: 'SGD', config: { learningRate: 0.5 } }).learningRate).toBe(0.5);
});

test('BackupAndRestore resumes a fit with a MultiOptimizer exactly (slots by variable, scalars by optimizer)', async () => {
  const x = tensor(
    Array.from({ length: 64 }, (_, i) => Math.sin(i)),
    [16, 4],
  );
  const y = tensor(
    Array.from({ length: 16 }, (_, i) => Math.cos(i)),
    [16, 1],
  );
  const makeModel = (from?: { getWeights(): Tensor[] }) => {
    const m = sequential({
      layers: [layers.dense({ units: 3, inputShape: [4], activation: 'tanh', name: 'bnr_a' }), layers.dense({ units: 1, name: 'bnr_b' })],
      name: 'bnr_seq',
    });
    if (from) m.setWeights(from.getWeights());
    const map = new OptimizerMap({
      defaultOptimizer: new Adam({ learningRate: 0.01 }),
      optimizerMap: { 'bnr_seq/bnr_a/.*': new SGD({ learningRate: 0.05, momentum: 0.9 }) },
    });
    m.compile({ optimizer: new MultiOptimizer({ optimizerMap: map }), loss: 'meanSquaredError' });
    return m;
  };
  class Interrupt extends callbacks.Callback {
    private epoch = -1;
    override onEpochBegin(epoch: number): void {
      this.epoch = epoch;
    }
    override onTrainBatchBegin(batch: number): void {
      if (this.epoch === 2 && batch === 1) throw new Error('interrupted');
    }
  }
  const fitArgs = (cbs: callbacks.Callback[]) => ({ epochs: 4, batchSize: 4, shuffle: false, verbose: 0, callbacks: cbs });
  const first = makeModel();
  const reference = makeModel(first);
  await reference.fit(x, y, fitArgs([]));
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-multi-bnr-')), 'backup');
  const backup = new callbacks.BackupAndRestore({ backupDir: dir, saveFreq: 'epoch' });
  await expect(first.fit(x, y, fitArgs([backup, new Interrupt()]))).rejects.toThrow('interrupted');
  const again = makeModel();
  await again.fit(x, y, fitArgs([backup]));
  expect(again.getWeights().map(values)).toEqual(reference.getWeights().map(values));
  const state = (m: typeof again) => m.optimizer!.getWeights().map((w) => [w.name.replace(/_\d+\//, '/'), values(w.tensor)]);
  expect(state(again)).toEqual(state(reference));
  expect((again.optimizer as InstanceType<typeof MultiOptimizer>).optimizers.map((o) => o.iterations)).toEqual([16, 16]);
  for (const m of [first, reference, again]) m.dispose();
});

test("state names are Keras's container names: the class in snake_case, numbered from a class's second on", () => {
  const map = new OptimizerMap({ defaultOptimizer: new Adam(), optimizerMap: { a: new Adam(), b: new RMSprop(), c: new Adam() } });
  expect(new MultiOptimizer({ optimizerMap: map }).stateNames()).toEqual(['adam', 'rm_sprop', 'adam_1', 'adam_2']);
});
