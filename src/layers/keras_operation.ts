// A Keras 3 operation node of a functional model (`keras.ops.mean(x, axis=1)`, `x + 1`,
// `x[:, 0]`) as a layer: it holds the operation's class, its options and its call's
// constant arguments, with the tensors it is called with standing in their places.
// Its output shape comes from Layer's default: the op run on zeros with unknown
// dimensions 1 and then 2, the dimensions that differ unknown (probeOutputSpec).
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { Layer, type LayerArgs } from './layer';
import { checkOptions } from '../options/check';
import { registerInternalLayer } from './serialization';
import { KERAS_OPERATIONS, constantArg } from './keras_operation_table';
import { checkFloatConstants, weakScalars } from './keras_float_constant';

/** Options of a Keras operation node. */
export interface KerasOperationArgs extends LayerArgs {
  /** Keras's class of the operation: 'Add', 'Mean', 'GetItem', ... */
  op: string;
  /** Keras's module of the class: 'keras.src.ops.numpy', 'keras.src.ops.nn' or 'keras.src.ops.core'. */
  module: string;
  /** The operation's config options besides name (camelCase keys, values as Keras writes them). */
  options?: Record<string, unknown>;
  /**
   * The call's positional arguments: constants as Keras writes them, `{kerasTensor: i}` for
   * the i-th input tensor, and `{class_name: '__float__', config: {value}}` for a whole
   * number Keras wrote as a float (`1.0 - x`: a float result where `1 - x` keeps x's int dtype).
   */
  args: unknown[];
  /** The call's keyword arguments (none of the supported operations takes any). */
  kwargs?: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const BASE_KEYS = ['name', 'trainable', 'dtype'];
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @internal The placeholder of input tensor `i` in a KerasOperation's args. */
export const isTensorSlot = (v: unknown): v is { kerasTensor: number } => isObj(v) && Object.keys(v).length === 1 && Number.isInteger(v.kerasTensor);

/** @internal Maps the tensor slots in `args` (nested in lists) through `fn`. */
export function fillSlots(args: unknown, fn: (i: number) => unknown): unknown {
  if (isTensorSlot(args)) return fn(args.kerasTensor);
  if (Array.isArray(args)) return args.map((a) => fillSlots(a, fn));
  return args;
}

/** @internal A Keras operation node; loaded from .keras files and saved back in Keras's form. */
export class KerasOperation extends Layer<'single'> {
  static override className = 'KerasOperation';
  /** Keras's class of the operation. */
  readonly op: string;
  /** Keras's module of the class. */
  readonly module: string;
  /** The operation's config options besides name. */
  readonly options: Obj;
  /** The call's positional arguments, tensors as `{kerasTensor: i}`. */
  readonly args: unknown[];
  /** The call's keyword arguments. */
  readonly kwargs: Obj;

  constructor(args: KerasOperationArgs) {
    // Not a public class, so not in the option tables: its keys are checked here.
    args = checkOptions('KerasOperation', args, [...BASE_KEYS, 'op', 'module', 'options', 'args', 'kwargs']);
    super(args);
    const at = `${this.name}: Keras operation ${String(args.module)}.${String(args.op)}`;
    const entry = typeof args.op === 'string' && Object.hasOwn(KERAS_OPERATIONS, args.op) ? KERAS_OPERATIONS[args.op] : undefined;
    if (entry === undefined || entry.module !== args.module) {
      const known = Object.entries(KERAS_OPERATIONS).map(([k, e]) => `${k} (${e.module.replace('keras.src.ops.', '')})`);
      throw new Error(`${at} is not one Tessera computes; it computes ${known.join(', ')}`);
    }
    if (!Array.isArray(args.args)) throw new Error(`${at}: expected args to be a list, got ${describe(args.args)}`);
    checkFloatConstants(args.args, at);
    if (args.args.length < entry.arity[0] || args.args.length > entry.arity[1]) {
      const n = entry.arity[0] === entry.arity[1] ? `${entry.arity[0]}` : `${entry.arity[0]} to ${entry.arity[1]}`;
      throw new Error(`${at}: expected ${n} positional arguments, got ${args.args.length}: ${describe(args.args)}`);
    }
    const options = args.options ?? {};
    if (!isObj(options)) throw new Error(`${at}: expected options to be an object, got ${describe(options)}`);
    const unknown = Object.keys(options).filter((k) => !entry.options.includes(k));
    if (unknown.length > 0)
      throw new Error(`${at}: unknown option(s) ${unknown.join(', ')}; it takes ${entry.options.length ? entry.options.join(', ') : 'none'}`);
    const kwargs = args.kwargs ?? {};
    if (!isObj(kwargs) || Object.keys(kwargs).length > 0) throw new Error(`${at}: expected no keyword arguments, got ${JSON.stringify(kwargs)}`);
    this.op = args.op;
    this.module = args.module;
    this.options = options;
    this.args = args.args;
    this.kwargs = kwargs;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const entry = KERAS_OPERATIONS[this.op];
    const filled = (this.args.map((a) => fillSlots(a, (i) => xs[i])) as unknown[]).map(constantArg);
    return entry.run(weakScalars(filled, entry.operands ?? filled.map((_, i) => i)), this.options, `${this.name}: Keras operation ${this.op}`);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), op: this.op, module: this.module, options: this.options, args: this.args, kwargs: this.kwargs };
  }
}
registerInternalLayer(KerasOperation);
