// Arguments past a function's last parameter, which JavaScript drops without a word: every
// public function the bad-input sweep calls directly (its valid baseline call) refuses one
// more argument with an error naming it (`relu(x, 5)`, `sum(x, 0, true, 'x')`,
// `dispose(a, b)` disposed only a). 155 of 181 accepted it silently before
// (src/options/arity.ts).
import * as ts from '../../src';
import { build } from '../sweeps/args';
import { BASELINES } from '../sweeps/op_baselines';
import { resolveOp } from '../sweeps/plan';
import { liveTensors } from '../helpers/memory';

// Functions where one more argument than the baseline call gives is still a parameter, with why.
const TAKES_IT = new Map([
  ['einsum', 'an equation and any number of tensors'],
  ['switch', 'an index, the branches and any number of operands for the branch'],
  ['tree.mapStructure', 'a function and any number of structures'],
  ['tree.mapStructureUpTo', 'a shallow structure, a function and any number of structures'],
  ['data.parseIdx', 'the optional name its errors use (the baseline leaves it out)'],
  ['activations.get', 'the optional name of the caller its errors use (the baseline leaves it out)'],
]);

const direct = Object.entries(BASELINES).filter(([key, b]) => !key.includes('#') && !b.thenCall && !b.setup && !b.method);

it('covers the functions with a direct baseline call', () => {
  expect(direct.length).toBeGreaterThan(150);
});

it.each(direct.map(([key]) => key))('%s refuses an extra argument with an error naming it', async (key) => {
  const fn = resolveOp(ts as never, key) as (...a: unknown[]) => unknown;
  if (typeof fn !== 'function' || /^class\b/.test(String(fn)) || TAKES_IT.has(key)) return;
  const args = BASELINES[key].args.map((a) => build(ts as never, a));
  let error: unknown = null;
  try {
    await fn(...args, 'EXTRA');
  } catch (e) {
    error = e;
  }
  if (error === null) throw new Error(`${key} accepted an extra argument`);
  // Most say "expected at most N arguments"; where the extra lands in a parameter the
  // baseline left out, that parameter's own check refuses it. Either way the error names
  // the function (or the layer class a factory builds) first.
  const message = (error as Error).message;
  expect(message).toMatch(/^(ts\.)?[A-Za-z][\w.]*: /);
  expect(message).toMatch(new RegExp(`expected at most \\d+ arguments?, got ${args.length + 1}|EXTRA`));
});

// Every public function, found by walking the exports: its body checks arguments.length or
// it takes a rest parameter (factories, einsum, the activation wrappers). A new export
// without either fails here, before a user finds the argument it drops.
describe('every public function', () => {
  const isClass = (f: unknown): boolean => /^class\b/.test(Function.prototype.toString.call(f));
  const functions = new Map<string, (...a: unknown[]) => unknown>();
  const seen = new Set<unknown>();
  const walk = (prefix: string, obj: Record<string, unknown>, depth: number): void => {
    if (depth > 3 || seen.has(obj)) return;
    seen.add(obj);
    for (const [key, value] of Object.entries(obj)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (typeof value === 'function') {
        const fresh = !seen.has(value) && !isClass(value);
        if (fresh) functions.set(name, value as (...a: unknown[]) => unknown);
        // A function that is also a namespace (ts.backend: keras.backend and tf.backend()).
        if (fresh && Object.keys(value).length > 0) walk(name, value as unknown as Record<string, unknown>, depth + 1);
        seen.add(value);
      } else if (value && typeof value === 'object') walk(name, value as Record<string, unknown>, depth + 1);
    }
  };
  walk('', ts as unknown as Record<string, unknown>, 0);

  it('are found', () => {
    expect(functions.size).toBeGreaterThan(400);
  });

  it('check their argument count', () => {
    const unchecked = [...functions].filter(([, fn]) => !/arguments\.length|\.\.\.\w+\s*\)/.test(Function.prototype.toString.call(fn))).map(([name]) => name);
    expect(unchecked).toEqual([]);
  });
});

// Calls past the sweep's direct baselines that dropped an argument before: weights given to a
// per-sample loss, a slope to an activation by name, a third argument to a gradient function.
describe('functions outside the sweep', () => {
  const a = (): ts.Tensor => ts.tensor([[0.2, 0.8]]);
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'losses.meanAbsoluteError(a, b, weights)',
      () => (ts.losses.meanAbsoluteError as (...a: unknown[]) => unknown)(a(), a(), ts.tensor([2])),
      /^meanAbsoluteError: expected at most 2 arguments, got 3/,
    ],
    [
      'losses.huber(a, b, options, more)',
      () => (ts.losses.huber as (...a: unknown[]) => unknown)(a(), a(), {}, 1),
      /^huber: expected at most 3 arguments, got 4/,
    ],
    [
      'metrics.categoricalAccuracy(a, b, weights)',
      () => (ts.metrics.categoricalAccuracy as (...a: unknown[]) => unknown)(a(), a(), ts.tensor([1])),
      /^categoricalAccuracy: expected at most 2 arguments, got 3/,
    ],
    ['activations.relu(x, 5)', () => (ts.activations.relu as (...a: unknown[]) => unknown)(a(), 5), /^activations\.relu: expected at most 1 argument, got 2/],
    [
      'activations.leakyRelu(x, 0.1, 1)',
      () => (ts.activations.leakyRelu as (...a: unknown[]) => unknown)(a(), 0.1, 1),
      /^activations\.leakyRelu: expected at most 2 arguments, got 3/,
    ],
    [
      'grad(f)(x, dy, extra)',
      () => (ts.grad((x) => ts.sum(x)) as (...a: unknown[]) => unknown)(a(), undefined, 1),
      /^grad\(f\): expected at most 2 arguments, got 3/,
    ],
    [
      'grads(f)(xs, dy, extra)',
      () => (ts.grads((x) => ts.sum(x)) as (...a: unknown[]) => unknown)([a()], undefined, 1),
      /^grads\(f\): expected at most 2 arguments, got 3/,
    ],
    ['util.shuffle(array, seed)', () => (ts.util.shuffle as (...a: unknown[]) => unknown)([1, 2, 3], 7), /^util\.shuffle: expected at most 1 argument, got 2/],
    [
      'fill(shape, value, dtype, device, extra)',
      () => (ts.fill as (...a: unknown[]) => unknown)([2], 1, 'float32', 'cpu', 1),
      /^fill: expected at most 4 arguments, got 5/,
    ],
  ];
  it.each(cases)('%s is refused', (_, call, message) => {
    const before = liveTensors();
    ts.tidy(() => {
      expect(call).toThrow(message);
    });
    expect(liveTensors()).toBeLessThanOrEqual(before);
  });
});

// The methods a user calls (not the hooks a subclass overrides): each override along every
// public class's prototype chain checks its argument count, so `model.fit(x, y, args, more)`,
// `ds.take(5, 1)` and `layer.apply(x, options, more)` are refused.
describe('user-facing methods', () => {
  const METHODS: Array<[abstract new (...a: never[]) => unknown, string[]]> = [
    [ts.Tensor, ['dataSync', 'data', 'arraySync', 'array', 'toString', 'print', 'to', 'dispose', 'assign']],
    [
      ts.layers.Layer,
      ['apply', 'getWeights', 'setWeights', 'countParams', 'addWeight', 'addLoss', 'dispose', 'adapt', 'setVocabulary', 'getVocabulary', 'vocabularySize'],
    ],
    [
      ts.Model,
      [
        'getLayer',
        'summary',
        'compile',
        'fit',
        'fitDataset',
        'evaluate',
        'evaluateDataset',
        'predict',
        'trainOnBatch',
        'testOnBatch',
        'predictOnBatch',
        'resetMetrics',
        'save',
        'saveWeights',
        'loadWeights',
        'add',
        'pop',
      ],
    ],
    [ts.optimizers.Optimizer, ['applyGradients', 'minimize', 'getWeights', 'setWeights', 'dispose']],
    [
      ts.data.Dataset,
      [
        'map',
        'mapAsync',
        'iterator',
        'filter',
        'batch',
        'shuffle',
        'repeat',
        'take',
        'skip',
        'shard',
        'concatenate',
        'prefetch',
        'cache',
        'toArray',
        'forEachAsync',
      ],
    ],
    [ts.losses.Loss, ['apply']],
  ];
  const classes: Array<abstract new (...a: never[]) => unknown> = [];
  const seen = new Set<unknown>();
  const walk = (obj: Record<string, unknown>, depth: number): void => {
    if (depth > 3 || seen.has(obj)) return;
    seen.add(obj);
    for (const value of Object.values(obj)) {
      if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))) classes.push(value as new () => unknown);
      else if (value && typeof value === 'object') walk(value as Record<string, unknown>, depth + 1);
    }
  };
  walk(ts as unknown as Record<string, unknown>, 0);

  it('check their argument count', () => {
    const unchecked = new Set<string>();
    let checked = 0;
    for (const cls of classes) {
      for (const [base, names] of METHODS) {
        if (cls !== base && !(cls.prototype instanceof base)) continue;
        for (let proto = cls.prototype as object; proto !== Object.getPrototypeOf(base.prototype); proto = Object.getPrototypeOf(proto)) {
          for (const name of names) {
            const method = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
            if (typeof method !== 'function') continue;
            checked++;
            if (!/arguments\.length|\.\.\.\w+\s*\)/.test(Function.prototype.toString.call(method))) unchecked.add(`${proto.constructor.name}.${name}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
    expect([...unchecked]).toEqual([]);
  });

  it('refuse one more argument, naming the method', async () => {
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3], name: 'd' })], name: 'm' });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = ts.zeros([4, 3]);
    const y = ts.zeros([4, 2]);
    const call = (target: object, name: string, ...args: unknown[]): unknown => (target as Record<string, (...a: unknown[]) => unknown>)[name](...args);
    await expect(call(model, 'fit', x, y, { epochs: 1, verbose: 0 }, 1)).rejects.toThrow(/^m\.fit: expected at most 3 arguments, got 4/);
    await expect(call(model, 'evaluate', x, y, { verbose: 0 }, 1)).rejects.toThrow(/^m\.evaluate: expected at most 3 arguments, got 4/);
    expect(() => call(model, 'predict', x, {}, 1)).toThrow(/^m\.predict: expected at most 2 arguments, got 3/);
    expect(() => call(model.layers[0], 'apply', x, { training: true }, 1)).toThrow(/^d\.apply: expected at most 2 arguments, got 3/);
    expect(() => call(model.layers[0], 'getWeights', true, 1)).toThrow(/^d\.getWeights: expected at most 1 argument, got 2/);
    expect(() => call(x, 'dataSync', 1)).toThrow(/^Tensor\.dataSync: expected at most 0 arguments, got 1/);
    expect(() => call(ts.data.array([1, 2, 3]), 'take', 2, 1)).toThrow(/^Dataset\.take: expected at most 1 argument, got 2/);
    expect(() => call(ts.data.fromTensors(x), 'batch', 2, {}, 1)).toThrow(/^TensorSliceDataset\.batch: expected at most 2 arguments, got 3/);
    const opt = ts.train.sgd(0.1);
    expect(() => call(opt, 'minimize', () => ts.sum(x), false, [], 1)).toThrow(/: expected at most 3 arguments, got 4/);
    model.dispose();
    opt.dispose();
    ts.dispose([x, y]);
  });
});

it('says how to pass a function to map or forEach, which call it with (value, index, array)', () => {
  const tensors = [ts.zeros([2]), ts.ones([2])];
  expect(() => tensors.forEach(ts.dispose as (t: ts.Tensor) => void)).toThrow(
    /^dispose: expected at most 1 argument, got 3; the ones past the last are not read; given straight to map or forEach, a function gets \(value, index, array\): wrap it, \(x\) => dispose\(x\)/,
  );
  tensors.forEach((t) => ts.dispose(t));
  expect(tensors.every((t) => t.isDisposed)).toBe(true);
});
