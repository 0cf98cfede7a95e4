// compile warns, as Keras 3 does, when a crossentropy with fromLogits: true reads an output
// that a softmax or sigmoid produced (the probabilities would be squashed twice).
import * as ts from '../../src';

let warn: jest.SpyInstance;
beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => {})));
afterEach(() => warn.mockRestore());

const compileWith = (layers: ts.layers.Layer[], loss: ts.Loss | string) => {
  const m = ts.sequential({ layers });
  m.compile({ optimizer: 'sgd', loss });
  m.dispose();
};

test('a Dense softmax, a Softmax layer, a sigmoid: one warning naming the loss, output and layer', () => {
  compileWith(
    [ts.layers.dense({ units: 3, activation: 'softmax', inputShape: [4], name: 'probs' })],
    new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
  );
  compileWith([ts.layers.dense({ units: 3, inputShape: [4] }), ts.layers.softmax({ name: 'sm' })], new ts.losses.CategoricalCrossentropy({ fromLogits: true }));
  compileWith([ts.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [4], name: 'p' })], new ts.losses.BinaryCrossentropy({ fromLogits: true }));
  expect(warn).toHaveBeenCalledTimes(3);
  expect(warn.mock.calls[0][0]).toMatch(
    /compile: the loss 'sparse_categorical_crossentropy' of output 'probs' has fromLogits: true, but that output comes from a softmax activation \(layer 'probs'\), so it does not hold logits/,
  );
  expect(warn.mock.calls[1][0]).toMatch(/'categorical_crossentropy' of output 'sm' .* softmax activation \(layer 'sm'\)/);
  expect(warn.mock.calls[2][0]).toMatch(/'binary_crossentropy' of output 'p' .* sigmoid activation/);
});

test('nothing to say: logits with fromLogits, probabilities without it', () => {
  compileWith([ts.layers.dense({ units: 3, inputShape: [4] })], new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }));
  compileWith([ts.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })], 'sparseCategoricalCrossentropy');
  compileWith([ts.layers.dense({ units: 1, activation: 'relu', inputShape: [4] })], new ts.losses.BinaryCrossentropy({ fromLogits: true }));
  expect(warn).not.toHaveBeenCalled();
});
