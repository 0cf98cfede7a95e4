// InputSpec: what a layer accepts (rank, dtype, sizes of some axes), checked on every
// call with Keras's messages, so a wrong input fails at the layer that cannot take it.
import type { DType } from '../tensor/dtype';
import { formatShape, type TensorSpec } from './symbolic_tensor';
import { layerOptions } from './layer_options';

/** Constraints on one input of a layer; every field is optional. */
export interface InputSpecArgs {
  /** The dtype the input must have. */
  dtype?: DType;
  /** The full shape, null where any size goes. */
  shape?: (number | null)[];
  /** Exact rank. */
  ndim?: number;
  /** Highest rank accepted. */
  maxNdim?: number;
  /** Lowest rank accepted. */
  minNdim?: number;
  /** Required sizes of some axes (negative axes count from the end): {[-1]: 784}. */
  axes?: Record<number, number>;
}

/** Constraints on one input of a layer. */
export class InputSpec {
  /** The dtype the input must have. */
  readonly dtype?: DType;
  /** The full shape, null where any size goes. */
  readonly shape?: (number | null)[];
  /** Exact rank (set from `shape` when that is given). */
  readonly ndim?: number;
  /** Highest rank accepted. */
  readonly maxNdim?: number;
  /** Lowest rank accepted. */
  readonly minNdim?: number;
  /** Required sizes of some axes (negative axes count from the end). */
  readonly axes?: Record<number, number>;

  /** @example new InputSpec({ minNdim: 2, axes: { [-1]: 784 } }) */
  constructor(args: InputSpecArgs) {
    args = layerOptions(InputSpec, new.target, args);
    Object.assign(this, args);
    if (args.shape !== undefined) this.ndim = args.shape.length;
  }
}

/**
 * Throws Keras's message when `inputs` do not meet the layer's specs:
 * "Input 0 of layer dense_1 is incompatible with the layer: expected axis -1 of input
 * shape to have value 784, but received input with shape [32, 100]".
 */
export function assertInputCompatibility(layerName: string, specs: InputSpec | InputSpec[] | null, inputs: TensorSpec[]): void {
  if (specs === null) return;
  const list = Array.isArray(specs) ? specs : [specs];
  if (list.length !== inputs.length) {
    throw new Error(`Layer ${layerName} expects ${list.length} input(s), but it received ${inputs.length} input tensors`);
  }
  list.forEach((spec, i) => {
    const { shape, dtype } = inputs[i];
    const fail = (what: string) => {
      throw new Error(`Input ${i} of layer ${layerName} is incompatible with the layer: ${what}`);
    };
    // Formatted only on failure: this check runs on every call of every layer.
    const full = () => `Full shape received: ${formatShape(shape)}`;
    const rank = shape.length;
    if (spec.ndim !== undefined && rank !== spec.ndim) fail(`expected ndim=${spec.ndim}, found ndim=${rank}. ${full()}`);
    if (spec.maxNdim !== undefined && rank > spec.maxNdim) fail(`expected max_ndim=${spec.maxNdim}, found ndim=${rank}. ${full()}`);
    if (spec.minNdim !== undefined && rank < spec.minNdim) fail(`expected min_ndim=${spec.minNdim}, found ndim=${rank}. ${full()}`);
    if (spec.dtype !== undefined && dtype !== spec.dtype) fail(`expected dtype=${spec.dtype}, found dtype=${dtype}`);
    if (spec.axes !== undefined)
      for (const [key, value] of Object.entries(spec.axes)) {
        const axis = Number(key);
        const d = shape[axis < 0 ? rank + axis : axis];
        if (d !== null && d !== undefined && d !== value) {
          fail(`expected axis ${axis} of input shape to have value ${value}, but received input with shape ${formatShape(shape)}`);
        }
      }
    if (spec.shape !== undefined) {
      spec.shape.forEach((want, d) => {
        if (want !== null && shape[d] !== null && shape[d] !== want) fail(`expected shape=${formatShape(spec.shape!)}, found shape=${formatShape(shape)}`);
      });
    }
  });
}
