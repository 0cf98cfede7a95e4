// A misspelled loss, metric, optimizer or activation names the closest valid one, in the
// spelling the user wrote (camelCase for camelCase), before the full list.
import * as ts from '../../src';

const model = () => ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [2] })] });

it.each([
  [
    { optimizer: 'adam', loss: 'categoricalCrossEntropy' },
    /losses.get: unknown loss 'categoricalCrossEntropy'; did you mean 'categoricalCrossentropy'\? expected a Loss/,
  ],
  [{ optimizer: 'adam', loss: 'sparse_categorical_crossentrop' }, /did you mean 'sparse_categorical_crossentropy'\?/],
  [{ optimizer: 'adam', loss: 'mse', metrics: ['accurcy'] }, /metrics.get: unknown metric 'accurcy'; did you mean 'accuracy'\? expected a Metric/],
  [{ optimizer: 'adma', loss: 'mse' }, /optimizers.get: unknown optimizer 'adma'; did you mean 'adam'\? expected an Optimizer/],
])('compile(%j) suggests the name', (args, message) => {
  expect(() => model().compile(args as never)).toThrow(message);
});

it('an activation too; a name far from every valid one gets the list only', () => {
  expect(() => ts.layers.dense({ units: 2, activation: 'rleu' as never })).toThrow(/unknown activation 'rleu'; did you mean 'relu'\? valid names are: /);
  expect(() => model().compile({ optimizer: 'adam', loss: 'zzzzzzzz' })).toThrow(/losses.get: unknown loss 'zzzzzzzz'; expected a Loss/);
});
