// Layer and model configs between Tessera's form ({className, config}, camelCase, see
// models/functional_config) and the files' forms: TensorFlow.js's model.json (Keras 2
// style: class_name 'Model', inbound nodes as [[name, node, tensor, kwargs]]) and Keras 3's
// config.json ({module, class_name, config, registered_name}, inbound nodes as
// {args, kwargs} with __keras_tensor__ references).
//
// Node indices: Keras 2 and TensorFlow.js give a nested functional or sequential model
// its own node 0, and Keras 3 a nested functional model (not a sequential one); Tessera
// does not, so those indices shift by one between Tessera and the file.
import { findLayerClass } from '../layers/serialization';
import { Layer } from '../layers/layer';
import { isLayerOption } from '../layers/auto_config';
import type { Serialized } from '../serialization/registry';
import { optionKeys } from '../options/check';
import { configFromDisk, configToDisk, toCamelCase, toSnake, type DiskFormat, type Json } from './config_conversion';
import { describe as describeValue, quoted } from '../tensor/shape';
import { isKerasOperation, operationAsLayer, operationToDisk } from './keras_ops';
import { withEmbeddingMasks } from './keras_masks';
import { ownEntry } from '../options/own_entry';

const GRAPH_CLASSES = new Set(['Functional', 'Model', 'Sequential']);

// Options a format leaves out of its configs whose default there differs from Tessera's
// (Keras 3's): TensorFlow.js's GRU has no reset_after and behaves as reset_after=false.
const FORMAT_DEFAULTS: Record<DiskFormat, Record<string, Obj>> = {
  tfjs: { GRU: { resetAfter: false }, GRUCell: { resetAfter: false } },
  keras: {},
};
const FUNCTIONAL_CLASSES = new Set(['Functional', 'Model']);

/** The shift of node indices of a layer of class `className` in a file of `format`. */
function nodeOffset(className: string, format: DiskFormat): number {
  return (format === 'tfjs' ? GRAPH_CLASSES : FUNCTIONAL_CLASSES).has(className) ? 1 : 0;
}

type Obj = Record<string, unknown>;

// 'hard_sigmoid' means clip(0.2 x + 0.5) in TensorFlow.js and Keras 2, relu6(x + 3) / 6 in
// Keras 3; each file gets the function it means, and one it cannot name is an error.
const ACTIVATION_KEYS = ['activation', 'recurrentActivation'];
const normalizeName = (v: unknown) => (typeof v === 'string' ? v.replace(/_/g, '').toLowerCase() : v);

function activationsFromDisk(config: Obj, format: DiskFormat): void {
  if (format !== 'tfjs') return;
  for (const k of ACTIVATION_KEYS) if (normalizeName(config[k]) === 'hardsigmoid') config[k] = 'legacyHardSigmoid';
}

function activationsToDisk(config: Obj, format: DiskFormat, layer: string): void {
  for (const k of ACTIVATION_KEYS) {
    const name = normalizeName(config[k]);
    if (name === 'legacyhardsigmoid') {
      if (format === 'keras')
        throw new Error(
          `layer ${layer}: ${k} legacyHardSigmoid (TensorFlow.js's and Keras 2's hard sigmoid) has no Keras 3 name; save in TensorFlow.js's format instead`,
        );
      config[k] = 'hard_sigmoid';
    } else if (name === 'hardsigmoid' && format === 'tfjs') {
      throw new Error(
        `layer ${layer}: ${k} hardSigmoid (Keras 3's, relu6(x + 3) / 6) means a different function in TensorFlow.js; save as .keras, or use legacyHardSigmoid`,
      );
    }
  }
}
// Options Keras and TensorFlow.js write that Tessera does not take, with the value at which
// they change nothing (the feature off); a file that sets one otherwise cannot be loaded
// faithfully, so that is an error rather than a silently different layer.
const NEUTRAL_FILE_KEYS: Record<string, Obj> = {
  '*': { loraRank: null, loraAlpha: null, quantizationConfig: null, autocast: true },
  BatchNormalization: {
    synchronized: false,
    renorm: false,
    renormClipping: null,
    renormMomentum: undefined,
    fused: undefined,
    virtualBatchSize: null,
    adjustment: null,
  },
  Embedding: { sparse: false },
  // Keras 3.15 writes whether a functional input may be None; Tessera's inputs are always given.
  InputLayer: { optional: false },
  SimpleRNN: { timeMajor: false },
  LSTM: { timeMajor: false, useCudnn: undefined },
  GRU: { timeMajor: false, useCudnn: undefined },
  RNN: { timeMajor: false },
  // TensorFlow.js's cells write the computation order (1 or 2): the same math either way.
  SimpleRNNCell: { implementation: undefined },
  LSTMCell: { implementation: undefined },
  GRUCell: { implementation: undefined },
  ConvLSTM2D: { implementation: undefined, timeMajor: false },
  ConvLSTM2DCell: { implementation: undefined },
};

// Keras 3.15's variance-scaling initializers write the axes they take fans over; null is
// Keras's default (the usual fans), the only value Tessera computes.
const NEUTRAL_INITIALIZER_KEYS: Obj = { inputAxes: null, outputAxes: null };

/** Drops the file-only options at their neutral values (undefined: any value is; a list: any of those). */
function dropNeutralKeys(config: Obj, className: string, where: string): void {
  const layer = `layer ${className} '${String(config.name)}'`;
  for (const table of [NEUTRAL_FILE_KEYS['*'], ownEntry(NEUTRAL_FILE_KEYS, className) ?? {}]) dropNeutral(config, table, `${where}: ${layer}`);
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith('Initializer') && isObj(value) && isObj(value.config)) {
      const init = { ...value.config };
      dropNeutral(init, NEUTRAL_INITIALIZER_KEYS, `${where}: ${layer}, ${key}`);
      config[key] = { ...value, config: init };
    }
  }
}

/** @internal An initializer config's Keras 3.15 axes dropped at their neutral values (refused otherwise). */
export function dropNeutralInitializerKeys(config: Obj, where: string): void {
  dropNeutral(config, NEUTRAL_INITIALIZER_KEYS, where);
}

function dropNeutral(config: Obj, table: Obj, where: string): void {
  for (const [key, neutral] of Object.entries(table)) {
    if (!(key in config)) continue;
    const value = config[key];
    const isNeutral = neutral === undefined || value === neutral || (Array.isArray(neutral) && neutral.includes(value));
    if (!isNeutral) throw new Error(`${where} sets ${key} = ${describeValue(value)}, which Tessera does not support`);
    delete config[key];
  }
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// A wrapper's layer and a recurrent layer's cell are layers of their own: the format's
// rules above (activation names, left-out defaults) hold inside them too. Without this a
// TensorFlow.js bidirectional(gru) read its hard_sigmoid as Keras 3's.
function mapNestedLayers(config: Obj, fn: (className: string, config: Obj) => Obj): Obj {
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (isObj(v) && typeof v.className === 'string' && isObj(v.config) && findLayerClass(v.className) !== undefined)
      return { ...v, config: fn(v.className, v.config) };
    return v;
  };
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, visit(v)]));
}

// TensorFlow.js's RNN writes its cell's config twice: under cell, and spread among its own
// options (units, cells, ...). The copies under cell are the ones that count.
function dropSpreadCellConfig(className: string, config: Obj, format: DiskFormat): Obj {
  const cell = config.cell;
  if (format !== 'tfjs' || className !== 'RNN' || !isObj(cell) || !isObj(cell.config)) return config;
  const own = new Set(optionKeys('layers.RNN'));
  return Object.fromEntries(Object.entries(config).filter(([k]) => own.has(k) || !(k in (cell.config as Obj))));
}

/** A (non-graph) layer's config as the file means it, nested layers included. */
function leafConfigFromDisk(className: string, config: Obj, format: DiskFormat, where: string): Obj {
  const c = mapNestedLayers({ ...FORMAT_DEFAULTS[format][className], ...dropSpreadCellConfig(className, config, format) }, (cls, nested) =>
    leafConfigFromDisk(cls, nested, format, where),
  );
  dropNeutralKeys(c, className, where);
  activationsFromDisk(c, format);
  return c;
}

/** A (non-graph) layer's config with the format's activation names, nested layers included. */
function leafConfigToDisk(className: string, config: Obj, format: DiskFormat, layer: string): Obj {
  const c = mapNestedLayers(config, (cls, nested) => leafConfigToDisk(cls, nested, format, String(nested.name ?? cls)));
  activationsToDisk(c, format, layer);
  if (format === 'keras') for (const [k, v] of Object.entries(ownEntry(KERAS_WRITTEN_DEFAULTS, className) ?? {})) if (!(k in c)) c[k] = v;
  return c;
}

// Keys Keras 3.15 writes in these classes' configs that Tessera's configs hold only when set
// (activityRegularizer) or not at all (the features Tessera lacks, at the value that leaves
// them off; NEUTRAL_FILE_KEYS reads them back): a .keras file holds what Keras writes.
const KERAS_WRITTEN_DEFAULTS: Record<string, Obj> = (() => {
  const table: Record<string, Obj> = {};
  const add = (classes: string[], keys: Obj) => classes.forEach((c) => (table[c] = { ...table[c], ...keys }));
  add(
    [
      ...['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose'],
      ...['DepthwiseConv1D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D'],
      ...['SimpleRNN', 'LSTM', 'GRU', 'Embedding', 'ReversibleEmbedding', 'EinsumDense', 'MultiHeadAttention', 'GroupQueryAttention'],
    ],
    { activityRegularizer: null },
  );
  add(['Dense', 'EinsumDense', 'Embedding', 'ReversibleEmbedding'], { quantizationConfig: null });
  add(['BatchNormalization'], { renorm: false, renormClipping: null, renormMomentum: 0.99 });
  return table;
})();
const describe = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);

// ---- writing -------------------------------------------------------------------------

// A custom layer whose config Layer records (auto_config.ts), or one of a class not registered
// (a load's customObjects): its string options are its own, written as given ('fastMode' would
// come back 'fast_mode', which its code does not compare equal). Built-in layers all override getConfig.
function recordsOwnConfig(className: string): boolean {
  const cls = findLayerClass(className);
  return cls === undefined || (cls.prototype as Layer<any>).getConfig === Layer.prototype.getConfig;
}

// A registered custom layer whose config Layer records: the options its constructor passed up
// are in the file as they were given (keys and values; objects already in Keras's form), so the
// constructor gets the same keys back (units_count stays units_count); Layer's own options
// (name, dtype, batch_input_shape, ...) are converted as every layer's.
function usesAutoConfig(className: string): boolean {
  const cls = findLayerClass(className);
  return cls !== undefined && (cls.prototype as Layer<any>).getConfig === Layer.prototype.getConfig;
}

/** A config split into Layer's own options and the rest (`spelled` maps a key to its camelCase spelling). */
function splitRecorded(config: Obj, spelled: (k: string) => string): [Obj, Obj] {
  const base: Obj = {};
  const own: Obj = {};
  for (const [k, v] of Object.entries(config))
    Object.defineProperty(isLayerOption(spelled(k)) ? base : own, k, { value: v, enumerable: true, writable: true, configurable: true });
  return [base, own];
}

/** A layer (or model) in a file's form, from `{className, config}` (and name / inboundNodes inside a functional model). */
export function layerToDisk(
  s: Serialized & { name?: string; inboundNodes?: unknown[] },
  format: DiskFormat,
  offsets?: Map<string, number>,
): { [k: string]: Json } {
  const { className } = s;
  if (className === 'KerasOperation') {
    // A Keras operation node goes back as Keras wrote it; TensorFlow.js has no such thing.
    if (format === 'tfjs')
      throw new Error(
        `layer '${String(s.config.name)}' is the Keras operation ${String(s.config.op)}, which TensorFlow.js's format cannot hold; save as .keras`,
      );
    return operationToDisk(
      s.config,
      (s.inboundNodes ?? []).map((n) => nodeToDisk(n, format, offsets!)),
    );
  }
  let config: Json;
  if (className === 'Functional' || className === 'Model') config = functionalToDisk(s.config, format);
  else if (className === 'Sequential') config = sequentialToDisk(s.config, format);
  else {
    const [base, own] = usesAutoConfig(className) ? splitRecorded(s.config, (k) => k) : [s.config, {}];
    const c = leafConfigToDisk(className, base, format, String(base.name ?? className));
    if (format === 'tfjs' && className === 'Bidirectional') unprefixForwardLayer(c);
    // Keras does not take inputDType; a Sequential's input layer carries it instead.
    if (format === 'keras') delete c.inputDType;
    config = configToDisk(c, format, '', recordsOwnConfig(className));
    for (const [k, v] of Object.entries(own)) Object.defineProperty(config, k, { value: v as Json, enumerable: true, writable: true, configurable: true });
    if (className === 'InputLayer' && isObj(config)) {
      // TensorFlow.js spells the input layer's shape batch_input_shape; its dtype is a plain string in both.
      if (format === 'tfjs') renameKey(config, 'batch_shape', 'batch_input_shape');
      config.dtype = (s.config.dtype as string) ?? 'float32';
    }
  }
  const out: { [k: string]: Json } = {};
  if (format === 'keras') {
    const custom = className.includes('>');
    out.module = custom
      ? null
      : className === 'Functional' || className === 'Model'
        ? 'keras.src.models.functional'
        : className === 'Sequential'
          ? 'keras'
          : 'keras.layers';
    out.class_name = custom ? className.slice(className.lastIndexOf('>') + 1) : className === 'Model' ? 'Functional' : className;
    out.config = config;
    out.registered_name = custom ? className : className === 'Functional' || className === 'Model' ? 'Functional' : null;
  } else {
    out.class_name = className === 'Functional' ? 'Model' : className;
    out.config = config;
  }
  if (s.name !== undefined) out.name = s.name;
  if (s.inboundNodes !== undefined) out.inbound_nodes = s.inboundNodes.map((n) => nodeToDisk(n, format, offsets!));
  return out;
}

// Keras 3 writes a Bidirectional's forward layer as is ('forward_gru') and strips the
// prefix when reading; TensorFlow.js prefixes whatever it reads ('forward_forward_gru',
// whose weights then have other names), so its files carry the name unprefixed.
function unprefixForwardLayer(config: Obj): void {
  const layer = config.layer;
  if (!isObj(layer) || !isObj(layer.config) || typeof layer.config.name !== 'string') return;
  config.layer = { ...layer, config: { ...layer.config, name: layer.config.name.replace(/^forward_/, '') } };
}

function renameKey(o: Obj, from: string, to: string): void {
  if (from in o) {
    o[to] = o[from];
    delete o[from];
  }
}

function refToDisk(ref: unknown, offsets: Map<string, number>): Json {
  const [name, node, tensor] = ref as [string, number, number];
  return [name, node + (offsets.get(name) ?? 0), tensor];
}

function nodeToDisk(node: unknown, format: DiskFormat, offsets: Map<string, number>): Json {
  const { args, kwargs } = node as { args: unknown[]; kwargs: Obj };
  const refs: Obj[] = [];
  const isRef = (v: unknown): v is Obj => isObj(v) && v.className === '__keras_tensor__';
  const mapArg = (v: unknown): Json => {
    if (isRef(v)) {
      refs.push(v);
      const c = v.config as Obj;
      return { class_name: '__keras_tensor__', config: { shape: c.shape as Json, dtype: c.dtype as Json, keras_history: refToDisk(c.kerasHistory, offsets) } };
    }
    if (Array.isArray(v)) return v.map(mapArg);
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapArg(x)]));
    return v as Json;
  };
  const mappedArgs = args.map(mapArg);
  const argRefs = refs.slice();
  // The attention layers' mask=[query_mask, value_mask]: a list of references (null for none).
  const isRefList = (v: unknown): v is unknown[] => Array.isArray(v) && v.some(isRef);
  const lists = Object.entries(kwargs).filter(([, v]) => isRefList(v)) as [string, unknown[]][];
  // Tensors the layer takes as options (multiHeadAttention's value, ...) are references in the kwargs.
  const tensorKw = Object.entries(kwargs).filter(([, v]) => isRef(v)) as [string, Obj][];
  const kw = configToDisk(Object.fromEntries(Object.entries(kwargs).filter(([, v]) => !isRef(v) && !isRefList(v))), format) as { [k: string]: Json };
  if (format === 'keras')
    return { args: mappedArgs, kwargs: { ...kw, ...Object.fromEntries([...tensorKw, ...lists].map(([k, v]) => [toSnake(k), mapArg(v)])) } };
  const history = (r: Obj) => refToDisk((r.config as Obj).kerasHistory, offsets) as Json[];
  if (lists.length > 0) {
    // Keras 2: the lists ride, as [name, node, tensor] or null, in the kwargs of every input's entry.
    const named = Object.fromEntries(lists.map(([k, v]) => [toSnake(k), v.map((r) => (isRef(r) ? history(r) : null))]));
    return argRefs.map((r) => [...history(r), { ...kw, ...named }]);
  }
  if (tensorKw.length > 0) {
    // Keras 2 / TensorFlow.js: the references ride in the kwargs of the first input's entry.
    const named = Object.fromEntries(tensorKw.map(([k, v]) => [toSnake(k), history(v)]));
    return [[...history(refs[0]), { ...kw, ...named }]];
  }
  // Keras 2 / TensorFlow.js: a flat list of [name, node, tensor, kwargs].
  return refs.map((r) => [...(refToDisk((r.config as Obj).kerasHistory, offsets) as Json[]), kw]);
}

function functionalToDisk(config: Obj, format: DiskFormat): Json {
  type Entry = Serialized & { name: string; inboundNodes: unknown[] };
  // Keras 3 writes the masks of embeddings as operation nodes; so does Tessera (keras_masks).
  const layers = format === 'keras' ? withEmbeddingMasks(config.layers as Entry[]) : (config.layers as Entry[]);
  const offsets = new Map(layers.map((l) => [l.name, nodeOffset(l.className, format)]));
  const refs = (r: unknown): Json =>
    Array.isArray(r) ? r.map((x) => refToDisk(x, offsets)) : Object.fromEntries(Object.entries(r as Obj).map(([k, x]) => [k, refToDisk(x, offsets)]));
  const out: { [k: string]: Json } = { name: config.name as string, trainable: config.trainable as boolean };
  out.layers = layers.map((l) => layerToDisk(l, format, offsets));
  // TensorFlow.js takes inputs and outputs as lists.
  const listOnly = (r: unknown) => (format === 'tfjs' && isObj(r) ? Object.values(r) : r);
  out.input_layers = refs(listOnly(config.inputLayers));
  out.output_layers = refs(listOnly(config.outputLayers));
  return out;
}

function sequentialToDisk(config: Obj, format: DiskFormat): Json {
  const layers = [...(config.layers as Serialized[])];
  const first = layers[0];
  if (format === 'tfjs' && first?.className === 'InputLayer' && layers.length > 1) {
    // TensorFlow.js gives the first layer the input's shape instead of an input layer.
    const input = layers.shift()!;
    layers[0] = { ...layers[0], config: { ...layers[0].config, batchInputShape: input.config.batchShape, inputDType: input.config.dtype } };
  } else if (format === 'keras' && first !== undefined && first.className !== 'InputLayer' && first.config.batchInputShape !== undefined) {
    // Keras 3 starts with an input layer instead.
    const { batchInputShape, inputDType, ...rest } = first.config;
    layers[0] = { ...first, config: rest };
    layers.unshift({
      className: 'InputLayer',
      config: { batchShape: batchInputShape, dtype: inputDType ?? 'float32', name: `${String(first.config.name)}_input` },
    });
  }
  return { name: config.name as string, trainable: config.trainable as boolean, layers: layers.map((l) => layerToDisk(l, format)) };
}

// ---- reading ---------------------------------------------------------------------------

/** A layer entry in Tessera's form; buildConfig is Keras 3's {inputShape} for layers built by a call. */
export type LayerEntry = Serialized & { name?: string; inboundNodes?: unknown[]; buildConfig?: unknown };

/**
 * `{className, config}` (with name and inboundNodes inside a functional model) from a
 * file's layer entry. Unknown classes fail here, before anything is built, with the
 * name to register.
 */
export function layerFromDisk(raw: unknown, format: DiskFormat, where: string, offsets?: Map<string, number>): LayerEntry {
  if (!isObj(raw) || typeof raw.class_name !== 'string') throw new Error(`${where}: expected a layer {class_name, config}, got ${describe(raw)}`);
  // `x + y` on Keras tensors records an operation, loaded as the merge layer computing it.
  const entry = format === 'keras' && isKerasOperation(raw) ? operationAsLayer(raw, where) : raw;
  const className = resolveClassName(entry, where);
  let config: Obj;
  if (className === 'Functional' || className === 'Model') config = functionalFromDisk(entry.config, format, where);
  else if (className === 'Sequential') config = sequentialFromDisk(entry.config, format, where);
  // operationAsLayer wrote it in Tessera's form; its constants stay as Keras wrote them.
  else if (entry !== raw && className === 'KerasOperation') config = entry.config as Obj;
  else {
    if (entry.config !== undefined && entry.config !== null && !isObj(entry.config))
      throw new Error(`${where}: layer ${className}: expected its config to be an object, got ${describe(entry.config)}`);
    const [base, own] = usesAutoConfig(className) ? splitRecorded((entry.config ?? {}) as Obj, toCamelCase) : [(entry.config ?? {}) as Obj, {}];
    config = leafConfigFromDisk(className, configFromDisk(base) as Obj, format, where);
    for (const [k, v] of Object.entries(own)) Object.defineProperty(config, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (className === 'InputLayer') {
      renameKey(config, 'batchInputShape', 'batchShape');
      if (config.batchShape === undefined && Array.isArray(config.shape)) config.batchShape = [null, ...(config.shape as unknown[])];
      delete config.shape;
    }
  }
  const out: LayerEntry = { className, config };
  if (typeof entry.name === 'string') out.name = entry.name;
  if (entry.inbound_nodes !== undefined) {
    if (!Array.isArray(entry.inbound_nodes))
      throw new Error(`${where}: layer ${quoted(entry.name)}: expected inbound_nodes to be a list, got ${describe(entry.inbound_nodes)}`);
    out.inboundNodes = entry.inbound_nodes.map((n) => nodeFromDisk(n, offsets ?? new Map()));
  }
  if (isObj(entry.build_config)) out.buildConfig = configFromDisk(entry.build_config);
  return out;
}

/** The registered class name a file's entry names; an unknown one is a clear error. */
function resolveClassName(entry: Obj, where: string): string {
  const className = entry.class_name as string;
  const registered = typeof entry.registered_name === 'string' ? entry.registered_name : null;
  const module = typeof entry.module === 'string' ? entry.module : null;
  const isKeras = module === null || module.startsWith('keras');
  if (registered !== null && findLayerClass(registered) !== undefined) return registered;
  if ((registered === null || (isKeras && !registered.includes('>'))) && findLayerClass(className) !== undefined) return className;
  const key = registered ?? className;
  const name = typeof entry.name === 'string' ? entry.name : isObj(entry.config) && typeof entry.config.name === 'string' ? entry.config.name : undefined;
  throw new Error(
    `${where}: unknown layer class '${key}'${name ? ` (layer '${name}')` : ''}. ` +
      (registered !== null && registered !== className
        ? `It is a custom class: write a Layer or Model subclass with getConfig/fromConfig and register it under that name: registerLayer(${className}, '${registered}'), or pass it to this load: loadModel(path, { customObjects: { '${registered}': ${className} } })`
        : `Tessera has no such built-in layer; if it is a custom class, write a Layer subclass and call registerLayer(${className}), or pass it to this load: loadModel(path, { customObjects: { ${className} } })`),
  );
}

function refFromDisk(ref: unknown, offsets: Map<string, number>): unknown {
  if (!Array.isArray(ref) || typeof ref[0] !== 'string' || typeof ref[1] !== 'number') return ref; // checked when the graph is rebuilt
  return [ref[0], ref[1] - (offsets.get(ref[0]) ?? 0), ...ref.slice(2)];
}

const isKerasTensor = (v: unknown) => isObj(v) && v.class_name === '__keras_tensor__';

function nodeFromDisk(node: unknown, offsets: Map<string, number>): unknown {
  if (Array.isArray(node)) {
    // Keras 2 / TensorFlow.js; kwargs ride on the entries, tensor references among them.
    const kwargsFromDisk = (kw: unknown) => {
      const c = configFromDisk(kw);
      // A reference, or a list of them (the attention layers' mask=[query_mask, value_mask]).
      const ref = (v: unknown) => (Array.isArray(v) && v.some(Array.isArray) ? v.map((r) => refFromDisk(r, offsets)) : refFromDisk(v, offsets));
      return isObj(c) ? Object.fromEntries(Object.entries(c).map(([k, v]) => [k, ref(v)])) : c;
    };
    return node.map((e) => (Array.isArray(e) ? [...(refFromDisk(e, offsets) as unknown[]).slice(0, 3), ...(e.length > 3 ? [kwargsFromDisk(e[3])] : [])] : e));
  }
  if (!isObj(node)) return node;
  const mapArg = (v: unknown): unknown => {
    if (isObj(v) && v.class_name === '__keras_tensor__' && isObj(v.config)) {
      return {
        className: '__keras_tensor__',
        config: { shape: v.config.shape, dtype: v.config.dtype, kerasHistory: refFromDisk(v.config.keras_history, offsets) },
      };
    }
    if (Array.isArray(v)) return v.map(mapArg);
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapArg(x)]));
    return v;
  };
  // Tensor kwargs (multiHeadAttention's value, ...) are references like the args; the rest a config.
  const kwargs = isObj(node.kwargs)
    ? (Object.fromEntries(
        Object.entries(node.kwargs).map(([k, v]) => [
          toCamelCase(k),
          isKerasTensor(v) || (Array.isArray(v) && v.some(isKerasTensor)) ? mapArg(v) : configFromDisk(v),
        ]),
      ) as Obj)
    : configFromDisk(node.kwargs ?? {});
  return { args: Array.isArray(node.args) ? node.args.map(mapArg) : node.args, kwargs };
}

function functionalFromDisk(config: unknown, format: DiskFormat, where: string): Obj {
  if (!isObj(config) || !Array.isArray(config.layers))
    throw new Error(`${where}: expected a functional model's config {name, layers, input_layers, output_layers}, got ${describe(config)}`);
  const name = typeof config.name === 'string' ? config.name : 'model';
  const offsets = new Map<string, number>();
  for (const l of config.layers)
    if (isObj(l) && typeof l.name === 'string' && typeof l.class_name === 'string') offsets.set(l.name, nodeOffset(l.class_name, format));
  const refs = (r: unknown) =>
    Array.isArray(r)
      ? typeof r[0] === 'string'
        ? [refFromDisk(r, offsets)]
        : r.map((x) => refFromDisk(x, offsets))
      : isObj(r)
        ? Object.fromEntries(Object.entries(r).map(([k, x]) => [k, refFromDisk(x, offsets)]))
        : r;
  return {
    name,
    trainable: config.trainable ?? true,
    layers: config.layers.map((l) => layerFromDisk(l, format, `${where} > ${name}`, offsets)),
    inputLayers: refs(config.input_layers),
    outputLayers: refs(config.output_layers),
  };
}

function sequentialFromDisk(config: unknown, format: DiskFormat, where: string): Obj {
  // Keras before 2.3 wrote the list of layers alone.
  const c: Obj = Array.isArray(config) ? { layers: config } : isObj(config) ? config : {};
  if (!Array.isArray(c.layers)) throw new Error(`${where}: expected a sequential model's config {name, layers}, got ${describe(config)}`);
  const name = typeof c.name === 'string' ? c.name : 'sequential';
  const entries = c.layers.map((l) => layerFromDisk(l, format, `${where} > ${name}`));
  // Keras 3 starts with an input layer; Tessera gives its shape to the first layer, as it was built.
  const [first, second] = entries;
  if (format === 'keras' && first?.className === 'InputLayer' && second !== undefined && second.config.batchInputShape === undefined) {
    entries.shift();
    // Only the shape and dtype carry over: a flag Tessera cannot honour is refused, not dropped.
    for (const flag of ['sparse', 'ragged', 'optional'])
      if (first.config[flag] !== undefined && first.config[flag] !== false)
        throw new Error(`${where} > ${name}: InputLayer: ${flag} inputs are not supported (${flag} must be false), got ${describe(first.config[flag])}`);
    const dtype = first.config.dtype;
    second.config = {
      ...second.config,
      batchInputShape: first.config.batchShape,
      ...(dtype !== undefined && dtype !== 'float32' ? { inputDType: dtype } : {}),
    };
  }
  const out: Obj = { layers: entries };
  if (typeof c.name === 'string') out.name = c.name;
  if (typeof c.trainable === 'boolean') out.trainable = c.trainable;
  return out;
}
