// What functional and sequential models share: a Graph of layer nodes that call()
// runs, accepting inputs as a list or by input name, with masks carried through.
import { encodeInputs } from '../layers/preprocessing/string_input';
import { cast } from '../ops/cast';
import { InputSpec } from '../layers/input_spec';
import { isRawStrings, type InputLayer } from '../layers/input_layer';
import type { CallOptions, Layer, LayerOutput, Mask, OutputKind } from '../layers/layer';
import { flattenNested, packNested, type Nested, type Structure } from '../layers/structure';
import { SymbolicTensor, formatShape, type SymbolicShape, type TensorSpec } from '../layers/symbolic_tensor';
import { classNameOf } from '../serialization/registry';
import { Tensor } from '../tensor/tensor';
import { Graph } from './graph';
import { cloneGraphNodes, isGraphInput } from './clone_graph';
import { Model } from './model';
import type { SummaryRow, SummaryTable } from './summary';

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
const isSymbolic = (v: unknown): v is SymbolicTensor => v instanceof SymbolicTensor;
const isSpec = (v: unknown): v is TensorSpec => typeof v === 'object' && v !== null && Array.isArray((v as TensorSpec).shape);

/** The base of Functional and Sequential: a model whose call runs a graph of layers. */
export abstract class GraphModel<K extends OutputKind> extends Model<K> {
  /** @internal The layer graph; null until the model's input is known. */
  protected graph: Graph | null = null;
  protected inputStructure: Structure = { kind: 'single' };
  protected outputStructure: Structure = { kind: 'single' };

  /** @internal Makes the graph from inputs to outputs the model's computation. */
  protected setGraph(inputs: Nested<SymbolicTensor>, outputs: Nested<SymbolicTensor>): void {
    const ins = flattenNested(`${this.name}: inputs`, inputs, isSymbolic, 'a SymbolicTensor');
    // A raw-string input() is, in the graph, the input its string layer encodes it to.
    ins.flat = ins.flat.map((t) => (isRawStrings(t) ? (t.sourceLayer as InputLayer).graphInput(this.name) : t));
    const outs = flattenNested(`${this.name}: outputs`, outputs, isSymbolic, 'a SymbolicTensor');
    // Inputs that layers computed (Keras's intermediate inputs) become new input() tensors.
    if (!ins.flat.every(isGraphInput)) ({ inputs: ins.flat, outputs: outs.flat } = cloneGraphNodes(this.name, ins.flat, outs.flat));
    this.graph = new Graph(this.name, ins.flat, outs.flat);
    this.inputStructure = ins.structure;
    this.outputStructure = outs.structure;
    this.inputSpec = ins.flat.map((t) => new InputSpec({ shape: t.shape }));
    this.built = true;
  }

  /** @internal Forgets the graph (a Sequential that lost its last layer). */
  protected clearGraph(): void {
    this.graph = null;
    this.inputSpec = null;
    this.built = false;
  }

  /** The model's symbolic inputs. */
  get inputs(): SymbolicTensor[] {
    return this.graph ? [...this.graph.inputs] : [];
  }

  /** The model's symbolic outputs. */
  get outputs(): SymbolicTensor[] {
    return this.graph ? [...this.graph.outputs] : [];
  }

  /** The shape of the model's output (a list for several outputs), as TensorFlow.js's model.outputShape. */
  get outputShape(): SymbolicShape | SymbolicShape[] {
    if (this.graph === null) throw new Error(`${this.name} has no inputs yet, so no output shape; give its first layer an inputShape, or build it`);
    const shapes = this.graph.outputs.map((t) => [...t.shape]);
    return this.outputStructure.kind === 'single' ? shapes[0] : shapes;
  }

  /** Input names: the keys when inputs were given as an object, else the input layers' names. */
  get inputNames(): string[] {
    return this.namesOf(this.inputStructure, this.inputs);
  }

  /** Output names: the keys when outputs were given as an object, else the producing layers' names. */
  get outputNames(): string[] {
    return this.namesOf(this.outputStructure, this.outputs);
  }

  private namesOf(structure: Structure, tensors: SymbolicTensor[]): string[] {
    return structure.kind === 'dict' ? [...structure.keys] : tensors.map((t) => t.sourceLayer.name);
  }

  /** @internal Raw strings for an input become tensors through the layer that consumes it. */
  override encodeRawInputs(inputs: unknown, tensors: 'pass' | 'refuse' = 'pass'): unknown {
    return encodeInputs(this.name, this.inputConsumers(), this.graph === null ? ['input'] : this.inputNames, inputs, tensors);
  }

  /** The first layer fed by each input (before the graph exists: the first layer). */
  protected inputConsumers(): (Layer<any> | null)[] {
    if (this.graph === null) return [this.layers[0] ?? null];
    return this.inputs.map((t) => this.layers.find((l) => l.inboundNodes.some((n) => n.inputs.includes(t))) ?? null);
  }

  // Inputs may come as a list in input order, or as an object keyed by input name.
  protected override flattenInputs(inputs: unknown): { flat: (Tensor | SymbolicTensor)[]; structure: Structure } {
    const given = super.flattenInputs(inputs);
    if (this.graph === null) return given;
    const names = this.inputNames;
    const expected = `${names.length} input${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
    let flat = given.flat;
    if (given.structure.kind === 'dict') {
      const keys = given.structure.keys;
      for (const k of keys) if (!names.includes(k)) throw new Error(`${this.name}: '${k}' is not an input of the model; it expects ${expected}`);
      flat = names.map((n) => {
        if (!keys.includes(n)) throw new Error(`${this.name}: input '${n}' is missing; the model expects ${expected}`);
        return given.flat[keys.indexOf(n)];
      });
    } else if (flat.length !== names.length) {
      throw new Error(`${this.name}: the model expects ${expected}, got ${flat.length}`);
    }
    return { flat, structure: this.inputStructure.kind === 'single' ? { kind: 'single' } : { kind: 'list', length: flat.length } };
  }

  // Inputs become the dtypes of the model's input() tensors (float ids -> int32, ...).
  protected override castInputs(inputs: Tensor[], created: Tensor[]): Tensor[] {
    const graph = this.requireGraph();
    return inputs.map((x, i) => {
      const dtype = graph.inputs[i].dtype;
      if (x.dtype === dtype) return x;
      const c = cast(x, dtype);
      created.push(c);
      return c;
    });
  }

  protected override callAndComputeMask(inputs: Nested<Tensor>, options: CallOptions, wantMask: boolean): { outputs: LayerOutput; mask: Mask | Mask[] } {
    const graph = this.requireGraph();
    const flat = flattenNested(this.name, inputs, isTensor, 'a Tensor').flat;
    const given = options.mask === undefined ? undefined : Array.isArray(options.mask) ? options.mask : [options.mask];
    const r = graph.execute(flat, given, options.training);
    if (!wantMask) {
      const external = new Set(given ?? []);
      for (const m of new Set(r.masks)) if (m !== null && !external.has(m)) m.dispose();
    }
    const outputs = packNested(r.outputs, this.outputStructure) as LayerOutput;
    return { outputs, mask: !wantMask ? null : this.outputStructure.kind === 'single' ? r.masks[0] : r.masks };
  }

  /** Runs the graph (what apply does after checking and casting the inputs). */
  override call(inputs: Nested<Tensor>, options: CallOptions = {}): LayerOutput {
    return this.callAndComputeMask(inputs, options, false).outputs;
  }

  override computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    const specs = flattenNested(this.name, inputs, isSpec, 'a TensorSpec').flat;
    return packNested(this.requireGraph().outputSpecs(specs), this.outputStructure);
  }

  protected override trackedLayers() {
    return this.graph ? [...this.graph.layers] : [];
  }

  protected override summaryTable(): SummaryTable {
    const graph = this.graph;
    if (graph === null) return super.summaryTable();
    const inGraph = new Set(graph.nodes);
    const rows: SummaryRow[] = this.layers.map((layer) => {
      const nodes = layer.inboundNodes.filter((n) => inGraph.has(n));
      const shapes = nodes.length === 1 ? nodes[0].outputs.map((t) => formatShape(t.shape)) : [];
      return {
        name: layer.name,
        type: classNameOf(layer.constructor),
        outputShape: nodes.length > 1 ? 'multiple' : shapes.length === 1 ? shapes[0] : shapes.length > 1 ? `[${shapes.join(', ')}]` : '?',
        params: layer.countParams(),
        connectedTo: nodes.flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.node.index}][${t.index}]`)),
      };
    });
    return this.table(rows, !graph.isChain());
  }

  /** @internal The graph, or an error saying why there is none. */
  protected requireGraph(): Graph {
    if (this.graph === null) throw new Error(`${this.name}: the model has no layers to run`);
    return this.graph;
  }
}
