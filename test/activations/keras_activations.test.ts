// Keras 3's extra activations: values and gradients against PyTorch (or Keras's formulas in
// PyTorch) from test/fixtures/activations, names in layers and configs, and bad arguments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { tensor, type Tensor } from '../../src';
import { fromFixture, type FixtureCase } from '../helpers/fixtures';
import { gradcheck } from '../helpers/gradcheck';
import { expectClose } from '../helpers/reference';

const cases: FixtureCase[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'activations', 'keras_activations.json'), 'utf8')).cases;

// The op with a case's attrs, in Keras's argument order.
function apply(name: string, attrs: Record<string, unknown>, x: Tensor): Tensor {
  const a = attrs as Record<string, number>;
  switch (name) {
    case 'celu':
      return a.alpha === undefined ? ts.celu(x) : ts.celu(x, a.alpha);
    case 'glu':
      return a.axis === undefined ? ts.glu(x) : ts.glu(x, a.axis);
    case 'hardShrink':
      return a.threshold === undefined ? ts.hardShrink(x) : ts.hardShrink(x, a.threshold);
    case 'softShrink':
      return a.threshold === undefined ? ts.softShrink(x) : ts.softShrink(x, a.threshold);
    case 'squareplus':
      return a.b === undefined ? ts.squareplus(x) : ts.squareplus(x, a.b);
    case 'sparsemax':
      return a.axis === undefined ? ts.sparsemax(x) : ts.sparsemax(x, a.axis);
    case 'threshold':
      return ts.threshold(x, a.threshold, a.defaultValue);
    default:
      return (ts as unknown as Record<string, (x: Tensor) => Tensor>)[name](x);
  }
}

describe('Keras activations against PyTorch fixtures', () => {
  for (const c of cases) {
    test(`${c.name} ${JSON.stringify(c.attrs)}`, () => {
      ts.tidy(() => {
        const x = fromFixture(c.inputs.x);
        const f = (t: Tensor) => apply(c.name, c.attrs, t);
        const y = f(x);
        expect(y.shape).toEqual(c.outputs.y.shape);
        expectClose(y.dataSync(), c.outputs.y.data, 1e-6, 1e-7);
        const g = ts.grad(f)(x, fromFixture(c.upstream.y));
        expectClose(g.dataSync(), c.grads.x.data, 1e-6, 1e-7);
        // float32 too.
        const y32 = f(fromFixture(c.inputs.x, 'float32'));
        expect(y32.dtype).toBe('float32');
        expectClose(y32.dataSync(), c.outputs.y.data, 1e-4, 1e-5);
      });
    });
  }
});

describe('finite differences', () => {
  const x = () => tensor([-2.3, -0.8, -0.2, 0.3, 0.9, 2.6, 1.7, -1.4], [2, 4], 'float64');
  test.each(['sparsePlus', 'sparseSigmoid', 'squareplus', 'sparsemax', 'celu', 'glu', 'hardSilu', 'softShrink'])('%s', (name) => {
    gradcheck((t) => apply(name, {}, t), [x()]);
  });
  test('sparsemax rows are on the simplex', () => {
    const y = ts.sparsemax(
      tensor(
        [
          [1, 2, 3],
          [0.1, 0.2, 0.15],
          [5, -5, 0],
        ],
        [3, 3],
        'float64',
      ),
    );
    expectClose(ts.sum(y, -1).dataSync(), [1, 1, 1]);
    expectClose(y.dataSync(), [0, 0, 1, 0.85 / 3, 1.15 / 3, 1 / 3, 1, 0, 0], 1e-6, 1e-9);
  });
});

describe('activations by name', () => {
  const names: [string, string][] = [
    ['celu', 'celu'],
    ['glu', 'glu'],
    ['hard_shrink', 'hardShrink'],
    ['hard_silu', 'hardSilu'],
    ['hard_swish', 'hardSilu'],
    ['hardSwish', 'hardSilu'],
    ['hard_tanh', 'hardTanh'],
    ['log_sigmoid', 'logSigmoid'],
    ['soft_shrink', 'softShrink'],
    ['sparse_plus', 'sparsePlus'],
    ['sparse_sigmoid', 'sparseSigmoid'],
    ['sparsemax', 'sparsemax'],
    ['squareplus', 'squareplus'],
    ['tanh_shrink', 'tanhShrink'],
    ['threshold', 'threshold'],
  ];
  test.each(names)('%s resolves and serializes as %s', (name, canonical) => {
    const fn = ts.activations.get(name);
    expect(fn).toBe((ts.activations as unknown as Record<string, unknown>)[canonical]);
    expect(ts.activations.serialize(fn)).toBe(canonical);
  });
  test('a Dense layer with a string activation round-trips its config', () => {
    const layer = ts.layers.dense({ units: 4, activation: 'hard_silu' });
    const y = layer.apply(ts.ones([2, 3])) as Tensor;
    expect(y.shape).toEqual([2, 4]);
    const config = layer.getConfig();
    const again = ts.layers.Dense.fromConfig(config);
    expect(again.getConfig().activation).toBe(config.activation);
    expect(ts.activations.serialize(ts.activations.get(config.activation as string))).toBe('hardSilu');
  });
  test('activations apply with their Keras defaults', () => {
    const x = tensor([-1, -0.4, 0.2, 0.7]);
    expectClose(ts.activations.threshold(x).dataSync(), [0, 0, 0.2, 0.7]);
    expectClose(ts.activations.hardShrink(x).dataSync(), [-1, 0, 0, 0.7]);
    expectClose(ts.activations.squareplus(tensor([0])).dataSync(), [1]);
  });
});

describe('bad arguments', () => {
  const x = tensor([1, 2, 3, 4]);
  test.each<[string, () => unknown, RegExp]>([
    ['glu odd axis', () => ts.glu(tensor([1, 2, 3])), /glu: expected the size of axis -1 to be even, got shape \[3\]/],
    ['glu axis', () => ts.glu(x, 2), /glu: expected axis in \[-1, 1\), got 2/],
    ['celu alpha', () => ts.celu(x, 0), /celu: expected alpha to be a positive number, got 0/],
    ['threshold missing', () => (ts.threshold as (x: Tensor) => Tensor)(x), /threshold: expected threshold to be a finite number, got undefined/],
    ['hardShrink string', () => ts.hardShrink(x, 'a' as never), /hardShrink: expected threshold to be a finite number/],
    ['squareplus negative b', () => ts.squareplus(x, -1), /squareplus: expected b >= 0, got -1/],
    ['int input', () => ts.tanhShrink(tensor([1], [1], 'int32')), /tanhShrink: expected argument 'x' to have dtype float32 or float64, got int32/],
    ['too many', () => (ts.hardSilu as (...a: unknown[]) => Tensor)(x, 1), /hardSilu/],
    ['activation too many', () => (ts.activations.hardTanh as (...a: unknown[]) => Tensor)(x, 1), /activations.hardTanh/],
    ['sparsemax axis', () => ts.sparsemax(x, 1), /sparsemax: expected axis/],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });
});
