// ts.mixedPrecision and ts.dtypePolicies: DTypePolicy, the global policy and layers' dtype
// option as a policy. References: Keras 3.15's DTypePolicy (get_config, compute_dtype,
// variable_dtype, repr) and dtype_policies.serialize under the JAX backend. Half precision
// has no CPU kernels yet (issue #21): those policies are refused, never faked.
import * as ts from '../../src';

const { mixedPrecision, dtypePolicies } = ts;

afterEach(() => {
  mixedPrecision.setGlobalPolicy('float32');
  ts.backend.clearSession();
  ts.config.setFloatx('float32');
});

describe('DTypePolicy', () => {
  test("Keras's float64 policy: config {name}, both dtypes float64, repr", () => {
    const p = new mixedPrecision.DTypePolicy('float64');
    expect(p.getConfig()).toEqual({ name: 'float64' });
    expect([p.computeDtype, p.variableDtype]).toEqual(['float64', 'float64']);
    expect(String(p)).toBe('<DTypePolicy "float64">');
    expect(mixedPrecision.Policy).toBe(mixedPrecision.DTypePolicy);
    expect(mixedPrecision.DTypePolicy.fromConfig(p.getConfig()).name).toBe('float64');
  });

  test('mixed and half-precision policies are refused: no CPU half precision yet', () => {
    for (const name of ['mixed_float16', 'mixed_bfloat16', 'float16', 'bfloat16']) {
      expect(() => new mixedPrecision.DTypePolicy(name)).toThrow(new RegExp(`DTypePolicy: policy '${name}' needs half-precision tensors.*CPU.*issue #21`));
      expect(() => mixedPrecision.setGlobalPolicy(name)).toThrow(/mixedPrecision\.setGlobalPolicy: policy .* half-precision/);
    }
    expect(() => new mixedPrecision.DTypePolicy('int32')).toThrow(/DTypePolicy: unknown policy 'int32'; expected 'float32' or 'float64'/);
    expect(() => mixedPrecision.DTypePolicy.fromConfig({ name: 'float32', mode: 'int8' } as never)).toThrow(/unknown config key 'mode'/);
  });

  test('serialize as Keras (className for class_name), get and deserialize', () => {
    const p = dtypePolicies.get('float64');
    expect(dtypePolicies.serialize(p)).toEqual({ className: 'DTypePolicy', config: { name: 'float64' } });
    expect(dtypePolicies.deserialize({ class_name: 'DTypePolicy', config: { name: 'float64' } } as never).name).toBe('float64');
    expect(dtypePolicies.get(p)).toBe(p);
    expect(dtypePolicies.get().name).toBe('float32');
    expect(() => dtypePolicies.deserialize({ className: 'Dense', config: { name: 'x' } })).toThrow(
      /dtypePolicies\.deserialize: expected \{className: 'DTypePolicy'/,
    );
  });
});

describe('the global policy', () => {
  test("defaults to floatx's; setGlobalPolicy('float64') makes later layers float64", () => {
    expect(mixedPrecision.globalPolicy().name).toBe('float32');
    ts.config.setFloatx('float64');
    expect(mixedPrecision.globalPolicy().name).toBe('float64');
    ts.config.setFloatx('float32');
    const before = ts.layers.dense({ units: 2 });
    mixedPrecision.setGlobalPolicy('float64');
    expect(mixedPrecision.globalPolicy().name).toBe('float64');
    const dense = ts.layers.dense({ units: 2 });
    const y = dense.apply(ts.ones([1, 3])) as ts.Tensor;
    expect([dense.dtype, dense.getWeights()[0].dtype, y.dtype]).toEqual(['float64', 'float64', 'float64']);
    expect(dense.dtypePolicy.name).toBe('float64');
    expect(before.dtype).toBe('float32');
  });

  test('config.setDtypePolicy and dtypePolicy are the same functions (keras.config names)', () => {
    expect(ts.config.setDtypePolicy).toBe(mixedPrecision.setGlobalPolicy);
    expect(mixedPrecision.dtypePolicy).toBe(mixedPrecision.globalPolicy);
    ts.config.setDtypePolicy(new mixedPrecision.DTypePolicy('float64'));
    expect(ts.config.dtypePolicy().name).toBe('float64');
    expect(() => mixedPrecision.setGlobalPolicy(3 as never)).toThrow(/expected a policy name such as 'float32' or a DTypePolicy, got 3/);
  });
});

describe("layers' dtype option", () => {
  test('takes a DTypePolicy or its serialized form (Keras spelling too), as Keras layers do', () => {
    const p = new mixedPrecision.DTypePolicy('float64');
    expect(ts.layers.dense({ units: 1, dtype: p }).dtype).toBe('float64');
    expect(ts.layers.dense({ units: 1, dtype: { className: 'DTypePolicy', config: { name: 'float64' } } }).dtype).toBe('float64');
    expect(ts.layers.dense({ units: 1, dtype: { class_name: 'DTypePolicy', config: { name: 'float64' } } as never }).dtype).toBe('float64');
    // A saved config keeps its dtype under another global policy.
    const layer = ts.layers.dense({ units: 1 });
    mixedPrecision.setGlobalPolicy('float64');
    expect((ts.layers.Dense.fromConfig(layer.getConfig() as never) as ts.layers.Dense).dtype).toBe('float32');
  });

  test('refuses half precision and unknown objects, naming the layer', () => {
    expect(() => ts.layers.dense({ units: 1, name: 'd', dtype: 'mixed_float16' as never })).toThrow(/^d: policy 'mixed_float16' needs half-precision/);
    expect(() => ts.layers.dense({ units: 1, name: 'd', dtype: 'float16' as never })).toThrow(/^d: dtype 'float16' needs half-precision/);
    expect(() => ts.layers.dense({ units: 1, name: 'd', dtype: { name: 'float64' } as never })).toThrow(
      /^d: expected dtype to be a dtype name, a DTypePolicy or its/,
    );
  });
});
