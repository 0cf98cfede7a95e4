// Argument checks shared by the 2-D and 3-D convolutions (kept out of conv.ts, whose exports
// are public).
import { checkShape, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/**
 * A transposed convolution's output size over the spatial `axes` (their names, e.g.
 * ['height', 'width']), or `given` (absent) when no outputShape was passed. TensorFlow.js's
 * positional form passes the output shape with channels (and maybe the batch) as the third
 * argument; the options object's outputShape is the spatial size alone.
 */
export function transposeOutputShape(op: string, outputShapeOrOptions: unknown, given: unknown, axes: string[]): number[] | null | undefined {
  const k = axes.length,
    names = axes.join(', ');
  const positionalForm =
    outputShapeOrOptions !== undefined && outputShapeOrOptions !== null && (typeof outputShapeOrOptions !== 'object' || Array.isArray(outputShapeOrOptions));
  if (positionalForm) {
    const shape = outputShapeOrOptions;
    if (!Array.isArray(shape) || (shape.length !== k + 1 && shape.length !== k + 2)) {
      throw new Error(
        `${op}: expected outputShape [batch, ${names}, channels] or [${names}, channels] (TensorFlow.js's positional form), or an options object, got ${describe(shape)}`,
      );
    }
    return checkShape(op, shape, 'outputShape').slice(shape.length - k - 1, shape.length - 1);
  }
  if (given === undefined || given === null) return given;
  if (!Array.isArray(given) || given.length !== k) throw new Error(`${op}: expected outputShape to be the output's [${names}], got ${describe(given)}`);
  return checkShape(op, given, 'outputShape');
}

/** Throws unless `t` has the `rank` of its `layout` (both named in the error). */
export function checkRank(op: string, name: string, t: Tensor, rank: number, layout: string): void {
  if (t.rank !== rank) throw new Error(`${op}: expected ${name} of rank ${rank} (${layout}), got shape [${t.shape.join(', ')}]`);
}
