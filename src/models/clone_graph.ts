// A functional model over intermediate tensors (Keras 3's clone_graph_nodes): each given
// input that a layer computed is replaced by a fresh input() of its shape and dtype, and
// the calls between those inputs and the outputs are made again on the new inputs. The
// layers are the same objects (their weights are shared); the original graph is untouched,
// the layers only gain nodes, as when a layer is applied twice.
import { InputLayer } from '../layers/input_layer';
import { Node } from '../layers/node';
import { specOf, type SymbolicTensor } from '../layers/symbolic_tensor';
import { postOrderFrom } from './graph';

/** @internal True when `t` is an input() tensor, not one a layer computed. */
export const isGraphInput = (t: SymbolicTensor): boolean => t.node.isInput;

/**
 * @internal The inputs and outputs of a graph cut at `inputs`: intermediate inputs become
 * new input() tensors (named `<tensor>CLONE`, as Keras names them), the nodes between them
 * and the outputs are re-made on them. Throws "Graph disconnected" before changing anything
 * when the outputs still need a tensor upstream of the given inputs.
 */
export function cloneGraphNodes(owner: string, inputs: SymbolicTensor[], outputs: SymbolicTensor[]): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  const nodes = nodesBetween(owner, inputs, outputs);
  // Old tensor id -> the tensor that stands for it in the new graph.
  const swap = new Map<number, SymbolicTensor>();
  const newInputs = inputs.map((t) => {
    if (isGraphInput(t)) return t;
    const made = swap.get(t.id) ?? new InputLayer({ batchShape: [...t.shape], dtype: t.dtype, name: `${plainName(t)}CLONE` }).tensor;
    swap.set(t.id, made);
    return made;
  });
  const get = (t: SymbolicTensor) => swap.get(t.id) ?? t;
  for (const node of nodes) {
    const copy = new Node(node.layer, node.inputs.map(get), node.inputStructure, node.outputs.map(specOf), node.outputStructure, node.training, node.callArgs);
    // A given input that this call also makes stays the new input.
    node.outputs.forEach((t, i) => swap.has(t.id) || swap.set(t.id, copy.outputs[i]));
  }
  return { inputs: newInputs, outputs: outputs.map(get) };
}

// 'dense[1][0]' -> 'dense_1_0': a layer name without brackets.
const plainName = (t: SymbolicTensor) => t.name.replace(/\[(\d+)\]/g, '_$1');

// The non-input nodes from `inputs` to `outputs`, each after the nodes it reads (a
// depth-first post-order with its own stack: chains of thousands of layers overflow the
// call stack). An input() tensor reached but not among `inputs` disconnects the graph.
function nodesBetween(owner: string, inputs: SymbolicTensor[], outputs: SymbolicTensor[]): Node[] {
  const cut = new Set(inputs.map((t) => t.id));
  const done = new Set<Node>();
  const order: Node[] = [];
  const enter = (t: SymbolicTensor, consumer: string): Node | null => {
    if (cut.has(t.id) || done.has(t.node)) return null;
    if (isGraphInput(t)) {
      throw new Error(
        `${owner}: Graph disconnected: cannot obtain value for tensor ${t.name} at layer ${consumer}: ` +
          `it is upstream of the given inputs (${inputs.map((i) => i.name).join(', ')}), which do not cut it off from the outputs. ` +
          `Add ${t.name} to the model's inputs`,
      );
    }
    done.add(t.node);
    return t.node;
  };
  for (const out of outputs) {
    const first = enter(out, `(the outputs of ${owner})`);
    if (first !== null) postOrderFrom(first, enter, order);
  }
  return order;
}
