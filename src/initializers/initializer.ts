// The Initializer base class and Keras's fan computation, shared by every initializer.
import type { DType } from '../tensor/dtype';
import { checkShape, type Shape, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** Makes the initial value of a weight from its shape. */
export abstract class Initializer {
  /** The name configs use for this class. */
  static className = 'Initializer';

  /** A new tensor of `shape` and `dtype` (default float32). */
  abstract apply(shape: Shape, dtype?: DType): Tensor;

  /** The options this initializer was made with. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/**
 * [fanIn, fanOut] of a weight shape, as Keras computes them: a dense kernel is
 * [in, out]; a convolution kernel [...window, in, out] multiplies both by the window size
 * (its receptive field).
 */
export function computeFans(shape: Shape): [number, number] {
  checkShape('initializers.computeFans', shape);
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField];
}

/** @internal Validates an initializer's shape argument. */
export function checkInitShape(op: string, shape: Shape): Shape {
  return checkShape(op, shape);
}

/** @internal Throws unless `value` is a finite number (named `what` in the error). */
export function checkFinite(op: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${op}: expected ${what} to be a finite number, got ${describe(value)}`);
  return value;
}
