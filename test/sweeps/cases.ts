// The bad-input sweep's cases: for every public function, hostile variations of one valid
// call (op_baselines.ts): each argument replaced by values of the wrong type or range, each
// tensor by tensors of the wrong rank, size, dtype or state, each list item and option
// replaced in turn, and the arguments shifted, swapped, dropped and padded.
import { F, FnArg, ListArg, ObjectArg, TensorArg, ValueArg, arg, describe, type Arg } from './args';
import type { Baseline } from './op_baselines';

/**
 * One call: `op(...args)` (`new op(...args)` for a class), then `(result)(...thenCall)`
 * when the op returns a function, or `result[method](...methodArgs)`.
 */
export interface Case {
  id: string;
  op: string;
  args: Arg[];
  thenCall?: Arg[];
  setup?: [string, Arg[]][];
  method?: string;
  methodArgs?: Arg[];
  /** The op's valid call, which must return a value. */
  baseline?: boolean;
}

const v = (value: unknown, label?: string) => new ValueArg(value, label);

// Wrong types and ranges, for any argument.
const HOSTILE_VALUES: Arg[] = [
  v('str'),
  v(''),
  v(null),
  v(undefined),
  v({}),
  v({ bogus: 1 }),
  v([]),
  v([[]]),
  v(true),
  v(NaN),
  v(Infinity),
  v(-Infinity),
  v(-1),
  v(0),
  v(1.5),
  v(-0.5),
  v(2 ** 31),
  v(2 ** 32),
  v(2 ** 32 + 1),
  v(-(2 ** 31)),
  v(2 ** 53),
  v(1e300),
  v(() => 1, '() => 1'),
  v(1n),
  v(Symbol('s'), 'Symbol()'), // a template string of it throws
  v(Object.create(null), 'Object.create(null)'), // no toString: String() of it throws
  arg([NaN]),
  arg([-1]),
  arg([1.5]),
  arg([2 ** 31]),
  arg([2 ** 32]),
  arg(['a']),
  arg([null]),
  new TensorArg([2, 3]),
];

// Fewer, for items inside lists and options (the cases multiply there).
const HOSTILE_ITEMS: Arg[] = [v('str'), v(null), v(undefined), v({}), v(NaN), v(Infinity), v(-1), v(1.5), v(2 ** 31), v(2 ** 32), v(-(2 ** 31)), v(1e300)];

// Functions that misbehave, where a function is expected (tidy, grad, customGrad, ...).
const HOSTILE_FNS: Arg[] = [
  F('() => { throw Error }', () => () => {
    throw new Error('thrown by the callback');
  }),
  F('() => "str"', () => () => 'str'),
  F('() => null', () => () => null),
  F('() => undefined', () => () => undefined),
  F('() => disposed tensor', (ts) => () => {
    const t = ts.ones([2]);
    t.dispose();
    return t;
  }),
  F('() => int32 tensor', (ts) => () => ts.ones([2], 'int32')),
  F('async () => tensor', (ts) => async () => ts.ones([2])),
  F('x => x', () => (x: unknown) => x),
  F('() => ({value: "str", gradFunc: 1})', () => () => ({ value: 'str', gradFunc: 1 })),
];

const HUGE = [2 ** 31, 2 ** 32, 2 ** 32 + 1];

/** Tensors of the wrong shape, size, dtype or state in place of `t`. */
function tensorVariants(t: TensorArg): Arg[] {
  const { shape, dtype } = t;
  const out: Arg[] = [
    new TensorArg([], dtype),
    new TensorArg([1, 1, 1, 1, 2], dtype),
    new TensorArg(shape, dtype, 'disposed'),
    new TensorArg(shape, dtype, 'variable'),
    new TensorArg(shape, dtype, 'disposedVariable'),
    new TensorArg(shape, dtype, 'array'),
    arg([[1], [1, 2]]), // a ragged nested array
    arg([['a', 'b']]),
    v(new Float32Array(3), 'Float32Array(3)'),
  ];
  // Values out of every range: indices, labels and segment ids past either end; NaN.
  const fills = dtype === 'int32' ? [-1, 2 ** 31 - 1, -(2 ** 31)] : dtype === 'bool' ? [] : [NaN, -Infinity];
  for (const f of fills) out.push(new TensorArg(shape, dtype, 'tensor', f));
  for (const other of ['float32', 'float64', 'int32', 'bool'] as const) if (other !== dtype) out.push(new TensorArg(shape, other));
  // Zero size at every position, and a zero-size tensor whose other dimensions are huge.
  if (shape.length === 0) out.push(new TensorArg([0], dtype));
  shape.forEach((_, i) =>
    out.push(
      new TensorArg(
        shape.map((d, j) => (i === j ? 0 : d)),
        dtype,
      ),
    ),
  );
  for (const h of HUGE) out.push(new TensorArg(shape.length < 2 ? [0, h] : shape.map((d, j) => (j === 0 ? 0 : j === 1 ? h : d)), dtype));
  // A shape mismatch in every dimension.
  shape.forEach((_, i) =>
    out.push(
      new TensorArg(
        shape.map((d, j) => (i === j ? d + 1 : d)),
        dtype,
      ),
    ),
  );
  return out;
}

/** Every replacement for one argument: wrong values, then its own kind's variants. */
function replacements(a: Arg, depth: number): Arg[] {
  const out = depth === 0 ? [...HOSTILE_VALUES] : [...HOSTILE_ITEMS];
  if (a instanceof TensorArg) out.push(...(depth === 0 ? tensorVariants(a) : tensorVariants(a).slice(0, 4)));
  if (a instanceof FnArg) out.push(...HOSTILE_FNS);
  if (a instanceof ListArg && depth < 2) {
    const { items } = a;
    out.push(new ListArg([...items, items[items.length - 1] ?? v(1)]), new ListArg(items.slice(0, -1)));
    items.forEach((item, i) => {
      for (const r of replacements(item, depth + 1)) out.push(new ListArg(items.map((x, j) => (i === j ? r : x))));
    });
  }
  if (a instanceof ObjectArg) {
    const { entries } = a;
    out.push(new ObjectArg([...entries, ['bogusKey', v(1)]]), new ObjectArg([]));
    entries.forEach(([key, value], i) => {
      for (const r of replacements(value, depth + 1)) out.push(new ObjectArg(entries.map((e, j) => (i === j ? [key, r] : e))));
    });
  }
  return out;
}

/**
 * Two tensors that broadcast to a zero-size result ([2, 1] with [0], [1, 3] with [0, 3]):
 * no single replacement reaches these, as the baseline's other tensor has no 1 to stretch.
 */
function zeroSizeBroadcasts(args: Arg[]): Arg[][] {
  const tensors = args.flatMap((a, i) => (a instanceof TensorArg && a.shape.length > 0 ? [i] : []));
  if (tensors.length < 2) return [];
  const [i, j] = tensors;
  const withDim = (a: Arg, axis: 'last' | 'first', size: number) => {
    const t = a as TensorArg;
    const k = axis === 'last' ? t.shape.length - 1 : 0;
    return new TensorArg(
      t.shape.map((d, n) => (n === k ? size : d)),
      t.dtype,
    );
  };
  const out: Arg[][] = [];
  for (const axis of ['last', 'first'] as const) {
    for (const [one, zero] of [
      [i, j],
      [j, i],
    ]) {
      out.push(args.map((a, n) => (n === one ? withDim(a, axis, 1) : n === zero ? withDim(a, axis, 0) : a)));
    }
  }
  return out;
}

/** Hostile variations of one argument list: each position replaced, then positions moved. */
function mutations(args: Arg[]): Arg[][] {
  const out: Arg[][] = [];
  args.forEach((a, i) => {
    for (const r of replacements(a, 0)) out.push(args.map((x, j) => (i === j ? r : x)));
  });
  out.push(...zeroSizeBroadcasts(args));
  for (let n = 0; n < args.length; n++) out.push(args.slice(0, n)); // missing arguments
  for (let i = 0; i + 1 < args.length; i++) out.push([...args.slice(0, i), args[i + 1], args[i], ...args.slice(i + 2)]);
  out.push([new TensorArg([2, 3]), ...args]); // everything one place to the right
  out.push(args.slice(1)); // one place to the left
  out.push([...args, new TensorArg([2, 3]), v('extra')]); // trailing arguments
  return out;
}

function callId(op: string, args: Arg[], thenCall?: Arg[], method?: string, methodArgs?: Arg[], setup: [string, Arg[]][] = []): string {
  const call = `${op}(${args.map(describe).join(', ')})${setup.map(([name, a]) => `.${name}(${a.map(describe).join(', ')})`).join('')}`;
  if (method) return `${call}.${method}(${(methodArgs ?? []).map(describe).join(', ')})`;
  return thenCall ? `${call}(${thenCall.map(describe).join(', ')})` : call;
}

/** Every case of one op: its baseline first (which must succeed), then the hostile calls. */
export function casesFor(op: string, baseline: Baseline): Case[] {
  const out: Case[] = [{ id: callId(op, baseline.args, baseline.thenCall), op, args: baseline.args, thenCall: baseline.thenCall, baseline: true }];
  for (const args of mutations(baseline.args)) out.push({ id: callId(op, args, baseline.thenCall), op, args, thenCall: baseline.thenCall });
  if (baseline.thenCall) {
    for (const thenCall of mutations(baseline.thenCall)) out.push({ id: callId(op, baseline.args, thenCall), op, args: baseline.args, thenCall });
  }
  if (baseline.method) {
    const { method, methodArgs = [], setup } = baseline;
    out[0] = { ...out[0], id: callId(op, baseline.args, undefined, method, methodArgs, setup), setup, method, methodArgs };
    // The constructor's own mutations are its plain op's; here only the method's arguments vary.
    out.length = 1;
    for (const m of mutations(methodArgs))
      out.push({ id: callId(op, baseline.args, undefined, method, m, setup), op, args: baseline.args, setup, method, methodArgs: m });
  }
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

/** Every case of every op, in a stable order. */
export function allCases(baselines: Record<string, Baseline>): Case[] {
  return Object.keys(baselines)
    .sort()
    .flatMap((op) => casesFor(op, baselines[op]));
}
