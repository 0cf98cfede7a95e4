// Keras 3's keras.config switches: flash attention (followed by MultiHeadAttention made
// afterwards, as Keras's `flash_attention or is_flash_attention_enabled()`), interactive
// logging, traceback filtering, unsafe deserialization and set_backend.
import * as ts from '../../src';

const { config } = ts;

afterEach(() => {
  config.enableFlashAttention();
  config.enableTracebackFiltering();
  config.enableInteractiveLogging();
});

describe('flash attention', () => {
  test("Keras's values: null (enabled, the default) or false", () => {
    expect(config.isFlashAttentionEnabled()).toBeNull();
    config.disableFlashAttention();
    expect(config.isFlashAttentionEnabled()).toBe(false);
    config.enableFlashAttention();
    expect(config.isFlashAttentionEnabled()).toBeNull();
  });

  test('a MultiHeadAttention made while disabled gets flashAttention false, and the same output', () => {
    const q = ts.randomUniform([2, 5, 8], 0, 1, 'float32', 1);
    const fused = new ts.layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 3 });
    expect(fused.flashAttention).toBeNull();
    config.disableFlashAttention();
    const composite = new ts.layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 3 });
    const explicit = new ts.layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, flashAttention: true });
    config.enableFlashAttention();
    expect(composite.flashAttention).toBe(false);
    expect(composite.getConfig().flashAttention).toBe(false);
    expect(explicit.flashAttention).toBe(true);
    const a = fused.apply(q, { value: q }) as ts.Tensor;
    composite.apply(q, { value: q });
    composite.setWeights(fused.getWeights());
    const b = composite.apply(q, { value: q }) as ts.Tensor;
    const diff = ts.max(ts.abs(ts.sub(a, b))).dataSync()[0];
    expect(diff).toBeLessThan(1e-5);
  });
});

describe('interactive logging, traceback filtering, unsafe deserialization, setBackend', () => {
  test('interactive logging is the switch progress bars read (utils)', () => {
    expect(config.disableInteractiveLogging).toBe(ts.utils.disableInteractiveLogging);
    config.disableInteractiveLogging();
    expect(ts.utils.isInteractiveLoggingEnabled()).toBe(false);
    config.enableInteractiveLogging();
    expect(config.isInteractiveLoggingEnabled()).toBe(true);
  });

  test('traceback filtering is recorded (true by default, as Keras)', () => {
    expect(config.isTracebackFilteringEnabled()).toBe(true);
    config.disableTracebackFiltering();
    expect(config.isTracebackFilteringEnabled()).toBe(false);
  });

  test('enableUnsafeDeserialization is accepted', () => {
    expect(config.enableUnsafeDeserialization()).toBeUndefined();
  });

  test("setBackend takes 'tessera' only", () => {
    expect(() => config.setBackend('tessera')).not.toThrow();
    expect(() => config.setBackend('jax')).toThrow(/config.setBackend: Tessera runs only on its own backend, 'tessera'; got 'jax'/);
    expect(() => config.setBackend(3 as never)).toThrow(/config.setBackend: .*got 3/);
  });

  test('extra arguments are refused', () => {
    expect(() => (config.disableFlashAttention as (...a: unknown[]) => void)(true)).toThrow(/config.disableFlashAttention: expected at most 0 arguments/);
    expect(() => (config.setBackend as (...a: unknown[]) => void)('tessera', 1)).toThrow(/config.setBackend: expected at most 1 argument/);
  });
});
