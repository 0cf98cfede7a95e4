// Optimizer options as users write them: TensorFlow.js camelCase, Keras 3 snake_case
// (learning_rate, beta_1, global_clipnorm) or Keras's own spellings (clipnorm).

// Spellings that camelCasing alone does not map to the canonical key.
const ALIASES: Record<string, string> = { clipNorm: 'clipnorm', clipValue: 'clipvalue', globalClipNorm: 'globalClipnorm' };

/** 'beta_1' -> 'beta1', 'global_clipnorm' -> 'globalClipnorm', 'clipNorm' -> 'clipnorm'. */
export function canonicalKey(key: string): string {
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return ALIASES[camel] ?? camel;
}

/**
 * The options with canonical keys, over `defaults`; throws on unknown options (listing the
 * valid ones) and on two spellings of one option with different values.
 */
export function normalizeOptions<T extends object>(op: string, options: object, defaults: T): T {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    const k = canonicalKey(key);
    if (!(k in defaults)) throw new Error(`${op}: unknown option '${key}'; expected ${Object.keys(defaults).join(', ')}`);
    const previous = seen.get(k);
    if (previous !== undefined && out[k] !== value) throw new Error(`${op}: options '${previous}' and '${key}' disagree`);
    seen.set(k, key);
    out[k] = value;
  }
  return out as T;
}
