// Keras 3 writes the mask of an Embedding(maskZero) as an operation node, `not_equal(tokens, 0)`,
// and passes it to the next layer as kwargs mask. Tessera carries that very mask along the
// graph itself, so such a kwarg is dropped; any other explicit mask is still refused (see
// functional_config's maskKwargError).
import type { FunctionalLayerConfig, NodeConfig, TensorRef } from './functional_config';

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
  const isCarried = (node: NodeConfig): boolean => {
    const mask = historyOf(node.kwargs?.mask);
    const first = historyOf(node.args?.[0]);
    if (mask === undefined || first === undefined || mask[2] !== 0 || first[2] !== 0) return false;
    const op = byName.get(mask[0]);
    const embedding = byName.get(first[0]);
    const args = op?.config?.args;
    const isNotEqualZero = op?.className === 'KerasOperation' && op.config.op === 'NotEqual' && Array.isArray(args) && args.length === 2 && args[1] === 0;
    if (!isNotEqualZero || embedding?.className !== 'Embedding' || embedding.config?.maskZero !== true) return false;
    const tokens = inputOf(mask[0], mask[1], (a) => (Array.isArray(a[0]) ? a[0][0] : a[0]));
    return sameRef(
      tokens,
      inputOf(first[0], first[1], (a) => a[0]),
    );
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
