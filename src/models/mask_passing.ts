// Keras 3 hands a mask on implicitly: a layer with supports_masking and Layer's own
// compute_mask gives its output its input's mask, so an Embedding(maskZero)'s mask reaches an
// LSTM after a Dense, and Keras writes it there as the mask kwarg. Tessera's layers of these
// classes hand the mask on the same way (test/saving/keras_mask_chain.test.ts checks both), so
// the reader may drop such a kwarg and the writer writes it where Keras does.

/** A tensor reference: [layer name, node index, tensor index]. */
type Ref = readonly [string, number, number];
type Entry = { className?: unknown; config?: Record<string, unknown> };

/**
 * @internal Keras 3.15's one-input layers whose output carries the input's mask unchanged
 * (listed from keras.layers: supports_masking and the default compute_mask).
 */
export const PASSES_MASK: ReadonlySet<string> = new Set([
  'Activation',
  'ActivityRegularization',
  'AlphaDropout',
  'BatchNormalization',
  'Dense',
  'Dropout',
  'ELU',
  'GaussianDropout',
  'GaussianNoise',
  'GroupNormalization',
  'Identity',
  'LayerNormalization',
  'LeakyReLU',
  'Normalization',
  'PReLU',
  'ReLU',
  'Softmax',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'TimeDistributed',
  'UnitNormalization',
]);

// An RNN's returned sequences carry its input's mask (its states none).
const RNNS = new Set(['SimpleRNN', 'LSTM', 'GRU']);

// Whether output `tensor` of a layer so configured carries the mask of its first input.
function passes(entry: Entry, tensor: number): boolean {
  const name = entry.className;
  if (typeof name !== 'string' || tensor !== 0) return false;
  return PASSES_MASK.has(name) || (RNNS.has(name) && entry.config?.returnSequences === true);
}

/**
 * @internal Where the mask of `ref` comes from in Keras: the first tensor up the chain of
 * one-input calls by mask-passing layers (`ref` itself when its layer makes its own mask).
 * `entryOf` finds a layer's config entry, `inputOf` the single tensor input of one of its calls.
 */
export function maskOrigin<R extends Ref>(ref: R, entryOf: (name: string) => Entry | undefined, inputOf: (name: string, node: number) => R | undefined): R {
  const seen = new Set<string>();
  for (;;) {
    const entry = entryOf(ref[0]);
    const key = `${ref[0]}\u0000${ref[1]}`;
    // A cycle in a hostile config stops the walk; building the graph refuses it.
    if (entry === undefined || seen.has(key) || !passes(entry, ref[2])) return ref;
    seen.add(key);
    const input = inputOf(ref[0], ref[1]);
    if (input === undefined) return ref;
    ref = input;
  }
}
