// Variable.path is Keras's variable.path: 'layer/weight', the same for a second model's
// layer of the same name, whose variable names are numbered apart.
import * as ts from '../../src';

test("a layer weight's path is 'layer/weight', never numbered; other variables' path is their name", () => {
  const build = () => ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3], name: 'head' })] });
  const [first, second] = [build(), build()];
  expect(first.weights.map((w) => w.path)).toEqual(['head/kernel', 'head/bias']);
  expect(second.weights.map((w) => w.path)).toEqual(['head/kernel', 'head/bias']);
  expect(second.weights[0].name).not.toBe(first.weights[0].name);
  const v = ts.variable(ts.zeros([2]), true, 'free_standing');
  expect(v.path).toBe('free_standing');
});
