// Runs one kernel of ops.def: checks the inputs are alive and on one device, allocates
// the outputs the op inferred, and offers the call to the gradient tape. The whole path
// of one op, TypeScript to kernel and back: docs/ARCHITECTURE.md.
import { tooManyArguments } from '../options/arity';
import { native, type NativeHandle } from '../native/binding';
import { stepHook } from '../compiled/step_hook';
import { deviceCode, getDevice } from '../native/device';
import { OP, type OpName } from '../native/op_ids';
import type { KernelAttrs } from '../native/op_attrs';
import { checkFunction } from './check_function';
import { renamed } from '../ops/op_name';
import { DTYPE_CODE, type DType } from './dtype';
import { checkElementCount, describe, sizeOf, type Shape } from './shape';
import { Tensor } from './tensor';
import { trackYoung } from './young';

/** Shape and dtype of one kernel output. */
export interface OutSpec {
  shape: Shape;
  dtype: DType;
}

/**
 * An op's gradient rule: given the upstream gradients of the outputs (zeros where an
 * output received none) and the tensors it asked to save, the gradient of each input,
 * or null where none flows (integer inputs, indices).
 */
export interface GradRule {
  /** Inputs or other tensors the rule needs; the tape keeps them alive until backward. */
  save?: Tensor[];
  /** Also save the op's outputs (appended after `save`). */
  saveOutputs?: boolean;
  /**
   * Outputs that got no gradient come as null in `dys`, not as zeros: for an op whose extra
   * output (values kept for its own backward) has a gradient only under higher order, where
   * a zero fill of it would cost a pass per step. Declare grad's dys as (Tensor | null)[].
   */
  nullForUnused?: boolean;
  /** `needs[i]` says whether input i wants a gradient, so a rule may skip work. */
  grad(dys: Tensor[], saved: Tensor[], needs: boolean[]): (Tensor | null)[];
}

/** The gradient tape's hook, installed while a tape records. */
export type Recorder = (name: string, inputs: Tensor[], outputs: Tensor[], rule: GradRule) => void;

let recorder: Recorder | null = null;
// Nesting depth of noGrad: while above 0, no op reaches the recorder. It lives here, beside
// the hook, so that ops (compositeOp) and autograd use it without importing each other.
let noGradDepth = 0;

/**
 * What tf.profile and debug mode watch (op_watch.ts): `start` before each kernel call, `end`
 * after it with its outputs. Null unless one of them is on, so eager ops pay one null check.
 */
export interface OpWatch {
  start(): void;
  end(name: string, inputs: Tensor[], outputs: Tensor[]): void;
}

let opWatch: OpWatch | null = null;

/** @internal Installs (or removes) the op watch. */
export function setOpWatch(w: OpWatch | null): void {
  opWatch = w;
}

/** @internal Installs (or removes) the tape's recorder. */
export function setRecorder(r: Recorder | null): void {
  recorder = r;
}

/** True while a tape records (outside noGrad): ops build their gradient rules only then. */
export function isRecording(): boolean {
  return recorder !== null && noGradDepth === 0;
}

/** Runs fn without recording anything on any tape. */
export function noGrad<T>(fn: () => T): T {
  if (arguments.length > 1) throw tooManyArguments('noGrad', 1, arguments.length);
  checkFunction('noGrad', 'fn', fn);
  noGradDepth++;
  try {
    return fn();
  } finally {
    noGradDepth--;
  }
}

// The addon copies attributes and specs synchronously, so one scratch array per length
// serves every call: allocating typed arrays per op would cost more than the kernel.
// Specs are doubles: dimensions travel exactly up to 2^53 - 1 (an Int32Array truncated
// 2^32 + 1 to 1, and the kernels then wrote past the allocation).
const attrScratch: Float64Array[] = [];
const specScratch: Float64Array[] = [];
const argScratch: Float64Array[] = [];

function attrArray(attrs: readonly number[]): Float64Array {
  const a = (attrScratch[attrs.length] ??= new Float64Array(attrs.length));
  for (let i = 0; i < attrs.length; i++) a[i] = attrs[i];
  return a;
}

// The output specification's length after the device code: (dtype, rank, dims...) per output.
function specLength(name: string, outs: OutSpec | OutSpec[]): number {
  if (!Array.isArray(outs)) {
    checkElementCount(name, outs.shape, 'the output shape');
    return 2 + outs.shape.length;
  }
  let n = 0;
  for (let i = 0; i < outs.length; i++) {
    checkElementCount(name, outs[i].shape, 'the output shape');
    n += 2 + outs[i].shape.length;
  }
  return n;
}

function packSpecs(spec: Float64Array, p: number, outs: OutSpec | OutSpec[]): void {
  if (!Array.isArray(outs)) packSpec(spec, p, outs);
  else for (let i = 0; i < outs.length; i++) p = packSpec(spec, p, outs[i]);
}

function packSpec(spec: Float64Array, p: number, out: OutSpec): number {
  const shape = out.shape;
  spec[p++] = DTYPE_CODE[out.dtype];
  spec[p++] = shape.length;
  for (let i = 0; i < shape.length; i++) spec[p++] = shape[i];
  return p;
}

// run()'s specification [device, (dtype, rank, dims...)*], for a compiled step's hook.
function outSpecArray(name: string, device: number, outs: OutSpec | OutSpec[]): Float64Array {
  const n = 1 + specLength(name, outs);
  const spec = (specScratch[n] ??= new Float64Array(n));
  spec[0] = device;
  packSpecs(spec, 1, outs);
  return spec;
}

// runArgs()'s one array: [device, attribute count, attributes..., (dtype, rank, dims...)*].
function argsArray(name: string, device: number, attrs: readonly number[], outs: OutSpec | OutSpec[]): Float64Array {
  const na = attrs.length;
  const n = 2 + na + specLength(name, outs);
  const args = (argScratch[n] ??= new Float64Array(n));
  args[0] = device;
  args[1] = na;
  for (let i = 0; i < na; i++) args[2 + i] = attrs[i];
  packSpecs(args, 2 + na, outs);
  return args;
}

// runScratch()'s op and arguments, written in place into the addon's own buffer: the addon
// reads nothing per call but the inputs. Arguments too long for it take runArgs.
const scratch = native.argBuffer();

// Writes [length, op, device, attribute count, attributes..., specs...] into the scratch
// buffer; false (nothing written) when they do not fit.
function writeScratch(name: string, op: number, device: number, attrs: readonly number[], outs: OutSpec | OutSpec[]): boolean {
  const na = attrs.length;
  const n = 4 + na + specLength(name, outs);
  if (n > scratch.length) return false;
  scratch[0] = n;
  scratch[1] = op;
  scratch[2] = device;
  scratch[3] = na;
  for (let i = 0; i < na; i++) scratch[4 + i] = attrs[i];
  packSpecs(scratch, 4 + na, outs);
  return true;
}

// The one place runKernel and runKernel1 call the addon. The eager path passes the inputs
// as arguments (no input array to build or for the addon to read), the rest in the
// scratch buffer (reading the handles runs no user code, so nothing else writes it before
// the call); its handles are young, and the callers hand their tensors to trackYoung
// (young.ts) when stepHook is null. A compiled step's hook takes run()'s form.
function callKernel(
  name: string,
  op: number,
  inputs: Tensor[],
  dev: string,
  attrs: readonly number[],
  outs: OutSpec | OutSpec[],
): NativeHandle | NativeHandle[] {
  try {
    return callAddon(name, op, inputs, dev, attrs, outs);
  } catch (e) {
    // The addon names its kernel ("resize_bilinear: cannot allocate ..."): the user called `name`.
    throw renamed(e, name);
  }
}

function callAddon(
  name: string,
  op: number,
  inputs: Tensor[],
  dev: string,
  attrs: readonly number[],
  outs: OutSpec | OutSpec[],
): NativeHandle | NativeHandle[] {
  const device = deviceCode(dev);
  if (stepHook !== null) return stepHook.run(op, inputHandles(name, inputs, dev), attrArray(attrs), outSpecArray(name, device, outs));
  // Every kernel's arguments fit today (attributes and shapes are bounded by the rank);
  // a longer list still runs, by runArgs.
  if (!writeScratch(name, op, device, attrs, outs)) return native.runArgs(op, argsArray(name, device, attrs, outs), ...inputHandles(name, inputs, dev));
  switch (inputs.length) {
    case 0:
      return native.runScratch();
    case 1:
      return native.runScratch(inputHandle(name, inputs, 0, dev));
    case 2:
      return native.runScratch(inputHandle(name, inputs, 0, dev), inputHandle(name, inputs, 1, dev));
    case 3:
      return native.runScratch(inputHandle(name, inputs, 0, dev), inputHandle(name, inputs, 1, dev), inputHandle(name, inputs, 2, dev));
    default:
      return native.runScratch(...inputHandles(name, inputs, dev));
  }
}

// The handle of input i, after checking it is alive and on `dev`.
function inputHandle(name: string, inputs: Tensor[], i: number, dev: string): NativeHandle {
  const t = inputs[i];
  // An op's checks that walk its list with forEach or every skip the holes of a sparse list ([a, , b]).
  if (!(t instanceof Tensor)) throw new Error(`${name}: expected input ${i} to be a Tensor, got ${describe(t)}`);
  if (t.handle === null) throw new Error(`${name}: input ${i} (shape [${t.shape.join(', ')}]) is a disposed tensor`);
  // The kernels trust the shape: one changed in place (const s = x.shape; s[0] = -1) read past the data.
  if (sizeOf(t.shape) !== t.size) throw changedShape(name, t, i);
  if (t.device !== dev) {
    throw new Error(`${name}: expected every input on ${dev}, got input ${i} on ${t.device}; move it with tensor.to('${dev}')`);
  }
  return t.handle;
}

function changedShape(name: string, t: Tensor, i: number): Error {
  return new Error(
    `${name}: input ${i}'s shape was changed in place to [${t.shape.join(', ')}], but it holds ${t.size} values; a tensor's shape is read-only: change a copy ([...x.shape]) and reshape`,
  );
}

function inputHandles(name: string, inputs: Tensor[], dev: string): NativeHandle[] {
  const handles: NativeHandle[] = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) handles[i] = inputHandle(name, inputs, i, dev);
  return handles;
}

/**
 * Runs kernel `op` and returns its outputs. `name` is the user-facing op name used in
 * errors; `device` applies to kernels without inputs.
 */
export function runKernel<K extends OpName>(
  name: string,
  op: K,
  inputs: Tensor[],
  attrs: KernelAttrs<K>,
  outs: OutSpec[],
  rule?: GradRule,
  device?: string,
): Tensor[] {
  const dev = inputs.length > 0 ? inputs[0].device : (device ?? getDevice());
  if (opWatch !== null) opWatch.start();
  const result = callKernel(name, OP[op], inputs, dev, attrs, outs);
  const outputs = new Array<Tensor>(outs.length);
  // One output comes back bare (the addon saves an array), several as an array.
  if (outs.length === 1) outputs[0] = new Tensor(result as NativeHandle, outs[0].shape, outs[0].dtype, dev);
  else for (let i = 0; i < outs.length; i++) outputs[i] = new Tensor((result as NativeHandle[])[i], outs[i].shape, outs[i].dtype, dev);
  // Nothing between the call and here can install a hook: null means the eager path ran.
  if (stepHook === null) for (let i = 0; i < outputs.length; i++) trackYoung(outputs[i]);
  if (rule && isRecording()) recorder!(name, inputs, outputs, rule);
  if (opWatch !== null) opWatch.end(name, inputs, outputs);
  return outputs;
}

/** runKernel for the common single-output case (with no array for the output on the way). */
export function runKernel1<K extends OpName>(
  name: string,
  op: K,
  inputs: Tensor[],
  attrs: KernelAttrs<K>,
  out: OutSpec,
  rule?: GradRule,
  device?: string,
): Tensor {
  const dev = inputs.length > 0 ? inputs[0].device : (device ?? getDevice());
  if (opWatch !== null) opWatch.start();
  const handle = callKernel(name, OP[op], inputs, dev, attrs, out) as NativeHandle;
  const output = new Tensor(handle, out.shape, out.dtype, dev);
  if (stepHook === null) trackYoung(output); // the eager path ran (as in runKernel)
  if (rule && isRecording()) recorder!(name, inputs, [output], rule);
  if (opWatch !== null) opWatch.end(name, inputs, [output]);
  return output;
}

/** Offers an op that ran without a kernel (a view) to the tape. */
export function recordOp(name: string, inputs: Tensor[], outputs: Tensor[], rule: GradRule): void {
  if (isRecording()) recorder!(name, inputs, outputs, rule);
}

/** @internal A second handle on t's storage with another shape (reshape, stopGradient). */
export function viewOf(t: Tensor, shape: Shape, track = true): Tensor {
  return new Tensor((stepHook ?? native).reshape(t.liveHandle('reshape'), shape), shape, t.dtype, t.device, track);
}

/**
 * @internal Rows [first, first + count) of t along its first dimension, as a view sharing
 * t's storage (no kernel, no copy); untaped. Not for use inside a compiled step, whose
 * hook must see every handle.
 */
export function rowsView(t: Tensor, first: number, count: number): Tensor {
  return new Tensor(native.rows(t.liveHandle('rows'), first, count), [count, ...t.shape.slice(1)], t.dtype, t.device);
}

/**
 * @internal The tape's private handle on a tensor it saved: the same id (so an outer tape
 * that differentiates a gradient computation sees the original tensor), its own storage
 * reference (so the user may dispose the original), untracked by tidy.
 */
export function savedCopyOf(t: Tensor): Tensor {
  return new Tensor((stepHook ?? native).reshape(t.liveHandle('save'), t.shape), t.shape, t.dtype, t.device, false, t.id);
}
