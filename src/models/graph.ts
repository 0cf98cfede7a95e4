// The graph of a functional model: the nodes between its inputs and outputs in an order
// that runs each node after its inputs, and a runner that releases every intermediate
// tensor as soon as no later node needs it.
import type { Invocation, Layer, Mask } from '../layers/layer';
import type { Node } from '../layers/node';
import { flattenNested, packNested } from '../layers/structure';
import { SymbolicTensor, type TensorSpec } from '../layers/symbolic_tensor';
import { Tensor, Variable } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { mapPacked } from '../tensor/packed_map';

const isSpec = (v: unknown): v is TensorSpec => typeof v === 'object' && v !== null && Array.isArray((v as TensorSpec).shape);

/** Graph.walk's precomputed run: slots of values, per node the slots it reads, writes and releases. */
interface Schedule {
  slots: number;
  inputs: number[];
  unusedInputs: number[];
  steps: { node: Node; args: number[]; outs: number[]; release: number[] }[];
  outputs: number[];
}

/** @internal The nodes of a model, ordered once at construction. */
export class Graph {
  /** Nodes in run order: deepest first (distance to the outputs), as Keras orders them. */
  readonly nodes: Node[];
  /** The distinct layers of the nodes, in node order (input layers included). */
  readonly layers: Layer<any>[];
  // How many node inputs (and model outputs) read each symbolic tensor: when the count
  // reaches zero during a run, its value is released.
  private readonly uses = new Map<number, number>();

  constructor(
    private readonly owner: string,
    readonly inputs: SymbolicTensor[],
    readonly outputs: SymbolicTensor[],
  ) {
    inputs.forEach((t, i) => {
      if (!(t instanceof SymbolicTensor)) throw new Error(`${owner}: expected inputs[${i}] to be a SymbolicTensor made by input(), got ${describe(t)}`);
      if (!t.node.isInput) {
        throw new Error(
          `${owner}: inputs[${i}] (${t.name}) is not a model input: it is an output of layer ${t.sourceLayer.name}; a model's inputs must be tensors made by input()`,
        );
      }
      if (inputs.indexOf(t) !== i) throw new Error(`${owner}: input ${t.name} is listed twice`);
    });
    outputs.forEach((t, i) => {
      if (!(t instanceof SymbolicTensor)) throw new Error(`${owner}: expected outputs[${i}] to be a SymbolicTensor, got ${describe(t)}`);
    });
    const postOrder = this.reachableNodes();
    this.nodes = this.orderByDepth(postOrder);
    this.layers = [...new Set(this.nodes.map((n) => n.layer))];
    const byName = new Map<string, Layer<any>>();
    for (const layer of this.layers) {
      const other = byName.get(layer.name);
      if (other !== undefined && other !== layer) {
        throw new Error(`${owner}: two different layers are named '${layer.name}'; layer names in a model must be unique (pass name: ... to one of them)`);
      }
      byName.set(layer.name, layer);
    }
    for (const node of this.nodes) for (const t of node.inputs) this.count(t);
    for (const t of outputs) this.count(t);
  }

  /** True for one input, one output and a single path between them (a Sequential-like graph). */
  isChain(): boolean {
    if (this.inputs.length !== 1 || this.outputs.length !== 1) return false;
    return this.nodes.every((n) => n.inputs.length <= 1) && [...this.uses.values()].every((n) => n <= 1);
  }

  private count(t: SymbolicTensor): void {
    this.uses.set(t.id, (this.uses.get(t.id) ?? 0) + 1);
  }

  // Depth-first from the outputs; each node after the nodes it reads (post-order). With a
  // stack of its own: a chain of thousands of layers overflowed the call stack.
  private reachableNodes(): Node[] {
    const inputIds = new Set(this.inputs.map((t) => t.id));
    const done = new Set<Node>();
    const order: Node[] = [];
    const check = (t: SymbolicTensor, consumer: string) => {
      if (t.node.isInput && !inputIds.has(t.id)) {
        const seen = [...new Set(order.map((n) => n.layer.name))].join(', ');
        throw new Error(
          `Graph disconnected: cannot obtain value for tensor ${t.name} at layer ${consumer}. ` +
            `The following previous layers were accessed without issue: [${seen}]. Add ${t.name} to the model's inputs`,
        );
      }
    };
    const visitNode = (start: Node) => {
      if (done.has(start)) return;
      done.add(start);
      postOrderFrom(
        start,
        (t, consumer) => {
          check(t, consumer);
          if (done.has(t.node)) return null;
          done.add(t.node);
          return t.node;
        },
        order,
      );
    };
    const visitTensor = (t: SymbolicTensor, consumer: string) => {
      check(t, consumer);
      visitNode(t.node);
    };
    for (const t of this.inputs) visitNode(t.node);
    for (const t of this.outputs) visitTensor(t, `(the outputs of ${this.owner})`);
    return order;
  }

  private orderByDepth(postOrder: Node[]): Node[] {
    const depth = new Map<Node, number>(postOrder.map((n) => [n, 0]));
    // Reverse post-order visits consumers before producers, so each depth is final when read.
    for (let i = postOrder.length - 1; i >= 0; i--) {
      const node = postOrder[i];
      for (const t of node.inputs) depth.set(t.node, Math.max(depth.get(t.node)!, depth.get(node)! + 1));
    }
    const position = new Map(postOrder.map((n, i) => [n, i]));
    return [...postOrder].sort((a, b) => depth.get(b)! - depth.get(a)! || position.get(a)! - position.get(b)!);
  }

  /**
   * Runs `step` on each node in order, feeding it the values of its inputs. `hold` and
   * `release` bracket the life of each value: release is called when the last node (or
   * none) that reads it has run. Model outputs are never released.
   */
  private walk<V>(inputValues: V[], step: (node: Node, args: V[]) => V[], hold: (v: V) => void, release: (v: V) => void): V[] {
    const plan = (this.plan ??= this.schedule());
    const live: (V | undefined)[] = new Array(plan.slots);
    const drop = (slot: number) => {
      const v = live[slot];
      if (v === undefined) return;
      live[slot] = undefined;
      release(v);
    };
    const bind = (slot: number, v: V) => {
      live[slot] = v;
      hold(v);
    };
    try {
      plan.inputs.forEach((slot, i) => bind(slot, inputValues[i]));
      for (const slot of plan.unusedInputs) drop(slot);
      for (const { node, args, outs, release: done } of plan.steps) {
        const values = step(
          node,
          mapPacked(args, (slot) => live[slot]!),
        );
        outs.forEach((slot, i) => bind(slot, values[i]));
        for (const slot of done) drop(slot);
      }
      return mapPacked(plan.outputs, (slot) => live[slot]!);
    } catch (e) {
      for (let slot = 0; slot < live.length; slot++) drop(slot);
      throw e;
    }
  }

  // walk's schedule, worked out once per graph (it runs every step): each symbolic
  // tensor gets a slot, each node reads and writes slots, and after each node the slots
  // no later node (nor the outputs) reads are released.
  private plan: Schedule | null = null;

  private schedule(): Schedule {
    const slotOf = new Map<number, number>();
    const slot = (t: SymbolicTensor) => {
      let s = slotOf.get(t.id);
      if (s === undefined) slotOf.set(t.id, (s = slotOf.size));
      return s;
    };
    const remaining = new Map(this.uses);
    const inputs = this.inputs.map(slot);
    const unusedInputs = this.inputs.filter((t) => !remaining.get(t.id)).map(slot);
    const steps: Schedule['steps'] = [];
    for (const node of this.nodes) {
      if (node.isInput) continue;
      const release: number[] = [];
      for (const t of node.inputs) {
        const left = remaining.get(t.id)! - 1;
        remaining.set(t.id, left);
        if (left === 0) release.push(slot(t));
      }
      for (const t of node.outputs) if (!remaining.get(t.id)) release.push(slot(t));
      steps.push({ node, args: node.inputs.map(slot), outs: node.outputs.map(slot), release });
    }
    return { slots: slotOf.size, inputs, unusedInputs, steps, outputs: this.outputs.map(slot) };
  }

  /**
   * Runs the graph on tensors. Intermediates are disposed as soon as they are no longer
   * needed; the inputs and their masks belong to the caller and are never disposed.
   */
  execute(values: Tensor[], masks: Mask[] | undefined, training: boolean | undefined): { outputs: Tensor[]; masks: Mask[] } {
    type Value = { value: Tensor; mask: Mask };
    const external = new Set<Tensor | null>([...values, ...(masks ?? [])]);
    // One tensor may stand for several symbolic tensors (identity layers, propagated
    // masks): count holders per tensor and dispose at the last release.
    const holders = new Map<Tensor, number>();
    const hold = (t: Mask) => {
      if (t !== null) holders.set(t, (holders.get(t) ?? 0) + 1);
    };
    const release = (t: Mask) => {
      if (t === null) return;
      const n = holders.get(t)! - 1;
      if (n > 0) holders.set(t, n);
      else {
        holders.delete(t);
        if (!external.has(t) && !(t instanceof Variable)) t.dispose();
      }
    };
    const outs = this.walk<Value>(
      mapPacked(values, (value, i) => ({ value, mask: masks?.[i] ?? null })),
      (node, args) => {
        const r: Invocation = node.layer.invoke(
          mapPacked(args, (a) => a.value),
          node.inputStructure,
          node.training ?? training,
          mapPacked(args, (a) => a.mask),
          true,
          node.callArgs,
        );
        if (r.outputs.length !== node.outputs.length) {
          for (const t of [...r.outputs, ...r.masks]) if (t !== null && !external.has(t)) t.dispose();
          throw new Error(`${this.owner}: layer ${node.layer.name} returned ${r.outputs.length} outputs, but ${node.outputs.length} when the model was built`);
        }
        return mapPacked(r.outputs, (value, i) => ({ value, mask: r.masks[i] }));
      },
      (v) => (hold(v.value), hold(v.mask)),
      (v) => (release(v.value), release(v.mask)),
    );
    return { outputs: mapPacked(outs, (o) => o.value), masks: mapPacked(outs, (o) => o.mask) };
  }

  /** The output specs for input specs, by each layer's computeOutputSpec. */
  outputSpecs(inputs: TensorSpec[]): TensorSpec[] {
    const none = () => undefined;
    return this.walk<TensorSpec>(
      inputs,
      (node, args) => flattenNested(node.layer.name, node.layer.computeOutputSpec(packNested(args, node.inputStructure)), isSpec, 'a TensorSpec').flat,
      none,
      none,
    );
  }
}

/**
 * Appends to `order` the nodes reached from `start`, each after the nodes it reads and `start`
 * last: a depth-first post-order with a stack of its own (chains of thousands of layers overflow
 * the call stack). `enter(t, consumer)` gives the node to descend into for an input tensor `t`
 * of the layer named `consumer`, or null to pass it by.
 */
export function postOrderFrom(start: Node, enter: (t: SymbolicTensor, consumer: string) => Node | null, order: Node[]): void {
  const stack: { node: Node; next: number }[] = [{ node: start, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.node.inputs.length) {
      order.push(top.node);
      stack.pop();
      continue;
    }
    const next = enter(top.node.inputs[top.next++], top.node.layer.name);
    if (next !== null) stack.push({ node: next, next: 0 });
  }
}
