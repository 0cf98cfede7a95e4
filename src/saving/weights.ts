// A model's weights as files name them, and loading values into them: every value is
// checked (present, right shape, nothing left over) before the first one is assigned,
// so a bad file leaves the model as it was.
import type { Layer } from '../layers/layer';
import { toSnakeCase } from '../layers/naming';
import { formatShape } from '../layers/symbolic_tensor';
import { Model } from '../models/model';
import { StackedRNNCells } from '../layers/stacked_rnn_cells';
import { cast } from '../ops/cast';
import { tensor } from '../tensor/creation';
import type { DType, TypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import type { Variable } from '../tensor/tensor';

/** A weight value read from a file. */
export interface WeightValue {
  /** As the file names it: 'dense/kernel'. */
  name: string;
  shape: number[];
  /** The dtype the values are in. */
  dtype: DType;
  values: TypedArray;
  /** 'optimizer' for optimizer state in a TensorFlow.js manifest. */
  group?: string;
}

/** A weight of a model with the name TensorFlow.js gives it. */
export interface ModelWeight {
  /** '<layer>/<weight>': the layer is the innermost layer of a (nested) model that holds the weight. */
  name: string;
  variable: Variable;
  /** The model's layer it belongs to. */
  layer: Layer<any>;
}

const isModel = (l: Layer<any>): l is Model<any> => l instanceof Model;

/** Throws unless `model` is built (an unbuilt model has no weights to save yet). */
export function requireBuilt(op: string, model: Layer<any>): void {
  if (!model.built)
    throw new Error(
      `${op}: the model ${model.name} is not built yet, so it has no weights to save; call it on data (or give its first layer an inputShape) first`,
    );
}

/**
 * The weights of `model` named as TensorFlow.js names them: '<layer>/<weight>' where the
 * layer is one of a model's layers (a nested model's layers name their own), and the
 * weight is the name it was created under, in snake_case ('recurrent_kernel').
 */
export function modelWeights(model: Layer<any>): ModelWeight[] {
  const out: ModelWeight[] = [];
  const seen = new Set<Variable>();
  const add = (layerName: string, owner: Layer<any>, top: Layer<any>) => {
    for (const w of owner.ownWeights()) {
      if (seen.has(w.variable)) continue;
      seen.add(w.variable);
      out.push({ name: `${layerName}/${toSnakeCase(w.name)}`, variable: w.variable, layer: top });
    }
  };
  const visit = (layer: Layer<any>, top: Layer<any>) => {
    if (isModel(layer)) {
      add(layer.name, layer, top);
      for (const child of layer.layers) visit(child, top);
      return;
    }
    // A layer's sublayers (an RNN's cell) save under the layer's name, as TensorFlow.js
    // does; when two of them hold weights of the same name (Bidirectional's two RNNs),
    // under '<layer>/<branch>', the branch being the direct sublayer that holds them
    // ('bidirectional/forward_gru/kernel', as TensorFlow.js names them). Where that still
    // clashes (MultiHeadAttention's four projections inside a transformer block), the path
    // goes one sublayer deeper at a time, as tf.keras's name scopes do
    // ('transformer_encoder/self_attention/query/kernel').
    // Stacked cells' weights are '<layer>/RNNCell_<i>/<weight>', as TensorFlow.js names them.
    const subs = layer.allLayers();
    const scopeOf = (sub: Layer<any>): string => {
      const stack = subs.find((s) => s instanceof StackedRNNCells && s.cells.includes(sub as never)) as StackedRNNCells | undefined;
      return stack === undefined ? '' : `/RNNCell_${stack.cells.indexOf(sub as never)}`;
    };
    const prefixes = sublayerPrefixes(layer, subs, (sub) => sub.ownWeights().map((w) => `${scopeOf(sub)}/${w.name}`));
    for (const sub of subs) add(prefixes.get(sub)! + scopeOf(sub), sub, top);
  };
  add(model.name, model, model);
  for (const child of isModel(model) ? model.layers : model.allLayers().slice(1)) visit(child, child);
  const names = new Map<string, number>();
  for (const w of out) names.set(w.name, (names.get(w.name) ?? 0) + 1);
  const dup = [...names].filter(([, n]) => n > 1).map(([n]) => n);
  if (dup.length > 0)
    throw new Error(`${model.name}: several weights would be saved as ${dup.map((d) => `'${d}'`).join(', ')}; give the layers that hold them unique names`);
  return out;
}

/**
 * The name each of `layer`'s sublayers saves its weights under: the layer's own name, or,
 * where weight names would clash, '<layer>/<branch>/...' with as many levels of the path
 * to the sublayer as it takes to tell them apart. `local` lists a sublayer's weight names.
 */
function sublayerPrefixes(layer: Layer<any>, subs: Layer<any>[], local: (sub: Layer<any>) => string[]): Map<Layer<any>, string> {
  // allLayers lists parents first, so the first of a layer's sublayers that holds `sub` is its direct child.
  const childToward = (from: Layer<any>, sub: Layer<any>) =>
    from
      .allLayers()
      .slice(1)
      .find((b) => b.allLayers().includes(sub))!;
  const pathOf = (sub: Layer<any>): Layer<any>[] => {
    const path: Layer<any>[] = [];
    for (let at = layer; at !== sub;) path.push((at = childToward(at, sub)));
    return path;
  };
  const paths = new Map(subs.map((sub) => [sub, sub === layer ? [] : pathOf(sub)]));
  const depth = new Map(subs.map((sub) => [sub, 0]));
  const prefix = (sub: Layer<any>) => [layer, ...paths.get(sub)!.slice(0, depth.get(sub))].map((l) => l.name).join('/');
  for (let firstPass = true; ; firstPass = false) {
    const owners = new Map<string, Layer<any>[]>();
    for (const sub of subs) for (const name of local(sub)) owners.set(prefix(sub) + name, [...(owners.get(prefix(sub) + name) ?? []), sub]);
    let deeper = false;
    for (const holders of owners.values()) {
      if (holders.length < 2) continue;
      // The first clash moves every sublayer under its branch, as TensorFlow.js names Bidirectional's.
      for (const sub of firstPass ? subs : holders)
        if (sub !== layer && depth.get(sub)! < paths.get(sub)!.length) {
          depth.set(sub, depth.get(sub)! + 1);
          deeper = true;
        }
      if (firstPass && deeper) break;
    }
    if (!deeper) return new Map(subs.map((sub) => [sub, prefix(sub)]));
  }
}

const baseName = (name: string) => name.replace(/:\d+$/, '');
const kindOf = (dtype: DType) => (dtype === 'bool' ? 'bool' : dtype === 'int32' ? 'integer' : 'float');
const describeWeight = (w: { name: string; shape: readonly number[] }) => `${w.name} ${formatShape(w.shape)}`;

/**
 * Pairs each model weight with its value from a file. By name when every weight's name
 * is in the file; otherwise by position within each of the model's layers (files from
 * other tools name weights differently: 'gru/gru_cell/kernel:0'). Throws, naming the
 * layer and weight, on anything missing, extra or of the wrong shape.
 */
export function matchWeights(owner: string, source: string, expected: ModelWeight[], given: WeightValue[]): [Variable, WeightValue][] {
  const byName = new Map<string, WeightValue>();
  for (const g of given) {
    if (byName.has(baseName(g.name))) throw new Error(`${owner}: ${source} has two weights named '${g.name}'`);
    byName.set(baseName(g.name), g);
  }
  const pairs = expected.every((e) => byName.has(e.name))
    ? expected.map((e): [ModelWeight, WeightValue] => [e, byName.get(e.name)!])
    : matchByLayer(owner, source, expected, given);
  const used = new Set(pairs.map(([, g]) => g));
  const extra = given.filter((g) => !used.has(g));
  if (extra.length > 0) {
    throw new Error(
      `${owner}: ${source} has weights that the model does not: ${extra.map(describeWeight).join(', ')} (the model's weights: ${expected.map((e) => e.name).join(', ') || 'none'})`,
    );
  }
  for (const [e, g] of pairs) {
    const size = g.shape.reduce((a, b) => a * b, 1);
    if (g.shape.length !== e.variable.shape.length || g.shape.some((d, i) => d !== e.variable.shape[i])) {
      throw new Error(
        `${owner}: weight '${e.name}' of layer '${e.layer.name}' has shape ${formatShape(e.variable.shape)}, but ${source} has ${formatShape(g.shape)} for it ('${g.name}')`,
      );
    }
    if (g.values.length !== size) throw new Error(`${owner}: ${source}: weight '${g.name}' has ${g.values.length} values for shape ${formatShape(g.shape)}`);
    // Values of another kind would be reinterpreted, not converted: int32 bits are not float32 values.
    if (kindOf(g.dtype) !== kindOf(e.variable.dtype))
      throw new Error(`${owner}: weight '${e.name}' is ${e.variable.dtype}, but ${source} has ${g.dtype} values for it`);
  }
  return pairs.map(([e, g]) => [e.variable, g]);
}

// The model's layers that hold weights, each with its weights, in order.
function byLayer(expected: ModelWeight[]): [Layer<any>, ModelWeight[]][] {
  const groups = new Map<Layer<any>, ModelWeight[]>();
  for (const e of expected) groups.set(e.layer, [...(groups.get(e.layer) ?? []), e]);
  return [...groups];
}

/**
 * Pairs by position within each layer: the file's weights of a layer are those whose
 * name starts with the layer's name (or a sublayer's); when the names do not match at
 * all (weights saved from a model whose layers were named differently), the file's
 * layers are taken in order, as Keras's load_weights does.
 */
function matchByLayer(owner: string, source: string, expected: ModelWeight[], given: WeightValue[]): [ModelWeight, WeightValue][] {
  const layerOf = (g: WeightValue) => baseName(g.name).split('/')[0];
  const layers = byLayer(expected);
  const pairs: [ModelWeight, WeightValue][] = [];
  const claimed = new Set<WeightValue>();
  for (const [layer, mine] of layers) {
    const owners = new Set(layer.allLayers().map((l) => l.name));
    const theirs = given.filter((g) => !claimed.has(g) && owners.has(layerOf(g)));
    if (theirs.length !== mine.length) {
      const fileLayers = [...new Set(given.map(layerOf))].map((n) => given.filter((g) => layerOf(g) === n));
      if (fileLayers.length === layers.length && fileLayers.every((ws, i) => ws.length === layers[i][1].length)) {
        return layers.flatMap(([, ws], i) => ws.map((w, j): [ModelWeight, WeightValue] => [w, fileLayers[i][j]]));
      }
      throw new Error(
        `${owner}: layer '${layer.name}' has ${mine.length} weights (${mine.map((w) => describeWeight({ name: w.name, shape: w.variable.shape })).join(', ') || 'none'}), ` +
          `but ${source} has ${theirs.length} for it (${theirs.map(describeWeight).join(', ') || 'none'})`,
      );
    }
    theirs.forEach((g, i) => {
      claimed.add(g);
      pairs.push([mine[i], g]);
    });
  }
  return pairs;
}

/** Assigns checked values (from matchWeights) to their variables. */
export function assignWeights(pairs: [Variable, WeightValue][]): void {
  for (const [v, g] of pairs) {
    tidy(() => {
      const t = tensor(g.values, g.shape, g.dtype);
      v.assign(t.dtype === v.dtype ? t : cast(t, v.dtype));
    });
  }
}

/** The values of a model's weights, named for a file. */
export function readWeights(weights: { name: string; variable: Variable }[]): WeightValue[] {
  return weights.map(({ name, variable }) => ({ name, shape: [...variable.shape], dtype: variable.dtype, values: variable.dataSync() as TypedArray }));
}
