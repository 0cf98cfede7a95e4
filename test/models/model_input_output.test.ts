// A functional model's input / output are its own symbolic tensors, as Keras's (they were
// the first call's, so a model never called on a tensor had none); a Sequential's stay its
// first call's, as Keras 3's.
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

  it("a Sequential's are its first call's, as Keras 3's (one never called has none)", () => {
    const s = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] });
    expect(() => s.output).toThrow(/never been applied/);
    const x = ts.input({ shape: [3] });
    const y = s.apply(x);
    expect(s.input).toBe(x);
    expect(s.output).toBe(y);
  });
});
