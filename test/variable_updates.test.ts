// Keras's in-place variable updates, assign_add and assign_sub, as assignAdd / assignSub.
import * as ts from '../src';

describe("Variable.assignAdd / assignSub (Keras's assign_add / assign_sub)", () => {
  it('add or subtract in place (delta broadcast), return the variable, and record nothing on a tape', () => {
    const v = ts.variable(ts.tensor([1, 2, 3]));
    expect(v.assignAdd(ts.tensor([1, 1, 1]))).toBe(v);
    expect(Array.from(v.dataSync())).toEqual([2, 3, 4]);
    v.assignSub(2);
    expect(Array.from(v.dataSync())).toEqual([0, 1, 2]);
    const tape = new ts.GradientTape();
    v.assignAdd(1);
    expect(tape.gradient(ts.sum(v), [v])[0]!.arraySync()).toEqual([1, 1, 1]);
    expect(() => v.assignAdd(ts.ones([2, 3]))).toThrow(/assign: variable '.*' is \[3\] float32 on cpu, got a value of \[2, 3\]/);
    expect(() => (v.assignAdd as (...a: unknown[]) => unknown)(1, 2)).toThrow(/Variable.assignAdd: expected at most 1 argument/);
    v.dispose();
  });
});
