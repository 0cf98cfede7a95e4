// model.input / model.output are the model's own symbolic tensors, as Keras's (they were
// the first call's, so a model never called on a tensor had none).
import * as ts from '../../src';

describe('model.input and model.output', () => {
  it('a functional model gives its inputs and outputs in the structure it was built with', () => {
    const x = ts.input({ shape: [3] });
    const y = ts.layers.dense({ units: 2 }).apply(x) as ts.SymbolicTensor;
    const m = ts.model({ inputs: x, outputs: y });
    expect(m.input).toBe(x);
    expect(m.output).toBe(y);
    const a = ts.input({ shape: [2], name: 'a' });
    const b = ts.input({ shape: [4], name: 'b' });
    const joined = ts.layers.concatenate().apply([a, b]) as ts.SymbolicTensor;
    const two = ts.model({ inputs: { a, b }, outputs: [joined, a] });
    expect(two.input).toEqual({ a, b });
    expect(two.output).toEqual([joined, a]);
    // Called on another tensor later, the model still answers with its own (Keras: the first node).
    two.apply({ a: ts.input({ shape: [2] }), b: ts.input({ shape: [4] }) });
    expect(two.input).toEqual({ a, b });
  });

  it('a Sequential with a known input shape has them; one without says why not', () => {
    const s = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] });
    expect((s.input as ts.SymbolicTensor).shape).toEqual([null, 3]);
    expect((s.output as ts.SymbolicTensor).shape).toEqual([null, 2]);
    const empty = ts.sequential();
    expect(() => empty.input).toThrow(/never been applied/);
  });
});
