// utils.getSourceInputs: Keras 3's get_source_inputs (keras/src/ops/node.py's history walk).
import { input, layers, ones, utils, type SymbolicTensor } from '../../src';

describe('utils.getSourceInputs', () => {
  test('the inputs a symbolic tensor comes from, each once, in the order Keras finds them', () => {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const da = layers.dense({ units: 2 }).apply(a) as SymbolicTensor;
    const sum = layers.add().apply([b, da, layers.dense({ units: 2 }).apply(a) as SymbolicTensor]) as SymbolicTensor;
    const out = layers.dense({ units: 1 }).apply(sum) as SymbolicTensor;
    expect(utils.getSourceInputs(out)).toEqual([b, a]);
    expect(utils.getSourceInputs(da)).toEqual([a]);
    expect(utils.getSourceInputs(a)).toEqual([a]);
  });

  test('refuses what is not a symbolic tensor', () => {
    expect(() => utils.getSourceInputs(ones([2]) as never)).toThrow(/utils.getSourceInputs: expected a symbolic tensor .*got a Tensor/);
    expect(() => (utils.getSourceInputs as (...a: unknown[]) => unknown)(input({ shape: [1] }), 1)).toThrow(/utils.getSourceInputs/);
  });
});
