// Keras 3 writes the mask of an Embedding(maskZero) as an operation node, `not_equal(tokens, 0)`,
// and passes it to the next layer as kwargs mask; after Attention / AdditiveAttention the mask
// is `convert_to_tensor(query_mask)`; either may reach the layer through mask-passing layers
// (a Dense, a Dropout: see mask_passing). Tessera carries that very mask along the graph itself,
// so such a kwarg is dropped; any other explicit mask is still refused (see functional_config's
// maskKwargError).
import type { FunctionalLayerConfig, NodeConfig, TensorRef } from './functional_config';
import { maskOrigin } from './mask_passing';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const historyOf = (v: unknown): TensorRef | undefined => {
  const h = isObj(v) && v.className === '__keras_tensor__' && isObj(v.config) ? v.config.kerasHistory : undefined;
  return Array.isArray(h) && h.length === 3 ? (h as TensorRef) : undefined;
};
const sameRef = (a: TensorRef | undefined, b: TensorRef | undefined) => a !== undefined && b !== undefined && a.every((x, i) => x === b[i]);

/** @internal The entries with each mask kwarg that is exactly the embedding's own mask removed. */
export function dropCarriedMasks(entries: FunctionalLayerConfig[]): FunctionalLayerConfig[] {
  const byName = new Map(entries.filter(isObj).map((e) => [typeof e.name === 'string' ? e.name : String(e.config?.name), e]));
  // The input of call `node` of layer `name`, when that call took one tensor.
  const inputOf = (name: string, node: number, slot: (args: unknown[]) => unknown): TensorRef | undefined => {
    const n = byName.get(name)?.inboundNodes?.[node] as NodeConfig | undefined;
    return isObj(n) && Array.isArray(n.args) ? historyOf(slot(n.args)) : undefined;
  };
  // Whether `mask` is Keras's mask of `x`, not_equal(tokens, 0) of the Embedding(maskZero) that made x from tokens.
  const isEmbeddingMask = (mask: TensorRef | undefined, x: TensorRef | undefined): boolean => {
    if (mask === undefined || x === undefined || mask[2] !== 0 || x[2] !== 0) return false;
    const op = byName.get(mask[0]);
    const embedding = byName.get(x[0]);
    const args = op?.config?.args;
    const isNotEqualZero = op?.className === 'KerasOperation' && op.config.op === 'NotEqual' && Array.isArray(args) && args.length === 2 && args[1] === 0;
    if (!isNotEqualZero || embedding?.className !== 'Embedding' || embedding.config?.maskZero !== true) return false;
    const tokens = inputOf(mask[0], mask[1], (a) => (Array.isArray(a[0]) ? a[0][0] : a[0]));
    return sameRef(
      tokens,
      inputOf(x[0], x[1], (a) => a[0]),
    );
  };
  // Whether `mask` is the output mask Keras's Attention / AdditiveAttention gave `x`:
  // convert_to_tensor of the query mask its call used (mask=[query_mask, ...] or the query's own).
  const isAttentionMask = (mask: TensorRef | undefined, x: TensorRef | undefined): boolean => {
    if (mask === undefined || x === undefined || mask[2] !== 0 || x[2] !== 0) return false;
    const op = byName.get(mask[0]);
    const options = op?.config?.options as Obj | undefined;
    if (op?.className !== 'KerasOperation' || op.config.op !== 'ConvertToTensor' || (options?.dtype ?? null) !== null) return false;
    const source = inputOf(mask[0], mask[1], (a) => (Array.isArray(a[0]) ? a[0][0] : a[0]));
    const layer = byName.get(x[0]);
    const node = layer?.inboundNodes?.[x[1]] as NodeConfig | undefined;
    if ((layer?.className !== 'Attention' && layer?.className !== 'AdditiveAttention') || !isObj(node) || !Array.isArray(node.args)) return false;
    const query = Array.isArray(node.args[0]) ? historyOf(node.args[0][0]) : undefined;
    const given = node.kwargs?.mask;
    return Array.isArray(given) ? sameRef(historyOf(given[0]), source) : isEmbeddingMask(source, query);
  };
  const isCarried = (node: NodeConfig): boolean => {
    const mask = historyOf(node.kwargs?.mask);
    const first = historyOf(node.args?.[0]);
    if (mask === undefined || first === undefined) return false;
    // The layer that made the mask, past the layers that hand it on.
    const origin = maskOrigin(
      first,
      (name) => byName.get(name),
      (name, n) => inputOf(name, n, (a) => a[0]),
    );
    return isEmbeddingMask(mask, origin) || isAttentionMask(mask, origin);
  };
  return entries.map((e) => {
    if (!isObj(e) || !Array.isArray(e.inboundNodes) || !e.inboundNodes.some((n) => isObj(n) && isCarried(n as NodeConfig))) return e;
    const nodes = e.inboundNodes.map((n) => {
      if (!isObj(n) || !isCarried(n as NodeConfig)) return n;
      const kwargs = { ...(n as NodeConfig).kwargs };
      delete kwargs.mask;
      return { ...(n as NodeConfig), kwargs };
    });
    return { ...e, inboundNodes: nodes };
  });
}
