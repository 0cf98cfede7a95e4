// ts.backend.clearSession, getUid and Keras's dtype helpers (standardizeDtype, isFloatDtype,
// isIntDtype, resultType). References: the clear_session and get_uid docstrings of Keras
// 3.15 and its answers under the JAX backend (quoted beside each expectation).
import * as ts from '../../src';

const { backend } = ts;

afterEach(() => {
  ts.mixedPrecision.setGlobalPolicy('float32');
  backend.clearSession();
});

describe('clearSession', () => {
  test("Keras's docstring: after ten dense layers the next is dense_10; after clearSession, dense", () => {
    backend.clearSession();
    for (let i = 0; i < 10; i++) ts.layers.dense({ units: 10 });
    expect(ts.layers.dense({ units: 10 }).name).toBe('dense_10');
    backend.clearSession();
    expect(ts.layers.dense({ units: 10 }).name).toBe('dense');
  });

  test("a fresh model's layers are numbered from the start again, and it still trains", async () => {
    const make = () => ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] }), ts.layers.dense({ units: 1 })] });
    make();
    backend.clearSession();
    const model = make();
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await model.fit(ts.ones([4, 3]), ts.ones([4, 1]), { epochs: 1, verbose: 0 });
    expect(history.history.loss[0]).toBeGreaterThan(0);
  });

  test('variables of a model made before and one made after stay apart (their gradients are not mixed up)', () => {
    const a = ts.layers.dense({ units: 1, kernelInitializer: 'ones', useBias: false });
    a.build([null, 1]);
    backend.clearSession();
    const b = ts.layers.dense({ units: 1, kernelInitializer: 'zeros', useBias: false });
    b.build([null, 1]);
    expect(a.name).toBe(b.name);
    const x = ts.tensor([[2]]);
    const { grads } = ts.variableGrads(() => ts.sum(ts.add(ts.mul(a.apply(x) as ts.Tensor, 3), b.apply(x) as ts.Tensor)));
    expect(Object.keys(grads)).toHaveLength(2);
  });

  test("resets the global dtype policy to floatx's, as Keras's clear_session does", () => {
    ts.mixedPrecision.setGlobalPolicy('float64');
    backend.clearSession();
    expect(ts.mixedPrecision.globalPolicy().name).toBe('float32');
  });

  test('takes no arguments', () => {
    expect(() => (backend.clearSession as (...a: unknown[]) => void)(true)).toThrow(/backend\.clearSession: expected at most 0 arguments, got 1/);
  });
});

describe('getUid', () => {
  test("Keras's docstring: 1, then 2, per prefix", () => {
    backend.clearSession();
    expect(backend.getUid('my_prefix')).toBe(1);
    expect(backend.getUid('my_prefix')).toBe(2);
    expect(backend.getUid('other')).toBe(1);
  });

  test('shares the counters of automatic names (Keras: a Dense, then get_uid("dense") is 2)', () => {
    backend.clearSession();
    expect(ts.layers.dense({ units: 2 }).name).toBe('dense');
    expect(backend.getUid('dense')).toBe(2);
    expect(ts.layers.dense({ units: 2 }).name).toBe('dense_2');
  });

  test('refuses a prefix that is not a string', () => {
    expect(() => backend.getUid(3 as never)).toThrow(/backend\.getUid: expected prefix to be a string, got 3/);
  });
});

describe('dtype helpers', () => {
  test('standardizeDtype as Keras 3.15: null -> floatx, int -> int32, names as they are', () => {
    expect([null, 'int', 'float32', 'int8', 'bfloat16'].map((d) => backend.standardizeDtype(d))).toEqual(['float32', 'int32', 'float32', 'int8', 'bfloat16']);
    expect(backend.standardizeDtype('float')).toBe('float32'); // Python's float (the type)
    expect(backend.standardizeDtype('torch.float64')).toBe('float64');
    ts.config.setFloatx('float64');
    try {
      expect(backend.standardizeDtype()).toBe('float64');
    } finally {
      ts.config.setFloatx('float32');
    }
    expect(() => backend.standardizeDtype('float128')).toThrow(/backend\.standardizeDtype: unknown dtype 'float128'; expected one of float16, float32/);
  });

  test('isFloatDtype and isIntDtype as Keras 3.15', () => {
    expect([backend.isFloatDtype('bfloat16'), backend.isFloatDtype('int32'), backend.isIntDtype('uint8'), backend.isIntDtype('float64')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(backend.isFloatDtype('bool')).toBe(false);
    expect(() => backend.isIntDtype('integer')).toThrow(/backend\.isIntDtype: unknown dtype 'integer'/);
  });

  test("resultType: Keras's promotion over Tessera's dtypes; none gives floatx", () => {
    expect(backend.resultType('int32', 'float32')).toBe('float32');
    expect(backend.resultType('bool', 'int32')).toBe('int32');
    expect(backend.resultType()).toBe('float32');
    // Keras folds float64 to float32 (JAX without x64); Tessera has float64 tensors and computes in it.
    expect(backend.resultType('float32', 'float64')).toBe(ts.add(ts.ones([1]), ts.ones([1], 'float64')).dtype);
    expect(() => backend.resultType('int8', 'float32')).toThrow(/backend\.resultType: dtype 'int8' has no tensors in Tessera/);
  });

  test('isKerasTensor: symbolic tensors, not eager ones', () => {
    expect(backend.isKerasTensor(ts.input({ shape: [2] }))).toBe(true);
    expect(backend.isKerasTensor(ts.ones([2]))).toBe(false);
  });
});
