// Node: one application of a layer to symbolic inputs (Keras's inbound node). A layer
// applied at several places (a shared layer) has one node per place, all using the
// same weights; the graph of nodes is what a functional model runs.
import type { CallArgs, Layer } from './layer';
import type { Structure } from './structure';
import { SymbolicTensor, type TensorSpec } from './symbolic_tensor';

/** One call of a layer in a graph: which symbolic tensors went in and which came out. */
export class Node {
  /** Position in layer.inboundNodes. */
  readonly index: number;
  /** The tensors this call produced. */
  readonly outputs: SymbolicTensor[];

  /**
   * @internal Made by Layer.apply on symbolic inputs; registers itself with the layer.
   * `training`, when given at graph-building time, fixes the mode for this call.
   */
  constructor(
    /** The layer called. */
    readonly layer: Layer<any>,
    /** The symbolic tensors it was called on, flattened. */
    readonly inputs: SymbolicTensor[],
    /** How those inputs were nested in the call: one, a list, or by name. */
    readonly inputStructure: Structure,
    outputSpecs: TensorSpec[],
    /** How the outputs nest in what the call returned. */
    readonly outputStructure: Structure,
    /** The training mode fixed for this call; undefined follows the model's. */
    readonly training?: boolean,
    /** Flags the call was made with (multiHeadAttention's useCausalMask, ...). */
    readonly callArgs?: CallArgs,
  ) {
    this.index = layer.inboundNodes.length;
    layer.inboundNodes.push(this);
    const plain = this.index === 0 && outputSpecs.length === 1;
    this.outputs = outputSpecs.map((spec, i) => new SymbolicTensor(spec, this, i, plain ? layer.name : `${layer.name}[${this.index}][${i}]`));
  }

  /** True for the node of an InputLayer: it has no inputs and is fed by the caller. */
  get isInput(): boolean {
    return this.inputs.length === 0;
  }
}
