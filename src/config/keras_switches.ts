// Keras 3's keras.config switches beyond the settings: flash attention (which the fused
// attention kernel really follows), traceback filtering and unsafe deserialization (which
// Tessera has nothing to switch for: see each), and set_backend (Tessera is its one backend).
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';

// Keras's global 'flash_attention' attribute: null (enabled, the default) or false.
let flashAttention: false | null = null;
let tracebackFiltering = true;

/**
 * Keras 3's keras.config.enable_flash_attention (the default): a MultiHeadAttention made
 * afterwards with flashAttention unset uses the fused attention kernel (fusedAttention)
 * wherever it applies (CPU tensors; no free-form attentionMask, sliding window or returned scores).
 */
export function enableFlashAttention(): void {
  if (arguments.length > 0) throw tooManyArguments('config.enableFlashAttention', 0, arguments.length);
  flashAttention = null;
}

/**
 * Keras 3's keras.config.disable_flash_attention: a MultiHeadAttention made afterwards with
 * flashAttention unset gets flashAttention false (so its config says false, as Keras's) and
 * always computes the composite softmax(q kᵀ) v. Layers made before keep what they have.
 */
export function disableFlashAttention(): void {
  if (arguments.length > 0) throw tooManyArguments('config.disableFlashAttention', 0, arguments.length);
  flashAttention = false;
}

/** Keras 3's keras.config.is_flash_attention_enabled: false when disabled, else null (Keras's None: enabled, used where it applies). */
export function isFlashAttentionEnabled(): false | null {
  if (arguments.length > 0) throw tooManyArguments('config.isFlashAttentionEnabled', 0, arguments.length);
  return flashAttention;
}

/**
 * Keras 3's keras.config.enable_traceback_filtering. Keras hides its own frames from Python
 * tracebacks; Tessera does not filter JavaScript stack traces, so this only records the
 * setting that isTracebackFilteringEnabled reports: no error or stack changes.
 */
export function enableTracebackFiltering(): void {
  if (arguments.length > 0) throw tooManyArguments('config.enableTracebackFiltering', 0, arguments.length);
  tracebackFiltering = true;
}

/** Keras 3's keras.config.disable_traceback_filtering: records the setting only (Tessera filters no stack traces; see enableTracebackFiltering). */
export function disableTracebackFiltering(): void {
  if (arguments.length > 0) throw tooManyArguments('config.disableTracebackFiltering', 0, arguments.length);
  tracebackFiltering = false;
}

/** Keras 3's keras.config.is_traceback_filtering_enabled: the recorded setting (true by default, as Keras); it changes no stack trace. */
export function isTracebackFilteringEnabled(): boolean {
  if (arguments.length > 0) throw tooManyArguments('config.isTracebackFilteringEnabled', 0, arguments.length);
  return tracebackFiltering;
}

/**
 * Keras 3's keras.config.enable_unsafe_deserialization, which lets Keras load a Lambda
 * layer's Python bytecode. Tessera never runs code from a file in either mode (it cannot
 * run Python, and a Lambda layer is not serializable here), so loading behaves the same
 * after this call; it is accepted so that Keras scripts run.
 */
export function enableUnsafeDeserialization(): void {
  if (arguments.length > 0) throw tooManyArguments('config.enableUnsafeDeserialization', 0, arguments.length);
}

/**
 * Keras 3's keras.config.set_backend. Tessera is its own one backend: 'tessera' is accepted
 * (nothing changes); any other name is refused (to pick the device, use setDevice('cuda') or
 * the TensorFlow.js-style ts.setBackend).
 */
export function setBackend(backend: string): void {
  const op = 'config.setBackend';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  if (backend === 'tessera') return;
  throw new Error(
    `${op}: Tessera runs only on its own backend, 'tessera'; got ${typeof backend === 'string' ? `'${backend}'` : describe(backend)} (Keras's jax, tensorflow, torch and numpy backends are Python; to choose the device use setDevice('cpu' | 'cuda'))`,
  );
}
