// The argument descriptions the bad-input sweep mutates: a tensor by shape and dtype, a plain
// value, a list or an options object of arguments, or a function. Descriptions (not values)
// so that a case has a readable, stable id, and a child process can rebuild the exact call.
import type * as Tessera from '../../src';

type Ts = typeof Tessera;
type DTypeName = 'float32' | 'float64' | 'int32' | 'bool';

/** One argument of a call, before it is built. */
export type Arg = TensorArg | ValueArg | ListArg | ObjectArg | FnArg;

export class TensorArg {
  constructor(
    readonly shape: number[],
    readonly dtype: DTypeName = 'float32',
    /** 'disposed': built then disposed; 'variable': a Variable; 'array': a nested JS array. */
    readonly form: 'tensor' | 'disposed' | 'variable' | 'disposedVariable' | 'array' = 'tensor',
    /** Every element's value (default 1): out-of-range indices, NaN. */
    readonly fill?: number,
  ) {}
}

export class ValueArg {
  constructor(
    readonly value: unknown,
    readonly label?: string,
  ) {}
}

export class ListArg {
  constructor(readonly items: Arg[]) {}
}

export class ObjectArg {
  constructor(readonly entries: [string, Arg][]) {}
}

export class FnArg {
  constructor(
    readonly label: string,
    readonly make: (ts: Ts) => unknown,
  ) {}
}

/** A tensor of ones (true for bool): valid indices, divisors and masks alike. */
export const T = (shape: number[], dtype: DTypeName = 'float32'): TensorArg => new TensorArg(shape, dtype);
export const F = (label: string, make: (ts: Ts) => unknown): FnArg => new FnArg(label, make);

/** Plain JS in a baseline (numbers, strings, arrays, option objects) as argument descriptions. */
export function arg(x: unknown): Arg {
  if (x instanceof TensorArg || x instanceof ValueArg || x instanceof ListArg || x instanceof ObjectArg || x instanceof FnArg) return x;
  if (Array.isArray(x)) return new ListArg(x.map(arg));
  if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return new ObjectArg(Object.entries(x).map(([k, v]) => [k, arg(v)]));
  }
  return new ValueArg(x);
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return '-0';
    for (const p of [31, 32, 53]) {
      if (v === 2 ** p) return `2**${p}`;
      if (v === -(2 ** p)) return `-(2**${p})`;
      if (v === 2 ** p + 1) return `2**${p}+1`;
    }
    return String(v);
  }
  if (typeof v === 'function') return 'fn';
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined) return 'undefined';
  return JSON.stringify(v) ?? String(v);
}

/** A short, stable, readable description: `T[2,3]:int32`, `{strides: NaN}`, `[[1, 1], [0, 2]]`. */
export function describe(a: Arg): string {
  if (a instanceof TensorArg) {
    const forms = { tensor: 'T', disposed: 'disposedT', variable: 'Var', disposedVariable: 'disposedVar', array: 'jsArray' };
    const fill = a.fill === undefined ? '' : `=${describeValue(a.fill)}`;
    return `${forms[a.form]}[${a.shape.map(describeValue).join(',')}]${a.dtype === 'float32' ? '' : `:${a.dtype}`}${fill}`;
  }
  if (a instanceof ValueArg) return a.label ?? describeValue(a.value);
  if (a instanceof ListArg) return `[${a.items.map(describe).join(', ')}]`;
  if (a instanceof ObjectArg) return `{${a.entries.map(([k, v]) => `${k}: ${describe(v)}`).join(', ')}}`;
  return a.label;
}

function nestedOnes(shape: number[], dtype: DTypeName): unknown {
  if (shape.length === 0) return dtype === 'bool' ? true : 1;
  return Array.from({ length: shape[0] }, () => nestedOnes(shape.slice(1), dtype));
}

/** Builds the value an argument describes (in the child process that runs the call). */
export function build(ts: Ts, a: Arg): unknown {
  if (a instanceof TensorArg) {
    if (a.form === 'array') return nestedOnes(a.shape, a.dtype);
    const t = a.fill === undefined ? ts.ones(a.shape, a.dtype) : ts.fill(a.shape, a.fill, a.dtype);
    if (a.form === 'tensor') return t;
    if (a.form === 'disposed') {
      t.dispose();
      return t;
    }
    const v = ts.variable(t);
    t.dispose();
    if (a.form === 'disposedVariable') v.dispose();
    return v;
  }
  if (a instanceof ValueArg) return a.value;
  if (a instanceof ListArg) return a.items.map((item) => build(ts, item));
  if (a instanceof ObjectArg) return Object.fromEntries(a.entries.map(([k, v]) => [k, build(ts, v)]));
  return a.make(ts);
}
