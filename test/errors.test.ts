// Bad input gets an Error that names the op, the argument, what was expected and what came.
import { native } from '../src/native/binding';
import { DTYPE_CODE } from '../src/tensor/dtype';
import * as ts from '../src';
import { Tensor, add, concat, fill, matMul, ones, reshape, sum, tensor, zeros } from '../src';

describe('bad input', () => {
  it('wrong shapes and incompatible broadcasts', () => {
    expect(() => add(ones([2, 3]), ones([3, 2]))).toThrow(/add: shapes \[2, 3\] and \[3, 2\] cannot be broadcast together/);
    expect(() => matMul(ones([2, 3]), ones([2, 3]))).toThrow(/matMul: inner dimensions must match/);
    expect(() => reshape(ones([2, 3]), [4])).toThrow(/reshape: cannot reshape a tensor of 6 elements/);
    expect(() => concat([ones([2]), ones([2, 2])])).toThrow(/concat: tensors\[1\] has shape \[2, 2\], incompatible/);
  });

  it('wrong dtypes', () => {
    expect(() => matMul(ones([2, 2], 'int32'), ones([2, 2], 'int32'))).toThrow(/matMul: expected argument 'a' to have dtype float32 or float64, got int32/);
    expect(() => zeros([2], 'half' as never)).toThrow(/zeros: expected dtype to be one of float32, int32, float64, bool, got 'half' \(a string\)/);
    expect(() => sum(tensor([true]))).toThrow(/sum: expected argument 'x' to have dtype float32 or float64 or int32, got bool/);
  });

  it('non-finite and negative shape entries', () => {
    expect(() => zeros([NaN])).toThrow(/zeros: expected shape entries to be non-negative integers, got NaN at index 0 of \[NaN\]/);
    expect(() => ones([2, Infinity])).toThrow(/got Infinity at index 1/);
    expect(() => zeros([1.5])).toThrow(/got 1.5/);
    expect(() => zeros([-1])).toThrow(/got -1/);
    expect(() => zeros('3' as never)).toThrow(/zeros: expected shape to be an array of integers, got '3'/);
  });

  it('a disposed tensor', () => {
    const t = ones([2]);
    t.dispose();
    expect(() => add(t, t)).toThrow(/add: argument 'a' is a disposed tensor \(shape \[2\]\)/);
    expect(() => t.arraySync()).toThrow(/is disposed/);
  });

  it('mixed devices name the op and both devices', () => {
    // On the CPU whatever the default device (a GPU machine runs this suite on CUDA).
    const cpu = fill([2], 1, 'float32', 'cpu');
    // A tensor that claims another device: the device check runs before any native call.
    const other = new Tensor(native.reshape(cpu.handle!, [2]), [2], 'float32', 'cuda:0');
    expect(() => add(cpu, other)).toThrow(/add: expected every input on cpu, got input 1 on cuda:0/);
  });

  it('a typed array of the wrong length, caught natively without a crash', () => {
    expect(() => native.createTensor(new Float32Array(3), [2, 2], DTYPE_CODE.float32, -1)).toThrow(
      /createTensor: expected 4 float32 values \(16 bytes\), got 12 bytes/,
    );
    expect(() => native.run(9999, [], new Float64Array(0), new Float64Array([-1]))).toThrow(/run: unknown op id 9999/);
    expect(() => native.createTensor(null, [2], 17, -1)).toThrow(/createTensor: unknown dtype code 17/);
    expect(() => native.createTensor(null, [2], 0, 3)).toThrow(/device cuda:3 is not available/);
  });

  it('flags that must be booleans, and registry names that are Symbols', () => {
    const x = ts.tensor([1, 2]);
    expect(() => ts.gelu(x, Symbol() as never)).toThrow(/^gelu: expected approximate to be true or false, got symbol/);
    expect(() => ts.gelu(x, 1 as never)).toThrow(/^gelu: expected approximate to be true or false, got 1/);
    expect(() => ts.variable(x, 'yes' as never)).toThrow(/^variable: expected trainable to be true or false, got 'yes'/);
    expect(ts.variable(x, false).trainable).toBe(false);
    // A Symbol cannot be put in a template string; the errors describe it instead.
    for (const [get, what] of [
      [ts.activations.get, /^activations.get: unknown activation symbol/],
      [ts.initializers.get, /^initializers.get: expected a initializer name, object or \{className, config\}, got symbol/],
      [ts.regularizers.get, /^regularizers.get: expected a regularizer name/],
      [ts.constraints.get, /^constraints.get: expected a constraint name/],
    ] as const) {
      expect(() => (get as (s: unknown) => unknown)(Symbol('relu'))).toThrow(what);
    }
  });
});
