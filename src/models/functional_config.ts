// A functional model's config (Keras's format, camelCase): its layers, each with the
// calls ("inbound nodes") that connect it, and which tensors are the model's inputs and
// outputs; and the rebuilding of the graph from such a config.
//
// A tensor is named by [layer name, node index, tensor index]. Node indices count only
// the calls that belong to this model, from 0 for every layer (the file formats that
// count a nested model's own node first add 1 when writing: see saving/model_config).
// Inbound nodes are written as Keras 3 does, `{args, kwargs}` with `__keras_tensor__`
// references, and read in that form or Keras 2's `[[name, node, tensor, kwargs], ...]`.
// Tensors a layer takes as options (static tensorCallArgKeys: multiHeadAttention's value,
// categoryEncoding's countWeights, ...) reach its call as named parts {first, option, ...};
// they are written as kwargs, and read from kwargs or from the positional args after the first.
import { InputLayer } from '../layers/input_layer';
import type { Layer } from '../layers/layer';
import type { Node } from '../layers/node';
import { deserializeLayer, serializeLayer } from '../layers/serialization';
import { flattenNested, packNested, type Nested, type Structure } from '../layers/structure';
import { SymbolicTensor as SymbolicTensorClass, type SymbolicTensor } from '../layers/symbolic_tensor';
import { dropCarriedMasks } from './carried_masks';
import type { Graph } from './graph';

/** A tensor reference: [layer name, node index, tensor index]. */
export type TensorRef = [string, number, number];

/** One call of a layer, Keras 3 style: positional args (tensor references) and keyword args. */
export interface NodeConfig {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** One layer of a functional config. */
export interface FunctionalLayerConfig {
  className: string;
  config: Record<string, unknown>;
  name: string;
  inboundNodes: (NodeConfig | unknown[][])[];
}

/** What Functional.getConfig returns. */
export interface FunctionalConfig {
  name: string;
  trainable: boolean;
  layers: FunctionalLayerConfig[];
  inputLayers: TensorRef[] | Record<string, TensorRef>;
  outputLayers: TensorRef[] | Record<string, TensorRef>;
}

const KERAS_TENSOR = '__keras_tensor__';

/** @internal True for `{className: '__keras_tensor__', config: {kerasHistory}}`. */
export function isTensorRefObject(v: unknown): v is { className: string; config: { kerasHistory: TensorRef; shape?: unknown; dtype?: unknown } } {
  const o = v as { className?: unknown; config?: { kerasHistory?: unknown } };
  return typeof o === 'object' && o !== null && o.className === KERAS_TENSOR && Array.isArray(o.config?.kerasHistory);
}

/** @internal The config of a graph: `structures` says how inputs and outputs were given. */
export function graphConfig(name: string, trainable: boolean, graph: Graph, inputs: Structure, outputs: Structure): FunctionalConfig {
  const inGraph = new Set(graph.nodes);
  const index = new Map<Node, number>();
  for (const layer of graph.layers) {
    let k = 0;
    for (const node of layer.inboundNodes) if (inGraph.has(node)) index.set(node, k++);
  }
  const ref = (t: SymbolicTensor): TensorRef => [t.sourceLayer.name, index.get(t.node)!, t.index];
  const refObject = (t: SymbolicTensor) => ({ className: KERAS_TENSOR, config: { shape: [...t.shape], dtype: t.dtype, kerasHistory: ref(t) } });
  const layers = graph.layers.map((layer): FunctionalLayerConfig => {
    const nodes = layer.inboundNodes.filter((n) => inGraph.has(n) && !n.isInput);
    return { ...serializeLayer(layer), name: layer.name, inboundNodes: nodes.map((n) => nodeConfig(n, refObject)) };
  });
  const refs = (tensors: SymbolicTensor[], s: Structure) =>
    s.kind === 'dict' ? Object.fromEntries(s.keys.map((k, i) => [k, ref(tensors[i])])) : tensors.map(ref);
  return { name, trainable, layers, inputLayers: refs(graph.inputs, inputs), outputLayers: refs(graph.outputs, outputs) };
}

/** The names of the tensors a layer takes as options (static tensorCallArgKeys), in Keras's positional order. */
function tensorOptionsOf(layer: Layer<any>): readonly string[] {
  return (layer.constructor as { tensorCallArgKeys?: readonly string[] }).tensorCallArgKeys ?? [];
}

/** Which tensor options Keras takes positionally after the first argument (static positionalCallArgKeys; default all). */
function positionalOptionsOf(layer: Layer<any>): readonly string[] {
  return (layer.constructor as { positionalCallArgKeys?: readonly string[] }).positionalCallArgKeys ?? tensorOptionsOf(layer);
}

// One call as Keras 3 writes it: the first input as args, tensor options and flags as kwargs.
function nodeConfig(n: Node, refObject: (t: SymbolicTensor) => unknown): NodeConfig {
  const flags = { ...(n.training === undefined ? {} : { training: n.training }), ...n.callArgs };
  const s = n.inputStructure;
  const options = tensorOptionsOf(n.layer);
  const listed = maskListOf(n.layer);
  if (s.kind === 'dict' && listed.length > 0) {
    // The attention layers' given masks: args [[query, value, key?]], kwargs mask=[queryMask, valueMask].
    const at = (k: string) => (s.keys.includes(k) ? refObject(n.inputs[s.keys.indexOf(k)]) : null);
    const inputs = s.keys.filter((k) => !listed.includes(k)).map(at);
    return { args: [inputs], kwargs: { ...flags, mask: listed.map(at) } };
  }
  if (s.kind === 'dict' && s.keys.length > 1 && s.keys.slice(1).every((k) => options.includes(k))) {
    const tensors = Object.fromEntries(s.keys.slice(1).map((k, i) => [k, refObject(n.inputs[i + 1])]));
    return { args: [refObject(n.inputs[0])], kwargs: { ...flags, ...tensors } };
  }
  return { args: [packNested(n.inputs.map(refObject), s)], kwargs: flags };
}

/** The named inputs a layer writes as Keras's list mask=[...] (static maskListKeys: the attention layers'). */
function maskListOf(layer: Layer<any>): readonly string[] {
  return (layer.constructor as { maskListKeys?: readonly string[] }).maskListKeys ?? [];
}

// Keras's list mask=[query_mask, value_mask] of a layer with maskListKeys, read as named inputs
// {query, value, key?, queryMask?, valueMask?} after the list of inputs (null masks are left out).
function maskListCall(op: string, layer: Layer<any>, inputs: TensorRef[], kwargs: Record<string, unknown>, refOf: (v: unknown) => TensorRef | null): CallData {
  const mask = kwargs.mask;
  const listed = maskListOf(layer);
  const name = `layer ${layer.constructor.name} '${layer.name}'`;
  if (!Array.isArray(mask) || mask.length < listed.length || mask.length > listed.length + 1)
    throw new Error(`${op}: expected kwargs 'mask' of ${name} to be a list of ${listed.length} masks [${listed.join(', ')}] or null, got ${describe(mask)}`);
  if (inputs.length < 2 || inputs.length > 3)
    throw new Error(`${op}: expected ${name} to be called on a list [query, value] or [query, value, key] beside its mask list, got ${inputs.length} inputs`);
  const masks = mask.map(refOf);
  if (masks[listed.length] != null) throw new Error(`${op}: ${name} got a key mask (mask[${listed.length}]), which Keras's attention layers ignore`);
  const keys = ['query', 'value', 'key'].slice(0, inputs.length);
  const given = listed.map((k, i) => [k, masks[i]] as const).filter(([, r]) => r !== null) as [string, TensorRef][];
  return {
    refs: [...inputs, ...given.map(([, r]) => r)],
    structure: { kind: 'dict', keys: [...keys, ...given.map(([k]) => k)] },
    kwargs,
  };
}

// Masks Keras 3 writes in kwargs. Tessera carries the inputs' masks along the graph itself; a
// mask tensor in the kwargs reaches the layer only as an option it declares (multiHeadAttention's
// queryMask, ...) or as the attention layers' mask list (maskListKeys), and anywhere else is
// refused: dropped, the layer would compute unmasked.
const MASK_KWARGS = new Set(['mask', 'queryMask', 'valueMask', 'keyMask']);

function holdsTensorRef(v: unknown): boolean {
  return isTensorRefObject(v) || looksLikeRef(v) || (Array.isArray(v) && v.some(holdsTensorRef));
}

function maskKwargError(op: string, k: string, v: unknown, layer: Layer<any>, options: readonly string[]): Error {
  const takes = options.length ? `it takes the tensors ${options.join(', ')} by name` : 'it takes no tensors by name';
  return new Error(
    `${op}: kwargs '${k}' passes a mask tensor explicitly (${describe(v)}), which layer ${layer.constructor.name} '${layer.name}' cannot take (${takes}); ` +
      'Tessera carries the masks of embedding maskZero and masking along the graph, but not one given by hand',
  );
}

// The boolean kwargs a layer class declares as call flags (static callArgKeys), e.g.
// multiHeadAttention's useCausalMask; other kwargs Keras writes (mask: null, ...) stay ignored.
function declaredCallArgs(layer: Layer<any>, kwargs: Record<string, unknown>): Record<string, boolean> {
  const keys = (layer.constructor as { callArgKeys?: readonly string[] }).callArgKeys ?? [];
  return Object.fromEntries(keys.filter((k) => typeof kwargs[k] === 'boolean').map((k) => [k, kwargs[k] as boolean]));
}

const describe = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);

function badMaskEntry(op: string, v: unknown): never {
  throw new Error(`${op}: expected each entry of kwargs 'mask' to be a tensor reference or null, got ${describe(v)}`);
}

/** @internal Checks a reference [name, node, tensor] and returns it. */
function checkRef(op: string, v: unknown): TensorRef {
  const ok = Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
  if (!ok) throw new Error(`${op}: expected a tensor reference [layer name, node index, tensor index], got ${describe(v)}`);
  return [v[0] as string, v[1] as number, v[2] as number];
}

/**
 * One call in a uniform form: the input references, their structure, and the kwargs.
 * With `tensorKwargs`, refs[0] is the input and refs[i + 1] the option tensorKwargs[i].
 */
interface CallData {
  refs: TensorRef[];
  structure: Structure;
  kwargs: Record<string, unknown>;
  tensorKwargs?: string[];
}

const looksLikeRef = (v: unknown) => Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);

function callData(op: string, node: unknown, layer: Layer<any>): CallData {
  if (Array.isArray(node)) {
    // Keras 2 / TensorFlow.js: [[name, node, tensor, kwargs?], ...]; one entry is a single input.
    const refs = node.map((entry) => checkRef(op, entry));
    const kwargs = (Array.isArray(node[0]) && typeof node[0][3] === 'object' && node[0][3] !== null ? node[0][3] : {}) as Record<string, unknown>;
    // Tensors the layer takes as options (multiHeadAttention's value, ...) are references in the kwargs.
    const declared = tensorOptionsOf(layer);
    if (maskListOf(layer).length > 0 && Array.isArray(kwargs.mask))
      return maskListCall(op, layer, refs, kwargs, (v) => (v == null ? null : looksLikeRef(v) ? checkRef(op, v) : badMaskEntry(op, v)));
    const tensorKwargs: string[] = [];
    for (const [k, v] of Object.entries(kwargs)) {
      if (MASK_KWARGS.has(k) && !declared.includes(k) && holdsTensorRef(v)) throw maskKwargError(op, k, v, layer, declared);
      if (declared.includes(k)) {
        if (v === null || v === undefined) continue;
        if (!looksLikeRef(v))
          throw new Error(`${op}: expected kwargs '${k}' to be a tensor reference [layer name, node index, tensor index], got ${describe(v)}`);
        tensorKwargs.push(k);
      } else if (looksLikeRef(v)) {
        const takes = declared.length ? `it takes tensor kwargs ${declared.join(', ')}` : 'it takes no tensor kwargs';
        throw new Error(`${op}: kwargs '${k}' is a tensor reference ${describe(v)}, but layer ${layer.constructor.name} has no such option (${takes})`);
      }
    }
    if (tensorKwargs.length > 0) {
      if (refs.length !== 1) throw new Error(`${op}: expected one input beside the tensor kwargs (${tensorKwargs.join(', ')}), got ${refs.length}`);
      return { refs: [...refs, ...tensorKwargs.map((k) => kwargs[k] as TensorRef)], structure: { kind: 'single' }, kwargs, tensorKwargs };
    }
    return { refs, structure: refs.length === 1 ? { kind: 'single' } : { kind: 'list', length: refs.length }, kwargs };
  }
  const n = node as NodeConfig;
  if (typeof n !== 'object' || n === null || !Array.isArray(n.args) || n.args.length === 0) {
    throw new Error(`${op}: expected an inbound node {args, kwargs} or a list of tensor references, got ${describe(node)}`);
  }
  const kwargs = (n.kwargs ?? {}) as Record<string, unknown>;
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) throw new Error(`${op}: expected the node's kwargs to be an object, got ${describe(n.kwargs)}`);
  const [arg, ...more] = n.args;
  const refOf = (v: unknown) => {
    if (!isTensorRefObject(v)) throw new Error(`${op}: expected a __keras_tensor__ reference in the node's args, got ${describe(v)}`);
    return checkRef(op, v.config.kerasHistory);
  };
  const options = tensorOptionsOf(layer);
  if (maskListOf(layer).length > 0 && Array.isArray(kwargs.mask)) {
    if (more.some(isTensorRefObject))
      throw new Error(`${op}: expected the inputs of layer ${layer.constructor.name} as one list, got ${n.args.length} arguments`);
    if (!Array.isArray(arg))
      throw new Error(`${op}: expected layer ${layer.constructor.name} to be called on a list [query, value(, key)], got ${describe(arg)}`);
    return maskListCall(op, layer, arg.map(refOf), kwargs, (v) => (v == null ? null : isTensorRefObject(v) ? refOf(v) : badMaskEntry(op, v)));
  }
  const named = new Map<string, TensorRef>();
  const positional = positionalOptionsOf(layer);
  more.forEach((v, i) => {
    if (!isTensorRefObject(v)) return; // a non-tensor positional argument (None) takes no part in the graph
    const k = positional[i];
    if (k === undefined) {
      const takes = positional.length ? `it takes ${positional.join(', ')} after the first` : 'it takes one';
      throw new Error(`${op}: the node passes tensor ${i + 2} positionally, but layer ${layer.constructor.name} has no such argument (${takes})`);
    }
    named.set(k, refOf(v));
  });
  for (const [k, v] of Object.entries(kwargs)) {
    if (MASK_KWARGS.has(k) && !options.includes(k) && holdsTensorRef(v)) throw maskKwargError(op, k, v, layer, options);
    if (!isTensorRefObject(v)) {
      if (options.includes(k) && v !== null && v !== undefined)
        throw new Error(`${op}: expected kwargs '${k}' to be a __keras_tensor__ reference or null, got ${describe(v)}`);
      continue;
    }
    if (!options.includes(k)) {
      const takes = options.length ? `it takes tensor kwargs ${options.join(', ')}` : 'it takes no tensor kwargs';
      throw new Error(`${op}: kwargs '${k}' is a tensor, but layer ${layer.constructor.name} has no such option (${takes})`);
    }
    if (named.has(k)) throw new Error(`${op}: '${k}' is given both positionally and in the kwargs`);
    named.set(k, refOf(v));
  }
  if (named.size > 0) {
    if (!isTensorRefObject(arg))
      throw new Error(`${op}: expected one tensor as the first argument beside the tensor kwargs (${[...named.keys()].join(', ')}), got ${describe(arg)}`);
    return { refs: [refOf(arg), ...named.values()], structure: { kind: 'single' }, kwargs, tensorKwargs: [...named.keys()] };
  }
  if (Array.isArray(arg)) return { refs: arg.map(refOf), structure: { kind: 'list', length: arg.length }, kwargs };
  if (!isTensorRefObject(arg) && typeof arg === 'object' && arg !== null) {
    const keys = Object.keys(arg);
    return { refs: keys.map((k) => refOf((arg as Record<string, unknown>)[k])), structure: { kind: 'dict', keys }, kwargs };
  }
  return { refs: [refOf(arg)], structure: { kind: 'single' }, kwargs };
}

/**
 * @internal Rebuilds the layers of a functional config and connects them. Returns the
 * model's inputs and outputs, as an array or an object keyed by name.
 */
// The symbolic tensors a call hook returned, flattened as a node's outputs are.
function callOutputs(op: string, result: unknown): SymbolicTensor[] {
  const isSymbolic = (v: unknown): v is SymbolicTensor => v instanceof SymbolicTensorClass;
  return flattenNested(op, result, isSymbolic, 'the callFunction result').flat;
}

/**
 * @internal How graphFromConfig makes the layers and calls them; cloneModel's hooks. Unset,
 * every layer comes from its config and is applied as the config says.
 */
export interface GraphRebuildHooks {
  /** The layer for a config entry (not an input layer's): undefined makes it from its config. */
  layerFor?(name: string): Layer<any> | undefined;
  /** The tensor that stands for an input layer of the config: undefined makes a new input(). */
  inputFor?(name: string): SymbolicTensor | undefined;
  /** Calls `layer`; returns the tensors that stand for the call's outputs (Keras's call_function). */
  call?(layer: Layer<any>, inputs: Nested<SymbolicTensor>, options: Record<string, any>): unknown;
}

export function graphFromConfig(
  config: Record<string, unknown>,
  hooks: GraphRebuildHooks = {},
): {
  name?: string;
  trainable?: boolean;
  inputs: Nested<SymbolicTensor>;
  outputs: Nested<SymbolicTensor>;
} {
  const modelName = typeof config.name === 'string' ? config.name : 'functional';
  const op = `${modelName} (from config)`;
  if (!Array.isArray(config.layers)) throw new Error(`${op}: expected 'layers' to be a list of layer configs, got ${describe(config.layers)}`);
  const entries = dropCarriedMasks(config.layers as FunctionalLayerConfig[]);
  const created = new Map<string, Layer<any>>();
  // The outputs of each call a layer has made in this graph, in order; an input layer starts with its own.
  const made = new Map<string, SymbolicTensor[][]>();
  const pending = new Map<string, CallData[]>();
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null || typeof entry.className !== 'string') {
      throw new Error(`${op}: expected each layer to be {className, config, name, inboundNodes}, got ${describe(entry)}`);
    }
    const name = typeof entry.name === 'string' ? entry.name : (entry.config?.name as string);
    if (created.has(name)) throw new Error(`${op}: two layers are named '${name}'`);
    const given = entry.className === 'InputLayer' ? hooks.inputFor?.(name) : undefined;
    const layer =
      given?.sourceLayer ??
      (entry.className === 'InputLayer' ? undefined : hooks.layerFor?.(name)) ??
      deserializeLayer({ className: entry.className, config: entry.config ?? {} });
    created.set(name, layer);
    made.set(name, given !== undefined ? [[given]] : layer instanceof InputLayer ? [layer.inboundNodes[0].outputs] : []);
    const nodes = entry.inboundNodes ?? [];
    if (!Array.isArray(nodes)) throw new Error(`${op}: layer '${name}': expected inboundNodes to be a list, got ${describe(nodes)}`);
    pending.set(
      name,
      nodes.map((n) => callData(`${op}: layer '${name}'`, n, layer)),
    );
  }
  const tensorAt = (where: string, [layerName, nodeIndex, tensorIndex]: TensorRef): SymbolicTensor | undefined => {
    const layer = created.get(layerName);
    if (layer === undefined)
      throw new Error(`${op}: ${where} refers to layer '${layerName}', which is not in the config (layers: ${[...created.keys()].join(', ')})`);
    const outputs = made.get(layerName)![nodeIndex];
    if (outputs === undefined) return undefined;
    const t = outputs[tensorIndex];
    if (t === undefined) throw new Error(`${op}: ${where} asks for output ${tensorIndex} of layer '${layerName}', which has ${outputs.length}`);
    return t;
  };
  // Calls run once their inputs exist; a layer's calls run in order (shared layers at
  // several depths need several passes).
  let left = [...pending.values()].reduce((n, q) => n + q.length, 0);
  while (left > 0) {
    let progressed = false;
    for (const [name, queue] of pending) {
      const layer = created.get(name)!;
      while (queue.length > 0) {
        const call = queue[0];
        const inputs = call.refs.map((r) => tensorAt(`layer '${name}'`, r));
        if (inputs.some((t) => t === undefined)) break;
        const training = typeof call.kwargs.training === 'boolean' ? call.kwargs.training : undefined;
        const options = { training, ...declaredCallArgs(layer, call.kwargs) };
        const [args, callOptions] =
          call.tensorKwargs === undefined
            ? [packNested(inputs as SymbolicTensor[], call.structure), options]
            : [inputs[0]!, { ...options, ...Object.fromEntries(call.tensorKwargs.map((k, i) => [k, inputs[i + 1]])) }];
        if (hooks.call === undefined) {
          layer.apply(args, callOptions);
          made.get(name)!.push(layer.inboundNodes[layer.inboundNodes.length - 1].outputs);
        } else made.get(name)!.push(callOutputs(`${op}: layer '${name}'`, hooks.call(layer, args as Nested<SymbolicTensor>, callOptions)));
        queue.shift();
        left--;
        progressed = true;
      }
    }
    if (!progressed) {
      const stuck = [...pending]
        .filter(([, q]) => q.length > 0)
        .map(([n, q]) => `'${n}' (needs ${q[0].refs.map((r) => `${r[0]}[${r[1]}][${r[2]}]`).join(', ')})`);
      throw new Error(`${op}: the config's graph cannot be rebuilt: these calls wait for tensors that no layer makes: ${stuck.join('; ')}`);
    }
  }
  const resolve = (what: string, refs: unknown): Nested<SymbolicTensor> => {
    const get = (r: unknown) => {
      const ref = checkRef(`${op}: ${what}`, r);
      const t = tensorAt(what, ref);
      if (t === undefined) throw new Error(`${op}: ${what} refers to call ${ref[1]} of layer '${ref[0]}', which the config does not make`);
      return t;
    };
    if (Array.isArray(refs)) {
      // Keras 3 writes one tensor as [name, node, tensor] or [[name, node, tensor]].
      if (typeof refs[0] === 'string') return get(refs);
      const list = refs.map(get);
      return list.length === 1 ? list[0] : list;
    }
    if (typeof refs === 'object' && refs !== null) return Object.fromEntries(Object.entries(refs).map(([k, r]) => [k, get(r)]));
    throw new Error(`${op}: expected ${what} to be a list of tensor references, got ${describe(refs)}`);
  };
  return {
    name: typeof config.name === 'string' ? config.name : undefined,
    trainable: typeof config.trainable === 'boolean' ? config.trainable : undefined,
    inputs: resolve('inputLayers', config.inputLayers),
    outputs: resolve('outputLayers', config.outputLayers),
  };
}
