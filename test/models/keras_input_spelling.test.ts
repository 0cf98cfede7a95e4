// keras.Input / keras.layers.Input, Keras's spelling of ts.input: the same function.
import * as ts from '../../src';

test('ts.Input and ts.layers.Input are ts.input, and build a functional model', () => {
  expect(ts.Input).toBe(ts.input);
  expect(ts.layers.Input).toBe(ts.input);
  const x = ts.Input({ shape: [3] });
  const model = ts.model({ inputs: x, outputs: ts.layers.dense({ units: 2 }).apply(x) as ts.SymbolicTensor });
  expect(model.predict(ts.zeros([4, 3])).shape).toEqual([4, 2]);
  expect(() => ts.Input({ shape: [3], shap: [2] } as never)).toThrow(/unknown option 'shap'/);
});
