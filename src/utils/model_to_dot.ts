// Keras 3's keras.utils.model_to_dot: a model's layers as a Graphviz graph, one node per
// layer with Keras's HTML-table label (name and class, activation, input and output
// shapes, dtype, trainable), an edge per connection, nested models as one node or, with
// expandNested, as dashed clusters of their own layers. Node ids are layer names (Keras
// uses Python object ids), so the text is the same from run to run.
import { serialize as activationName } from '../activations';
import type { Layer } from '../layers/layer';
import type { Node } from '../layers/node';
import type { Structure } from '../layers/structure';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Graph } from '../models/graph';
import { GraphModel } from '../models/graph_model';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { classNameOf } from '../serialization/registry';
import { describe } from '../tensor/shape';

/** Options of modelToDot (Keras's names, camelCase). */
export interface ModelToDotOptions {
  /** Show each layer's input and output shapes (default false). */
  showShapes?: boolean;
  /** Show each layer's output dtype (default false). */
  showDtype?: boolean;
  /** Show layer names beside their class (default true; plotModel's default is false, as Keras's). */
  showLayerNames?: boolean;
  /** The direction of the graph: 'TB' (default, top to bottom), 'LR', 'BT' or 'RL'. */
  rankdir?: 'TB' | 'LR' | 'BT' | 'RL';
  /** Draw nested models as clusters of their layers instead of one node (default false). */
  expandNested?: boolean;
  /** The image's resolution in dots per inch (default 200). */
  dpi?: number;
  /** Show the activation of layers that have one (default false). */
  showLayerActivations?: boolean;
  /** Show whether layers with weights are trainable (default false). */
  showTrainable?: boolean;
  /** How edges are drawn: 'ortho' (default), 'curved', 'polyline', 'spline', 'line' or 'none'. */
  splines?: 'ortho' | 'curved' | 'polyline' | 'spline' | 'line' | 'none' | 'false' | 'true';
}

type Flags = Required<Pick<ModelToDotOptions, 'showShapes' | 'showDtype' | 'showLayerNames' | 'showLayerActivations' | 'showTrainable' | 'expandNested'>>;

const RANKDIRS = ['TB', 'LR', 'BT', 'RL'];
const SPLINES = ['ortho', 'curved', 'polyline', 'spline', 'line', 'none', 'false', 'true'];

/** @internal The checked options of modelToDot (plotModel's too), `op` naming the caller. */
export function dotOptions(op: string, o: ModelToDotOptions, showLayerNames: boolean): Flags & { rankdir: string; dpi: number; splines: string } {
  const rankdir = o.rankdir ?? 'TB';
  if (!RANKDIRS.includes(rankdir)) throw new Error(`${op}: expected rankdir 'TB', 'LR', 'BT' or 'RL', got ${describe(rankdir)}`);
  const splines = o.splines ?? 'ortho';
  if (!SPLINES.includes(splines)) throw new Error(`${op}: expected splines one of ${SPLINES.map((s) => `'${s}'`).join(', ')}, got ${describe(splines)}`);
  const dpi = o.dpi ?? 200;
  if (typeof dpi !== 'number' || !(dpi > 0) || !Number.isFinite(dpi)) throw new Error(`${op}: expected dpi to be a positive number, got ${describe(dpi)}`);
  const flag = (k: keyof Flags, d: boolean) => checkBoolean(op, k, o[k] ?? d);
  return {
    showShapes: flag('showShapes', false),
    showDtype: flag('showDtype', false),
    showLayerNames: flag('showLayerNames', showLayerNames),
    showLayerActivations: flag('showLayerActivations', false),
    showTrainable: flag('showTrainable', false),
    expandNested: flag('expandNested', false),
    rankdir,
    dpi,
    splines,
  };
}

/**
 * The model as Graphviz DOT text (Keras's model_to_dot, whose pydot graph this writes out):
 * render it with Graphviz (`dot -Tpng`), or use plotModel to write a file.
 * @example fs.writeFileSync('model.dot', ts.utils.modelToDot(model, { showShapes: true }));
 */
export function modelToDot(model: Model<any>, options?: ModelToDotOptions | null): string {
  const op = 'utils.modelToDot';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return dotText(op, model, dotOptions(op, checkOptions(op, options, op), true));
}

/** @internal modelToDot over checked options. */
export function dotText(op: string, model: Model<any>, o: ReturnType<typeof dotOptions>): string {
  if (!(model instanceof Model)) throw new Error(`${op}: expected a Model, got ${describe(model)}`);
  if (model instanceof GraphModel && graphOf(model) === null) {
    throw new Error(`${op}: the model ${model.name} has not been built yet: give its first layer an inputShape, or call build(shape) or the model first`);
  }
  const lines = ['digraph G {', `rankdir=${o.rankdir};`, 'concentrate=True;', `dpi=${o.dpi};`, `splines=${o.splines};`, 'node [shape=record];'];
  new DotWriter(o).model(model, lines);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function graphOf(model: GraphModel<any>): Graph | null {
  return (model as unknown as { graph: Graph | null }).graph;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

// A shape as Python prints Keras's tuples: (None, 3), (None,).
function pyShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

// The shapes (or dtypes) of a node's tensors as Keras's tree.map_structure prints them.
function structured(tensors: SymbolicTensor[], structure: Structure, part: (t: SymbolicTensor) => string, dict: (k: string, v: string) => string): string {
  if (structure.kind === 'single' || tensors.length === 0) return tensors.length === 1 ? part(tensors[0]) : '?';
  if (structure.kind === 'list') return `[${tensors.map(part).join(', ')}]`;
  return structure.keys.map((k, i) => dict(k, part(tensors[i]))).join(', ');
}

class DotWriter {
  private readonly ids = new Map<Layer<any>, string>();
  private readonly used = new Set<string>();

  constructor(private readonly o: ReturnType<typeof dotOptions>) {}

  // A layer's node id: its name, made unique when a nested model repeats one.
  private id(layer: Layer<any>): string {
    let id = this.ids.get(layer);
    if (id === undefined) {
      id = layer.name;
      for (let k = 1; this.used.has(id); k++) id = `${layer.name}_${k}`;
      this.used.add(id);
      this.ids.set(layer, id);
    }
    return quote(id);
  }

  model(model: Model<any>, lines: string[]): void {
    if (!(model instanceof GraphModel) || graphOf(model) === null) {
      lines.push(this.node(model));
      return;
    }
    const graph = graphOf(model)!;
    const sequential = model instanceof Sequential;
    const layers = sequential ? model.layers : graph.layers;
    for (const layer of layers) {
      if (this.o.expandNested && layer instanceof GraphModel && graphOf(layer) !== null) {
        lines.push(`subgraph ${quote(`cluster_${layer.name}`)} {`, 'style=dashed;', `label=${quote(layer.name)};`, 'labeljust=l;');
        this.model(layer, lines);
        lines.push('}');
      } else lines.push(this.node(layer));
    }
    const edges = new Set<string>();
    const edge = (from: Layer<any>, to: Layer<any>) => {
      const e = `${this.id(from)} -> ${this.id(to)} [penwidth=2];`;
      if (!edges.has(e)) lines.push(e);
      edges.add(e);
    };
    if (sequential && !this.o.expandNested) {
      for (let i = 0; i + 1 < layers.length; i++) edge(layers[i], layers[i + 1]);
      return;
    }
    // Keras: a Sequential's edges from its layers after the first (its input layer is not drawn).
    const nodes = sequential ? graph.nodes.filter((n) => !n.isInput && n.layer !== layers[0]) : graph.nodes;
    for (const n of nodes) this.nodeEdges(n, edge);
  }

  // The edges into a node's layer; expanded, from and to the layers inside nested models.
  private nodeEdges(n: Node, edge: (from: Layer<any>, to: Layer<any>) => void): void {
    n.inputs.forEach((t, inputIndex) => {
      let source = t.sourceLayer as Layer<any>;
      let outputIndex = t.index;
      let destination = n.layer as Layer<any>;
      if (this.o.expandNested) {
        while (source instanceof GraphModel && graphOf(source) !== null) {
          const out = source.outputs[outputIndex];
          source = out.sourceLayer;
          outputIndex = out.index;
        }
        while (destination instanceof GraphModel && graphOf(destination) !== null) {
          destination = destination instanceof Sequential ? destination.layers[0] : destination.inputs[inputIndex].sourceLayer;
        }
      }
      edge(source, destination);
    });
  }

  private node(layer: Layer<any>): string {
    return `${this.id(layer)} [label=${this.label(layer)}, fontname=Helvetica, border=0, margin=0];`;
  }

  // Keras's make_layer_label, cell for cell.
  private label(layer: Layer<any>): string {
    const o = this.o;
    const className = classNameOf(layer.constructor);
    const colspan = Math.max(1, Number(o.showDtype) + Number(o.showTrainable) + (o.showShapes ? 2 : 0));
    const title = o.showLayerNames ? `<b>${escape(layer.name)}</b> (${escape(className)})` : `<b>${escape(className)}</b>`;
    let table = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">';
    table += `<tr><td colspan="${colspan}" bgcolor="black"><font point-size="16" color="white">${title}</font></td></tr>`;
    const activation = (layer as { activation?: unknown }).activation;
    if (o.showLayerActivations && activation !== undefined && activation !== null) {
      table += `<tr><td bgcolor="white" colspan="${colspan}"><font point-size="14">Activation: <b>${escape(nameOfActivation(activation))}</b></font></td></tr>`;
    }
    const cell = (text: string) => `<td bgcolor="white"><font point-size="14">${text}</font></td>`;
    const cols: string[] = [];
    // As Keras's layer.input / layer.output: the layer's first call.
    const first = layer.inboundNodes[0] as Node | undefined;
    if (o.showShapes) {
      const shapes = (ts: SymbolicTensor[] | undefined, s: Structure | undefined) =>
        ts === undefined || s === undefined
          ? '?'
          : structured(
              ts,
              s,
              (t) => pyShape(t.shape),
              (k, v) => `${k}: ${v}`,
            );
      if (className !== 'InputLayer') cols.push(cell(`Input shape: <b>${escape(shapes(first?.inputs, first?.inputStructure))}</b>`));
      cols.push(cell(`Output shape: <b>${escape(shapes(first?.outputs, first?.outputStructure))}</b>`));
    }
    if (o.showDtype) {
      const dtype =
        first === undefined
          ? '?'
          : structured(
              first.outputs,
              first.outputStructure,
              (t) => t.dtype,
              (k, v) => `'${k}': '${v}'`,
            );
      const text = first?.outputStructure.kind === 'list' ? dtype.replace(/(\w+)/g, "'$1'") : first?.outputStructure.kind === 'dict' ? `{${dtype}}` : dtype;
      cols.push(cell(`Output dtype: <b>${escape(text)}</b>`));
    }
    if (o.showTrainable && layer.weights.length > 0) {
      cols.push(
        layer.trainable
          ? '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>'
          : '<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>',
      );
    }
    if (cols.length > 0) table += `<tr>${cols.join('')}</tr>`;
    return `${table}</table>>`;
  }
}

function nameOfActivation(a: unknown): string {
  if (typeof a === 'string') return a;
  try {
    return activationName(a as never);
  } catch {
    return (a as { name?: string }).name ?? String(a);
  }
}
