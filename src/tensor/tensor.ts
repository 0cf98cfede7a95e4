// Tensor and Variable: a shape, a dtype, a device and a handle to ref-counted native
// storage. Data in and out is always copied.
import { native, type NativeHandle } from '../native/binding';
import { stepHook } from '../compiled/step_hook';
import { canonicalDevice, deviceCode } from '../native/device';
import { OP } from '../native/op_ids';
import { DTYPE_CODE, type DType, type TypedArray } from './dtype';
import { formatValues } from './format';
import { trackTensor } from './scope';
import { registerVariable } from './variable_registry';
import { DESCRIBE_DETAILS, describe, shapeAndDType, shapesEqual, sizeOf, type Shape } from './shape';
import { tooManyArguments } from '../options/arity';

/** The most elements dataSync()/data() return: Node 20's limit on a typed array's length. */
const MAX_READ_ELEMENTS = 2 ** 32;

let nextTensorId = 0;

/** Nested arrays of numbers or booleans, as `arraySync()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

// The error of an assignment to one of a tensor's read-only properties.
function readOnly(property: string, current: string, value: unknown, instead: string): Error {
  return new Error(`Tensor.${property} is read-only (it is ${current}), got an assignment of ${describe(value)}: ${instead}`);
}

/** An n-dimensional array of numbers on one device. */
export class Tensor {
  // Private with throwing setters: kernels and tapes trust these, and JS's `readonly` is
  // only a compile-time word (`x.dtype = 'int32'` made kernels read the data as int32).
  #id: number;
  #shape: Shape;
  #dtype: DType;
  #device: string;
  #size: number;
  /** @internal The native storage; null once disposed. */
  handle: NativeHandle | null;
  /** @internal Kept tensors survive tidy(). */
  kept = false;

  /** @internal Tensors are made by ops and creation functions, not by `new`. */
  constructor(handle: NativeHandle, shape: Shape, dtype: DType, device: string, track = true, id?: number) {
    this.#id = id ?? nextTensorId++;
    this.handle = handle;
    this.#shape = shape;
    this.#dtype = dtype;
    this.#device = device;
    this.#size = sizeOf(shape);
    if (track) trackTensor(this);
  }

  /** Unique id, used by gradient tapes. */
  get id(): number {
    return this.#id;
  }
  set id(value: unknown) {
    throw readOnly('id', String(this.#id), value, 'tensors are numbered when made');
  }

  /** Dimensions, outermost first. */
  get shape(): Shape {
    return this.#shape;
  }
  set shape(value: unknown) {
    throw readOnly('shape', `[${this.#shape.join(', ')}]`, value, 'ts.reshape(x, shape) makes a tensor of another shape');
  }

  /** The element type: 'float32', 'int32', 'bool', ... */
  get dtype(): DType {
    return this.#dtype;
  }
  set dtype(value: unknown) {
    throw readOnly('dtype', this.#dtype, value, 'ts.cast(x, dtype) makes a tensor of another dtype');
  }

  /** 'cpu' or 'cuda:N'. */
  get device(): string {
    return this.#device;
  }
  set device(value: unknown) {
    throw readOnly('device', this.#device, value, 'x.to(device) makes a copy on another device');
  }

  /** Number of elements. */
  get size(): number {
    return this.#size;
  }
  set size(value: unknown) {
    throw readOnly('size', String(this.#size), value, 'the size follows the shape');
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True once dispose() was called. */
  get isDisposed(): boolean {
    return this.handle === null;
  }

  /** @internal The handle, or a clear error when the tensor was disposed. */
  liveHandle(op: string): NativeHandle {
    if (this.handle === null) {
      throw new Error(`${op}: tensor ${this.id} of shape [${this.shape.join(', ')}] is disposed`);
    }
    // A shape changed in place (x.shape[0] = n) no longer describes the data: arraySync would nest garbage.
    if (sizeOf(this.shape) !== this.size) {
      throw new Error(
        `${op}: the tensor's shape was changed in place to [${this.shape.join(', ')}], but it holds ${this.size} values; a tensor's shape is read-only`,
      );
    }
    return this.handle;
  }

  /** A copy of the values as a flat typed array (Uint8Array for bool); at most 2^32 elements. */
  dataSync(): TypedArray {
    if (arguments.length > 0) throw tooManyArguments('Tensor.dataSync', 0, arguments.length);
    return (stepHook ?? native).read(this.readableHandle('dataSync'));
  }

  /** A copy of the values, read without blocking the event loop; at most 2^32 elements. */
  data(): Promise<TypedArray> {
    if (arguments.length > 0) throw tooManyArguments('Tensor.data', 0, arguments.length);
    // A rejection, as TensorFlow.js's async data(): `t.data().catch(...)` sees a disposed tensor too.
    try {
      return (stepHook ?? native).readAsync(this.readableHandle('data'));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // Node 20's V8 makes no typed array longer than 2^32 elements (and aborts rather than
  // throwing when asked to); the addon refuses them too.
  private readableHandle(op: string): NativeHandle {
    const handle = this.liveHandle(op);
    if (this.size > MAX_READ_ELEMENTS) {
      throw new Error(
        `${op}: the tensor of shape [${this.shape.join(', ')}] has ${this.size} elements, more than a JS typed array holds (2^32); read it in parts with slice()`,
      );
    }
    return handle;
  }

  /** The values as nested arrays (booleans for bool tensors). */
  arraySync(): NestedArray {
    if (arguments.length > 0) throw tooManyArguments('Tensor.arraySync', 0, arguments.length);
    return toNested(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /** The values as nested arrays, read without blocking the event loop. */
  async array(): Promise<NestedArray> {
    if (arguments.length > 0) throw tooManyArguments('Tensor.array', 0, arguments.length);
    return toNested(await this.data(), this.shape, this.dtype === 'bool');
  }

  /** @internal describe()'s details: the shape and dtype. */
  [DESCRIBE_DETAILS](): string {
    return shapeAndDType(this.shape, this.dtype);
  }

  /** The values as text, like TensorFlow.js; `verbose` adds dtype, rank and shape. */
  toString(verbose = false): string {
    if (arguments.length > 1) throw tooManyArguments('Tensor.toString', 1, arguments.length);
    if (this.isDisposed) return `Tensor (disposed) shape [${this.shape.join(', ')}] ${this.dtype}`;
    const header = verbose
      ? `Tensor\n  dtype: ${this.dtype}\n  rank: ${this.rank}\n  shape: [${this.shape.join(', ')}]\n  device: ${this.device}\n  values:\n`
      : 'Tensor\n';
    return header + '    ' + formatValues(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /**
   * JS arithmetic and comparisons (`x * 2`, `x - y`, `x < 1`, `Math.max(x)`, `Number(x)`) read
   * a tensor as a number, which gave NaN or false silently: refused. Strings (`'loss ' + x`,
   * template literals) get toString(), as TensorFlow.js's.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): string {
    if (hint !== 'number') return this.toString();
    throw new TypeError(
      `Tensor${shapeAndDType(this.shape, this.dtype)}: used as a number (a JS operator such as * - / < > or Number()/Math on a tensor); ` +
        'call the op instead (ts.mul(x, 2), ts.sub(x, y), ts.less(x, 1), ...) or read its values first (x.dataSync()[0], (await x.data())[0], x.arraySync())',
    );
  }

  /** Prints toString() to the console. */
  print(verbose = false): void {
    if (arguments.length > 1) throw tooManyArguments('Tensor.print', 1, arguments.length);
    console.log(this.toString(verbose));
  }

  /** A copy of this tensor on `device` ('cpu', 'cuda', 'cuda:N'); gradients do not flow through it. */
  to(device: string): Tensor {
    if (arguments.length > 1) throw tooManyArguments('Tensor.to', 1, arguments.length);
    const name = canonicalDevice(device);
    return new Tensor((stepHook ?? native).to(this.liveHandle('to'), deviceCode(name)), [...this.shape], this.dtype, name);
  }

  /**
   * @internal What JSON.stringify writes: the tensor's fields (the private ones by their
   * getters), its handle as `{}` (null once disposed), as before young handles were BigInts,
   * which JSON.stringify refuses.
   */
  toJSON(): object {
    return { ...this, id: this.id, handle: this.handle === null ? null : {}, shape: this.shape, dtype: this.dtype, device: this.device, size: this.size };
  }

  /** @internal What console.log shows: the fields, the private ones by their getters, as before they were private. */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: object, inspect: (v: unknown, o: object) => string): string {
    const fields = Object.assign({ id: this.id, shape: this.shape, dtype: this.dtype, device: this.device, size: this.size }, this);
    return `${this.constructor.name} ${inspect(fields, options)}`;
  }

  /** Releases the storage now. Disposing twice does nothing. */
  dispose(): void {
    if (arguments.length > 0) throw tooManyArguments('Tensor.dispose', 0, arguments.length);
    if (this.handle !== null) {
      (stepHook ?? native).dispose(this.handle);
      this.handle = null;
    }
  }
}

function toNested(values: TypedArray, shape: readonly number[], isBool: boolean): NestedArray {
  const at = (i: number): number | boolean => (isBool ? values[i] !== 0 : values[i]);
  if (shape.length === 0) return at(0);
  const build = (dim: number, offset: number, stride: number): NestedArray[] => {
    const extent = shape[dim];
    const inner = stride / (extent || 1);
    const out: NestedArray[] = new Array(extent);
    for (let i = 0; i < extent; i++) {
      out[i] = dim === shape.length - 1 ? at(offset + i) : build(dim + 1, offset + i * inner, inner);
    }
    return out;
  };
  return build(0, 0, sizeOf(shape));
}

let nextVariableId = 0;

/** A mutable tensor that holds a model's state: weights, optimizer slots. */
export class Variable extends Tensor {
  /** Name, unique unless given. */
  readonly name: string;
  /** Whether gradient tapes watch it and optimizers update it. */
  trainable: boolean;
  /** @internal A layer weight's 'scope/layer/weight', set by the layer that made it; else 'scope/name' in a name scope. */
  layerPath: string | undefined = undefined;

  /**
   * Keras's variable.path: 'layer/weight' for a layer's weight, under the layers whose build
   * or call first built the layer ('dense/kernel'; 'sequential/dense/kernel' in a Sequential;
   * never numbered, where the name of a second model's weight may be 'dense/kernel_1');
   * other variables: the name, under the name scopes open when made ('outer/v' in
   * `nameScope('outer', ...)`).
   */
  get path(): string {
    return this.layerPath ?? this.name;
  }

  /** @internal Use `variable(initialValue, trainable, name)`. */
  constructor(handle: NativeHandle, shape: Shape, dtype: DType, device: string, trainable: boolean, name?: string) {
    super(handle, shape, dtype, device, false);
    this.trainable = trainable;
    this.name = name ?? `Variable_${nextVariableId++}`;
    registerVariable(this);
  }

  /** Replaces the value with a copy of `value`; shape, dtype and device must match. */
  assign(value: Tensor): void {
    if (arguments.length > 1) throw tooManyArguments('Variable.assign', 1, arguments.length);
    if (this.handle === null) throw new Error(`assign: variable '${this.name}' of shape [${this.shape.join(', ')}] is disposed`);
    if (!(value instanceof Tensor)) throw new Error(`assign: expected a Tensor for variable '${this.name}', got ${typeof value}`);
    if (value.isDisposed) throw new Error(`assign: the value for variable '${this.name}' (shape [${value.shape.join(', ')}]) is a disposed tensor`);
    if (!shapesEqual(this.shape, value.shape) || this.dtype !== value.dtype || this.device !== value.device) {
      throw new Error(
        `assign: variable '${this.name}' is [${this.shape.join(', ')}] ${this.dtype} on ${this.device}, ` +
          `got a value of [${value.shape.join(', ')}] ${value.dtype} on ${value.device}`,
      );
    }
    // remat's recomputation repeats a forward pass whose state updates (moving statistics) were made.
    if (recomputations > 0) return;
    const fresh = copyHandle(value);
    (stepHook ?? native).dispose(this.handle);
    this.handle = fresh;
  }
}

let recomputations = 0;

/**
 * @internal Runs fn as remat's recomputation of a forward pass that already ran: its
 * Variable.assign calls are checked but not made, and layers add no losses.
 */
export function recomputing<T>(fn: () => T): T {
  recomputations++;
  try {
    return fn();
  } finally {
    recomputations--;
  }
}

/** @internal True while remat recomputes a forward pass. */
export function isRecomputing(): boolean {
  return recomputations > 0;
}

/** @internal A new handle holding a copy of t's data. */
export function copyHandle(t: Tensor): NativeHandle {
  const spec = new Float64Array(3 + t.rank);
  spec[0] = deviceCode(t.device);
  spec[1] = DTYPE_CODE[t.dtype];
  spec[2] = t.rank;
  spec.set(t.shape, 3);
  return (stepHook ?? native).run(OP.copy, [t.liveHandle('copy')], new Float64Array(0), spec) as NativeHandle;
}
