// SymbolicTensor: a placeholder for a value that a layer will compute, with a shape
// whose unknown dimensions (the batch, usually) are null. Applying layers to symbolic
// tensors records the graph a functional model runs.
import type { DType } from '../tensor/dtype';
import { DESCRIBE_DETAILS, shapeAndDType } from '../tensor/shape';
import type { Layer } from './layer';
import type { Node } from './node';

/** A shape whose unknown dimensions are null: [null, 784] is any batch of 784 features. */
export type SymbolicShape = (number | null)[];

/** What is known about a tensor before it exists: its shape and dtype. */
export interface TensorSpec {
  /** Dimensions, null where unknown. */
  shape: SymbolicShape;
  /** The element type. */
  dtype: DType;
}

let nextSymbolicId = 0;

/** A tensor in a graph of layers: made by `input()` and by applying layers to symbolic tensors. */
export class SymbolicTensor implements TensorSpec {
  /** Unique id; the graph refers to tensors by it. */
  readonly id = nextSymbolicId++;
  /** Dimensions, null where unknown. */
  readonly shape: SymbolicShape;
  /** The element type. */
  readonly dtype: DType;
  /** A readable name for messages: the producing layer's name, with [node][index] when needed. */
  readonly name: string;

  /**
   * @internal Made by Node: `node` produced it as its output number `index`
   * (Keras's _keras_history).
   */
  constructor(
    spec: TensorSpec,
    /** The call of a layer that produces this tensor. */
    readonly node: Node,
    /** Which of that call's outputs this is. */
    readonly index: number,
    name: string,
  ) {
    if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.shape) || node === null || typeof node !== 'object' || !node.layer) {
      throw new Error('SymbolicTensor: made by input() and by applying layers to symbolic tensors, not constructed directly');
    }
    this.shape = [...spec.shape];
    this.dtype = spec.dtype;
    this.name = name;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** The layer that produces this tensor. */
  get sourceLayer(): Layer<any> {
    return this.node.layer;
  }

  /** For messages and the console. */
  /** @internal describe()'s details: the shape and dtype. */
  [DESCRIBE_DETAILS](): string {
    return shapeAndDType(this.shape, this.dtype);
  }

  toString(): string {
    return `SymbolicTensor ${this.name} shape ${formatShape(this.shape)} ${this.dtype}`;
  }
}

/** A shape as text for messages and summaries: [null, 784]. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** @internal Spec of a tensor or symbolic tensor. */
export function specOf(t: TensorSpec): TensorSpec {
  return { shape: [...t.shape], dtype: t.dtype };
}
