// Optimizer.setWeights refuses state that does not fit, as Keras 3's variable.assign
// refuses a value of another shape (optimizer.iterations.assign(np.zeros(3)): "The shape of
// the target variable and the shape of the target value ... must match"): every optimizer
// class, the weight named by name and position, the shape expected and the one given, and
// a refused list changes nothing.
import { optimizers, tensor, variable, type Tensor, type Variable } from '../../src';

type NamedTensor = optimizers.NamedTensor;
const { Optimizer, OptimizerMap, MultiOptimizer, LossScaleOptimizer, Adam, SGD } = optimizers;
let unique = 0;

// Every optimizer class the namespace exports, so that a new one is covered by this test.
const classes = Object.entries(optimizers).filter(([, c]) => typeof c === 'function' && c.prototype instanceof Optimizer) as [
  string,
  new (config?: Record<string, unknown>) => optimizers.Optimizer,
][];

function make(name: string, C: new (config?: Record<string, unknown>) => optimizers.Optimizer): optimizers.Optimizer {
  if (C === (LossScaleOptimizer as unknown)) return new LossScaleOptimizer({ innerOptimizer: new Adam({ learningRate: 0.01 }) });
  if (C === (MultiOptimizer as unknown)) {
    const map = new OptimizerMap({ defaultOptimizer: new Adam({ learningRate: 0.01 }) });
    map.set(`sw_${unique}_w/.*`, new SGD({ learningRate: 0.1, momentum: 0.9 }));
    return new MultiOptimizer({ optimizerMap: map });
  }
  return new C(name === 'SGD' ? { learningRate: 0.1, momentum: 0.9 } : { learningRate: 0.01 });
}

function trained(name: string, C: new (config?: Record<string, unknown>) => optimizers.Optimizer) {
  unique++;
  const w = variable(tensor([1, -2, 3, 0.5, -1, 2], [2, 3]), true, `sw_${unique}_w/kernel`) as Variable;
  const b = variable(tensor([0.5, -0.5, 1], [3]), true, `sw_${unique}_b/bias`) as Variable;
  const opt = make(name, C);
  for (let i = 0; i < 2; i++)
    opt.applyGradients([
      [tensor([0.1, 0.2, -0.3, 0.4, -0.5, 0.6], [2, 3]), w],
      [tensor([0.3, -0.1, 0.2]), b],
    ]);
  return { opt, state: opt.getWeights() };
}
const snapshot = (ws: NamedTensor[]) => ws.map((w) => [w.name, w.tensor.shape, Array.from(w.tensor.dataSync())]);
const replaced = (state: NamedTensor[], i: number, t: Tensor) => state.map((w, k) => (k === i ? { name: w.name, tensor: t } : w));

test('the namespace exports every optimizer class this test loops over', () => {
  expect(classes.map(([n]) => n).sort()).toEqual(
    [
      'Adadelta',
      'Adafactor',
      'Adagrad',
      'Adam',
      'AdamW',
      'Adamax',
      'Ftrl',
      'Lamb',
      'Lion',
      'LossScaleOptimizer',
      'Muon',
      'MultiOptimizer',
      'Nadam',
      'RMSprop',
      'SGD',
      'ScheduleFreeAdamW',
    ].sort(),
  );
});

describe.each(classes)('%s.setWeights', (name, C) => {
  test('its own state goes back', () => {
    const { opt, state } = trained(name, C);
    opt.setWeights(state);
    expect(snapshot(opt.getWeights())).toEqual(snapshot(state));
  });

  test("'iterations' of another shape, a fraction or a bool is refused, naming the optimizer, the weight and its position", () => {
    const { opt, state } = trained(name, C);
    const i = state.findIndex((w) => w.name === 'iterations');
    const before = snapshot(opt.getWeights());
    const at = `${opt.name}.setWeights: weight ${i} ('iterations')`;
    expect(() => opt.setWeights(replaced(state, i, tensor([2, 2, 2], [3], 'int32')))).toThrow(`${at}: expected shape [] (a scalar), got shape [3]`);
    expect(() => opt.setWeights(replaced(state, i, tensor([2], [1], 'int32')))).toThrow(`${at}: expected shape [] (a scalar), got shape [1]`);
    expect(() => opt.setWeights(replaced(state, i, tensor(2.5)))).toThrow(`${at}: expected a whole number >= 0, got 2.5`);
    expect(() => opt.setWeights(replaced(state, i, tensor(true, [], 'bool')))).toThrow(`${at}: expected a number, got a bool tensor`);
    expect(snapshot(opt.getWeights())).toEqual(before);
  });

  test('a slot of another shape or a bool slot is refused, naming the slot, the shape it holds and the one given; nothing changes', () => {
    const { opt, state } = trained(name, C);
    const i = state.findIndex((w) => w.name.includes('/') && !w.name.startsWith('optimizers/') && w.tensor.shape.length > 0);
    expect(i).toBeGreaterThan(0);
    const { name: slot, tensor: t } = state[i];
    const before = snapshot(opt.getWeights());
    const wrong = [...t.shape, 1];
    const at = `${opt.name}.setWeights: weight ${i} ('${slot}')`;
    expect(() => opt.setWeights(replaced(state, i, tensor(Array.from(t.dataSync()), wrong)))).toThrow(
      `${at}: expected shape [${t.shape.join(', ')}], got shape [${wrong.join(', ')}]`,
    );
    expect(() =>
      opt.setWeights(
        replaced(
          state,
          i,
          tensor(
            Array.from(t.dataSync(), () => true),
            t.shape,
            'bool',
          ),
        ),
      ),
    ).toThrow(`${at}: expected a number tensor, got a bool tensor`);
    expect(snapshot(opt.getWeights())).toEqual(before);
  });

  test('a list that is not {name, tensor} entries, a weight given twice or a slot left out is refused', () => {
    const { opt, state } = trained(name, C);
    expect(() => opt.setWeights('state' as never)).toThrow(`${opt.name}.setWeights: expected an array of {name, tensor}, got`);
    expect(() => opt.setWeights([...state, null as never])).toThrow(`${opt.name}.setWeights: weight ${state.length}: expected {name, tensor}, got null`);
    expect(() => opt.setWeights([...state, { name: 'x', tensor: [1] as never }])).toThrow(`weight ${state.length} ('x'): expected a Tensor, got`);
    expect(() => opt.setWeights([...state, state[state.length - 1]])).toThrow(`weight ${state.length}: '${state[state.length - 1].name}' is given twice`);
    expect(() => opt.setWeights(state.slice(0, -1))).toThrow(/setWeights: no value for/);
  });
});

test("LossScaleOptimizer's step_counter and dynamic_scale are scalars too", () => {
  const { opt, state } = trained('LossScaleOptimizer', LossScaleOptimizer as never);
  const i = state.findIndex((w) => w.name === 'dynamic_scale');
  expect(() => opt.setWeights(replaced(state, i, tensor([2, 2])))).toThrow(
    `${opt.name}.setWeights: weight ${i} ('dynamic_scale'): expected shape [] (a scalar), got shape [2]`,
  );
  const j = state.findIndex((w) => w.name === 'step_counter');
  expect(() => opt.setWeights(replaced(state, j, tensor(-1)))).toThrow(`weight ${j} ('step_counter'): expected a whole number >= 0, got -1`);
});
