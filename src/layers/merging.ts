// Merge layers: combine a list of inputs elementwise (add, subtract, multiply, average,
// maximum, minimum), by concatenation, or by a dot product.
import { add, div, maximum, minimum, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { logicalAnd } from '../ops/compare';
import { concat } from '../ops/concat';
import { einsum } from '../ops/einsum';
import { l2Normalize } from '../ops/clip';
import { max } from '../ops/reduce';
import { expandDims } from '../ops/reshape';
import { broadcastTo } from '../ops/tile';
import { onesLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { Layer, type LayerArgs, type Mask } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';
import { everyEntry } from '../options/every_entry';

function checkList(layer: Layer<any>, shapes: unknown, count?: number): SymbolicShape[] {
  const ok = Array.isArray(shapes) && shapes.length > 0 && Array.isArray(shapes[0]);
  const n = ok ? (shapes as SymbolicShape[]).length : 0;
  if (!ok || n < 2 || (count !== undefined && n !== count)) {
    throw new Error(`${layer.name}: a merge layer takes a list of ${count ?? 'at least 2'} inputs, got ${ok ? n : 'a single input'}`);
  }
  return shapes as SymbolicShape[];
}

const shapesText = (shapes: SymbolicShape[]) => shapes.map(formatShape).join(' and ');

/** Base of the elementwise merge layers: inputs of one rank, broadcasting size-1 dimensions. */
export abstract class Merge extends Layer {
  /** `combine` folds the inputs pairwise; `inputCount` fixes how many there must be. */
  constructor(
    args: LayerArgs,
    private readonly combine: (a: Tensor, b: Tensor) => Tensor,
    private readonly inputCount?: number,
  ) {
    args = layerOptions(Merge, new.target, args);
    super(args);
    this.supportsMasking = true;
  }

  override build(inputShape: SymbolicShape[]): void {
    this.computeOutputShape(checkList(this, inputShape, this.inputCount));
  }

  override call(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => this.combine(a, b));
  }

  override computeOutputShape(inputShape: SymbolicShape[]): SymbolicShape {
    const shapes = checkList(this, inputShape, this.inputCount);
    if (shapes.some((s) => s.length !== shapes[0].length)) throw new Error(`${this.name}: inputs must have the same rank, got shapes ${shapesText(shapes)}`);
    return shapes[0].map((_, d) => {
      let out: number | null = 1;
      for (const s of shapes) {
        const v = s[d];
        if (v === null || out === null) out = v === 1 ? out : null;
        else if (out === 1) out = v;
        else if (v !== 1 && v !== out) throw new Error(`${this.name}: inputs have incompatible shapes: ${shapesText(shapes)}`);
      }
      return out;
    });
  }

  // A timestep is valid when it is valid in every input.
  override computeMask(inputs: Tensor[], mask?: Mask | Mask[]): Mask {
    const masks = (Array.isArray(mask) ? mask : []).filter((m): m is Tensor => m !== null);
    return masks.length === 0 ? null : masks.reduce((a, b) => logicalAnd(a, b));
  }
}

/** Sums the inputs. */
export class Add extends Merge {
  static override className = 'Add';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Add, new.target, args);
    super(args, add);
  }
}

/** inputs[0] - inputs[1]. */
export class Subtract extends Merge {
  static override className = 'Subtract';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Subtract, new.target, args);
    super(args, sub, 2);
  }
}

/** Multiplies the inputs elementwise. */
export class Multiply extends Merge {
  static override className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Multiply, new.target, args);
    super(args, mul);
  }
}

/** The mean of the inputs. */
export class Average extends Merge {
  static override className = 'Average';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Average, new.target, args);
    super(args, add);
  }
  override call(inputs: Tensor[]): Tensor {
    return div(super.call(inputs), inputs.length);
  }
}

/** The elementwise maximum of the inputs. */
export class Maximum extends Merge {
  static override className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Maximum, new.target, args);
    super(args, maximum);
  }
}

/** The elementwise minimum of the inputs. */
export class Minimum extends Merge {
  static override className = 'Minimum';
  constructor(args: LayerArgs = {}) {
    args = layerOptions(Minimum, new.target, args);
    super(args, minimum);
  }
}

/** Options of concatenate. */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along. Default -1. */
  axis?: number;
}

/** Joins the inputs along an axis; all other dimensions must match. */
export class Concatenate extends Layer {
  static override className = 'Concatenate';
  /** The axis the inputs are joined along. */
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    args = layerOptions(Concatenate, new.target, args);
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`${this.name}: expected axis to be an integer, got ${describe(this.axis)}`);
    this.supportsMasking = true;
  }

  override build(inputShape: SymbolicShape[]): void {
    this.computeOutputShape(inputShape);
  }

  override call(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  override computeOutputShape(inputShape: SymbolicShape[]): SymbolicShape {
    const shapes = checkList(this, inputShape);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const mismatch = () => new Error(`${this.name}: inputs must match in every dimension except axis ${this.axis}, got shapes ${shapesText(shapes)}`);
    if (axis < 0 || axis >= rank || shapes.some((s) => s.length !== rank)) throw mismatch();
    const out = [...shapes[0]];
    for (const s of shapes.slice(1)) {
      s.forEach((v, d) => {
        if (d === axis) out[d] = out[d] === null || v === null ? null : out[d]! + v;
        else if (out[d] === null) out[d] = v;
        else if (v !== null && v !== out[d]) throw mismatch();
      });
    }
    return out;
  }

  // As Keras: inputs without a mask count as all valid; masks shorter than their input
  // cover its last axis; the result says whether any joined feature is valid.
  override computeMask(inputs: Tensor[], mask?: Mask | Mask[]): Mask {
    const masks = Array.isArray(mask) ? mask : [];
    if (masks.every((m) => m === null)) return null;
    const expanded = inputs.map((x, i) => {
      const m = masks[i];
      if (m === null || m === undefined) return onesLike(cast(x, 'int32'));
      const asInt = cast(m, 'int32');
      return m.rank < x.rank ? broadcastTo(expandDims(asInt, -1), x.shape) : asInt;
    });
    return cast(max(concat(expanded, this.axis), -1), 'bool');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Options of dot. */
export interface DotArgs extends LayerArgs {
  /** The axis of each input to contract (one number for both); the batch axis 0 is excluded. */
  axes: number | [number, number];
  /** L2-normalize along the axes first, giving cosine similarity. Default false. */
  normalize?: boolean;
}

/** The dot product of two inputs along an axis, per example (Keras's batch_dot). */
export class Dot extends Layer {
  static override className = 'Dot';
  /** The axis of each input that is contracted (one number for both). */
  readonly axes: number | [number, number];
  /** Whether inputs are L2-normalized along the axes first (cosine similarity). */
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    args = layerOptions(Dot, new.target, args);
    super(args);
    const axes = args?.axes;
    const ok = (a: unknown) => Number.isInteger(a);
    if (!(ok(axes) || (Array.isArray(axes) && axes.length === 2 && everyEntry(axes, ok)))) {
      throw new Error(`${this.name}: expected axes to be an integer or a pair of integers, got ${describe(axes)}`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = args.normalize ?? false;
  }

  override build(inputShape: SymbolicShape[]): void {
    this.computeOutputShape(inputShape);
  }

  override call([a, b]: Tensor[]): Tensor {
    const [axisA, axisB] = this.resolveAxes([a.shape, b.shape]);
    const x = this.normalize ? l2Normalize(a, axisA) : a;
    const y = this.normalize ? l2Normalize(b, axisB) : b;
    // Letters: 'a' is the batch, 'z' the contracted axis, the rest in order.
    let next = 1;
    const label = (rank: number, axis: number) =>
      Array.from({ length: rank }, (_, d) => (d === 0 ? 'a' : d === axis ? 'z' : String.fromCharCode(97 + next++))).join('');
    const la = label(x.rank, axisA);
    const lb = label(y.rank, axisB);
    const out = 'a' + [...la.slice(1), ...lb.slice(1)].filter((c) => c !== 'z').join('');
    const result = einsum(`${la},${lb}->${out}`, x, y);
    return out.length === 1 ? expandDims(result, 1) : result;
  }

  override computeOutputShape(inputShape: SymbolicShape[]): SymbolicShape {
    const shapes = checkList(this, inputShape, 2);
    const [axisA, axisB] = this.resolveAxes(shapes);
    const [sa, sb] = shapes;
    if (sa[axisA] !== null && sb[axisB] !== null && sa[axisA] !== sb[axisB]) {
      throw new Error(
        `${this.name}: dimension mismatch: axis ${axisA} of ${formatShape(sa)} has ${sa[axisA]} elements, axis ${axisB} of ${formatShape(sb)} has ${sb[axisB]}`,
      );
    }
    const out = [...sa.filter((_, d) => d !== axisA), ...sb.filter((_, d) => d !== axisB && d !== 0)];
    return out.length === 1 ? [out[0], 1] : out;
  }

  private resolveAxes(shapes: readonly (readonly (number | null)[])[]): [number, number] {
    const given = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return given.map((a, i) => {
      const rank = shapes[i].length;
      const axis = a < 0 ? a + rank : a;
      if (axis < 1 || axis >= rank)
        throw new Error(`${this.name}: axis ${a} is out of range for input ${i} of shape ${formatShape(shapes[i])} (the batch axis 0 cannot be contracted)`);
      return axis;
    }) as [number, number];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}
