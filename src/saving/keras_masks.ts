// The writing side of models/carried_masks: Keras 3 writes an Embedding(maskZero)'s mask as
// a NotEqual operation node, `not_equal(tokens, 0)`, passed as the next layer's mask kwarg,
// and Tessera's reader drops exactly that kwarg. Written back the same way, the file holds
// the mask nodes by name; left out, Keras rebuilds them with names of its own session
// (not_equal, not_equal_1, ...), which clash with an operation of the model so named.
import { toSnakeCase } from '../layers/naming';
import { maskOrigin } from '../models/mask_passing';

type Obj = Record<string, unknown>;
type Entry = { className: string; config: Obj; name: string; inboundNodes: unknown[] };
type Node = { args: unknown[]; kwargs: Obj };
type Ref = { className: '__keras_tensor__'; config: { shape: unknown; dtype: unknown; kerasHistory: [string, number, number] } };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRef = (v: unknown): v is Ref => isObj(v) && v.className === '__keras_tensor__' && isObj(v.config) && Array.isArray(v.config.kerasHistory);

// Keras 3.15's layers whose call takes `mask`, so that Keras records the input's mask in their
// node's kwargs (Attention and AdditiveAttention take a list of masks and are left as they are).
const TAKES_MASK = new Set(
  ['BatchNormalization', 'Bidirectional', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D', 'GRU', 'GlobalAveragePooling1D', 'LSTM'].concat([
    'RNN',
    'SimpleRNN',
    'Softmax',
    'TimeDistributed',
  ]),
);

/**
 * @internal A functional config's layers (Tessera's form) with each Embedding(maskZero)
 * output's mask written as Keras writes it: a NotEqual node after the embedding, named
 * not_equal, not_equal_1, ... (the first names no layer holds), in the mask kwarg of each
 * call by a layer whose Keras call takes a mask on that output, or on one made from it by
 * mask-passing layers (Embedding -> Dense -> LSTM).
 */
export function withEmbeddingMasks(layers: Entry[]): Entry[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const taken = new Set(layers.map((l) => l.name));
  const prefix = toSnakeCase('NotEqual');
  const masks = new Map<string, Ref>();
  const added = new Map<string, Entry[]>();
  // The mask of call `node` of embedding `name`, made on first use.
  const maskOf = (name: string, node: number): Ref | undefined => {
    const key = `${name}\u0000${node}`;
    if (masks.has(key)) return masks.get(key);
    const tokens = (byName.get(name)!.inboundNodes[node] as Node | undefined)?.args?.[0];
    if (!isRef(tokens)) return undefined;
    let opName = prefix;
    for (let i = 1; taken.has(opName); i++) opName = `${prefix}_${i}`;
    taken.add(opName);
    const config = { name: opName, trainable: true, op: 'NotEqual', module: 'keras.src.ops.numpy', options: {}, args: [{ kerasTensor: 0 }, 0], kwargs: {} };
    const entry: Entry = { className: 'KerasOperation', name: opName, config, inboundNodes: [{ args: [[tokens]], kwargs: {} }] };
    added.set(name, [...(added.get(name) ?? []), entry]);
    const ref: Ref = { className: '__keras_tensor__', config: { shape: tokens.config.shape, dtype: 'bool', kerasHistory: [opName, 0, 0] } };
    masks.set(key, ref);
    return ref;
  };
  // The single tensor input of call `node` of layer `name`.
  const inputOf = (name: string, node: number): Ref['config']['kerasHistory'] | undefined => {
    const first = (byName.get(name)?.inboundNodes[node] as Node | undefined)?.args?.[0];
    return isRef(first) ? first.config.kerasHistory : undefined;
  };
  const isMasking = (l: Entry | undefined) => l?.className === 'Embedding' && l.config.maskZero === true;
  const withMasks = layers.map((l) => {
    if (!TAKES_MASK.has(l.className)) return l;
    const nodes = l.inboundNodes.map((n) => {
      const { args, kwargs } = n as Node;
      const first = Array.isArray(args) ? args[0] : undefined;
      if (!isRef(first) || (isObj(kwargs) && kwargs.mask !== undefined)) return n;
      const [from, node, tensor] = maskOrigin(first.config.kerasHistory, (name) => byName.get(name), inputOf);
      const mask = tensor === 0 && isMasking(byName.get(from)) ? maskOf(from, node) : undefined;
      return mask === undefined ? n : { args, kwargs: { ...kwargs, mask } };
    });
    return { ...l, inboundNodes: nodes };
  });
  // Each mask node goes right after its embedding, where Keras writes it.
  return withMasks.flatMap((l) => [l, ...(added.get(l.name) ?? [])]);
}
