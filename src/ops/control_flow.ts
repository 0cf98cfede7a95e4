// keras.ops.core control flow, run eagerly: cond, switch, whileLoop, foriLoop, scan, map,
// vectorizedMap and associativeScan. Each step's ops go on the gradient tape as any op does,
// so the loops are differentiable where Keras's are. Keras's pytrees of loop variables are JS
// arrays and plain objects of tensors (see nest.ts); a step's tensors that the next step no
// longer holds are disposed as the loop goes, as tidy would.
import { tooManyArguments } from '../options/arity';
import { checkFunction } from '../tensor/check_function';
import { tensor } from '../tensor/creation';
import { openScope, closeScope, trackTensor } from '../tensor/scope';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { stack } from './concat';
import { asOp } from './op_name';
import { unstack } from './slice';
import { checkSameStructure, isNest, leavesWithPaths, mapNest, type Nest } from './nest';

const tensorsOf = (x: unknown): Tensor[] => leavesWithPaths(x).flatMap(([, v]) => (v instanceof Tensor ? [v] : []));

// The tensors a loop made (converted numbers, step results) and still holds: released when a
// step no longer returns them, handed to the enclosing tidy scope at the end.
class Owned {
  private readonly held = new Set<Tensor>();

  add(ts: Iterable<Tensor>): void {
    for (const t of ts) this.held.add(t);
  }

  release(live: unknown): void {
    const keep = new Set(tensorsOf(live));
    for (const t of this.held) {
      if (keep.has(t)) continue;
      this.held.delete(t);
      if (!t.kept && !t.isDisposed) t.dispose();
    }
  }

  finish(): void {
    for (const t of this.held) trackTensor(t);
  }
}

// Runs fn as tidy does (what it makes and does not return is disposed); the tensors it made
// and returns are added to `owned`.
function step<T>(fn: () => T, owned: Owned): T {
  openScope();
  let out: T;
  try {
    out = fn();
  } catch (e) {
    for (const t of closeScope(true)) if (!t.kept) t.dispose();
    throw e;
  }
  const created = closeScope(false);
  if (out instanceof Promise) throw new Error('the function returned a Promise; loop functions must be synchronous');
  const returned = new Set(tensorsOf(out));
  for (const t of created) if (!returned.has(t) && !t.kept) t.dispose();
  owned.add(created.filter((t) => returned.has(t)));
  return out;
}

// A structure whose leaves are tensors: numbers become int32 (integers) or float32, booleans
// bool, as Keras's Python scalars do; what was converted is owned by the loop.
function leaves(op: string, what: string, x: unknown, owned: Owned): unknown {
  return mapNest(x, (leaf, path) => {
    if (leaf instanceof Tensor) {
      if (leaf.isDisposed) throw new Error(`${op}: ${what}${path} is a disposed tensor`);
      return leaf;
    }
    if (typeof leaf === 'number' || typeof leaf === 'boolean') {
      const t = tensor(leaf, [], typeof leaf === 'boolean' ? 'bool' : Number.isInteger(leaf) && Math.abs(leaf) < 2 ** 31 ? 'int32' : 'float32');
      owned.add([t]);
      return t;
    }
    throw new Error(`${op}: expected ${what}${path} to be a tensor, a number or a boolean (or an array or plain object of them), got ${describe(leaf)}`);
  });
}

// A step's output must keep the loop variables' structure, dtypes and shapes (as Keras's JAX backend).
function checkLike(op: string, what: string, before: unknown, after: unknown): void {
  checkSameStructure(op, before, after, what);
  const b = leavesWithPaths(before);
  leavesWithPaths(after).forEach(([path, t], i) => {
    const s = b[i][1] as Tensor;
    const n = t as Tensor;
    if (n.dtype !== s.dtype || n.shape.length !== s.shape.length || n.shape.some((d, k) => d !== s.shape[k])) {
      throw new Error(
        `${op}: ${what}${path} changed from ${s.dtype} [${s.shape.join(', ')}] to ${n.dtype} [${n.shape.join(', ')}]; loop variables keep their dtype and shape`,
      );
    }
  });
}

// A predicate's value: a boolean, a number, or a tensor of one element.
function truth(op: string, what: string, p: unknown): boolean {
  if (typeof p === 'boolean') return p;
  if (typeof p === 'number') return p !== 0;
  if (p instanceof Tensor && p.size === 1) return Number((p.dataSync() as ArrayLike<number>)[0]) !== 0;
  throw new Error(
    `${op}: expected ${what} to be a boolean or a tensor of one element, got ${p instanceof Tensor ? `shape [${p.shape.join(', ')}]` : describe(p)}`,
  );
}

function checkInteger(op: string, name: string, v: unknown, min = -(2 ** 31)): number {
  const n = v instanceof Tensor && v.size === 1 && v.dtype === 'int32' ? Number((v.dataSync() as Int32Array)[0]) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n >= 2 ** 31) {
    throw new Error(`${op}: expected ${name} to be an integer${min === 0 ? ' >= 0' : ''} (a number or an int32 scalar), got ${describe(v)}`);
  }
  return n;
}

/**
 * Keras's cond: `trueFn()` if pred holds, else `falseFn()` (pred a boolean, a number or a
 * one-element tensor). Eager: only the chosen branch runs, so the two are not checked against
 * each other. Gradients flow through the branch taken.
 */
export function cond<T>(pred: boolean | number | Tensor, trueFn: () => T, falseFn: () => T): T {
  if (arguments.length > 3) throw tooManyArguments('cond', 3, arguments.length);
  checkFunction('cond', 'trueFn', trueFn);
  checkFunction('cond', 'falseFn', falseFn);
  return truth('cond', 'pred', pred) ? trueFn() : falseFn();
}

/**
 * Keras's switch: `branches[index](...operands)`. index is an integer (a number or an int32
 * scalar) in [0, branches.length); Keras's JAX and torch backends clamp one outside, Tessera
 * refuses it.
 */
function switchOp<T>(index: number | Tensor, branches: ((...operands: never[]) => T)[], ...operands: unknown[]): T {
  const op = 'switch';
  if (!Array.isArray(branches) || branches.length === 0)
    throw new Error(`${op}: expected branches to be a non-empty array of functions, got ${describe(branches)}`);
  branches.forEach((f, i) => checkFunction(op, `branches[${i}]`, f));
  const i = checkInteger(op, 'index', index);
  if (i < 0 || i >= branches.length) throw new Error(`${op}: expected index in [0, ${branches.length}) for ${branches.length} branches, got ${i}`);
  return (branches[i] as (...a: unknown[]) => T)(...operands);
}
export { switchOp as switch };

/**
 * Keras's while_loop: while `cond(...loopVars)` holds, `loopVars = body(...loopVars)`, at most
 * `maximumIterations` times (null: no limit). loopVars is a tensor (or number), given to cond
 * and body as is, or an array of them, spread into their arguments as Keras spreads a tuple
 * (body returns the array; a one-variable body may return the tensor); a plain object is given
 * whole. Numbers become int32 (integers) or float32 scalars. Each variable keeps its dtype and
 * shape. Returns the final loopVars; differentiable through every iteration.
 * @example whileLoop((i, x) => less(i, 10), (i, x) => [add(i, 1), mul(x, 2)], [0, x])
 */
export function whileLoop<V extends Nest<Tensor | number | boolean>>(
  cond: (...vars: never[]) => boolean | Tensor,
  body: (...vars: never[]) => unknown,
  loopVars: V,
  maximumIterations: number | null = null,
): V extends unknown[] ? Tensor[] : V extends Tensor | number | boolean ? Tensor : Nest {
  if (arguments.length > 4) throw tooManyArguments('whileLoop', 4, arguments.length);
  const op = 'whileLoop';
  checkFunction(op, 'cond', cond);
  checkFunction(op, 'body', body);
  const limit = maximumIterations === null || maximumIterations === undefined ? Infinity : checkInteger(op, 'maximumIterations', maximumIterations, 0);
  const spread = Array.isArray(loopVars);
  const owned = new Owned();
  return asOp(op, () => {
    try {
      let vars = leaves(op, 'loopVars', loopVars, owned);
      const args = (v: unknown): unknown[] => (spread ? (v as unknown[]) : [v]);
      for (let n = 0; n < limit; n++) {
        const go = step(() => truth(op, 'the value of cond', (cond as (...a: unknown[]) => unknown)(...args(vars))), owned);
        if (!go) break;
        let out = step(() => (body as (...a: unknown[]) => unknown)(...args(vars)), owned);
        if (spread && !Array.isArray(out)) out = [out];
        const next = leaves(op, "body's result", out, owned);
        checkLike(op, "body's result", vars, next);
        owned.release(next);
        vars = next;
      }
      owned.finish();
      return vars as never;
    } catch (e) {
      owned.release(null);
      throw e;
    }
  });
}

/**
 * Keras's fori_loop: `val = body(i, val)` for i from lower up to (not including) upper, and
 * returns val. i is a JS number (Keras's is an int32 scalar; every op takes a number); val is
 * a tensor, number, or an array or plain object of them, and keeps its structure, dtypes and
 * shapes. Differentiable through every iteration.
 */
export function foriLoop<V extends Nest<Tensor | number | boolean>>(
  lower: number | Tensor,
  upper: number | Tensor,
  body: (i: number, val: never) => unknown,
  initVal: V,
): V extends unknown[] ? Tensor[] : V extends Tensor | number | boolean ? Tensor : Nest {
  if (arguments.length > 4) throw tooManyArguments('foriLoop', 4, arguments.length);
  const op = 'foriLoop';
  const lo = checkInteger(op, 'lower', lower);
  const hi = checkInteger(op, 'upper', upper);
  // i is int32 in Keras: the range must fit one (which also bounds the loop).
  if (hi - lo >= 2 ** 31) throw new Error(`${op}: expected upper - lower to fit int32, got ${lo} to ${hi}`);
  checkFunction(op, 'body', body);
  const owned = new Owned();
  return asOp(op, () => {
    try {
      let val = leaves(op, 'initVal', initVal, owned);
      for (let i = lo; i < hi; i++) {
        const next = leaves(
          op,
          "body's result",
          step(() => (body as (i: number, v: unknown) => unknown)(i, val), owned),
          owned,
        );
        checkLike(op, "body's result", val, next);
        owned.release(next);
        val = next;
      }
      owned.finish();
      return val as never;
    } catch (e) {
      owned.release(null);
      throw e;
    }
  });
}

// The slices along axis 0 of each leaf of xs: one structure like xs per index.
function slices(op: string, xs: unknown, owned: Owned): { length: number; at: (i: number) => unknown } {
  const paths = leavesWithPaths(xs);
  let length = -1;
  const parts = new Map<Tensor, Tensor[]>();
  for (const [path, leaf] of paths) {
    if (!(leaf instanceof Tensor)) throw new Error(`${op}: expected xs${path} to be a tensor, got ${describe(leaf)}`);
    if (leaf.isDisposed) throw new Error(`${op}: xs${path} is a disposed tensor`);
    if (leaf.rank === 0) throw new Error(`${op}: expected xs${path} of rank 1 or more to slice along axis 0, got a scalar`);
    if (length >= 0 && leaf.shape[0] !== length) throw new Error(`${op}: xs${path} has ${leaf.shape[0]} entries along axis 0, the others ${length}`);
    length = leaf.shape[0];
  }
  for (const [, leaf] of paths) {
    const p = unstack(leaf as Tensor, 0);
    owned.add(p);
    parts.set(leaf as Tensor, p);
  }
  return { length: Math.max(length, 0), at: (i) => mapNest(xs, (leaf) => parts.get(leaf as Tensor)![i]) };
}

function checkStructureLike(op: string, what: string, first: unknown, y: unknown): void {
  checkSameStructure(op, first, y, what);
  const f = leavesWithPaths(first);
  leavesWithPaths(y).forEach(([path, t], i) => {
    const a = f[i][1];
    if ((a === null) !== (t === null)) throw new Error(`${op}: ${what}${path} is ${describe(t)} in one step and ${describe(a)} in another`);
  });
}

// The per-step outputs stacked leaf by leaf along axis 0 (a null leaf stays null).
function stackSteps(op: string, what: string, ys: unknown[]): unknown {
  const flat = ys.map((y) => leavesWithPaths(y));
  return mapNest(ys[0], (leaf, path) => {
    if (leaf === null || leaf === undefined) return null;
    const k = flat[0].findIndex(([p]) => p === path);
    return asOp(op, () =>
      stack(
        flat.map((l) => l[k][1] as Tensor),
        0,
      ),
    );
  });
}

/**
 * Keras's scan: `[carry, y] = f(carry, x)` for each x, the slices of xs along axis 0 (last
 * first when reverse), and returns [carry, ys] with the ys stacked along axis 0 in xs's order.
 * xs is a tensor, an array or plain object of tensors (each leaf sliced), or null with
 * `length` steps and x = null. carry keeps its structure, dtypes and shapes; y may be null.
 * `unroll` is accepted for Keras's signature: eager steps are unrolled anyway.
 * Differentiable through every step.
 */
export function scan(
  f: (carry: never, x: never) => [unknown, unknown],
  init: Nest<Tensor | number | boolean>,
  xs: Nest | null = null,
  length: number | null = null,
  reverse = false,
  unroll: number | boolean = 1,
): [Tensor | Nest, Tensor | Nest | null] {
  if (arguments.length > 6) throw tooManyArguments('scan', 6, arguments.length);
  const op = 'scan';
  checkFunction(op, 'f', f);
  if (typeof reverse !== 'boolean') throw new Error(`${op}: expected reverse to be true or false, got ${describe(reverse)}`);
  if (typeof unroll !== 'boolean' && !(typeof unroll === 'number' && Number.isInteger(unroll) && unroll >= 1)) {
    throw new Error(`${op}: expected unroll to be a positive integer or a boolean, got ${describe(unroll)}`);
  }
  const owned = new Owned();
  return asOp(op, () => {
    // The slices are owned apart: the steps' releases must not take them.
    const sliceOwner = new Owned();
    try {
      const sliced = xs === null || xs === undefined ? null : slices(op, xs, sliceOwner);
      const n = length === null || length === undefined ? sliced?.length : checkInteger(op, 'length', length, 0);
      if (n === undefined) throw new Error(`${op}: give xs or length: both are null`);
      if (sliced && n !== sliced.length) throw new Error(`${op}: length ${n} differs from xs's ${sliced.length} entries along axis 0`);
      if (n === 0) throw new Error(`${op}: no steps (length 0): there is no y to stack`);
      let carry = leaves(op, 'init', init, owned);
      const ys: unknown[] = new Array(n);
      for (let s = 0; s < n; s++) {
        const i = reverse ? n - 1 - s : s;
        const out = step(() => (f as (c: unknown, x: unknown) => unknown)(carry, sliced ? sliced.at(i) : null), owned);
        if (!Array.isArray(out) || out.length !== 2) throw new Error(`${op}: expected f to return [carry, y], got ${describe(out)}`);
        const next = leaves(op, "f's carry", out[0], owned);
        checkLike(op, "f's carry", carry, next);
        ys[i] = out[1] === null || out[1] === undefined ? null : leaves(op, "f's y", out[1], owned);
        if (s > 0) checkStructureLike(op, "f's y", ys[reverse ? n - 1 : 0], ys[i]);
        carry = next;
        owned.release([carry, ys]);
      }
      const stacked = stackSteps(op, "f's y", ys);
      owned.add(tensorsOf(stacked));
      for (const o of [owned, sliceOwner]) {
        o.release([carry, stacked]);
        o.finish();
      }
      return [carry, stacked] as [Nest, Nest | null];
    } catch (e) {
      owned.release(null);
      sliceOwner.release(null);
      throw e;
    }
  });
}

function mapSteps(op: string, f: (x: never) => unknown, xs: Nest): unknown {
  checkFunction(op, 'f', f);
  if (!(xs instanceof Tensor) && !isNest(xs)) throw new Error(`${op}: expected xs to be a tensor, or an array or plain object of tensors, got ${describe(xs)}`);
  const owned = new Owned();
  return asOp(op, () => {
    const sliceOwner = new Owned();
    try {
      const sliced = slices(op, xs, sliceOwner);
      if (sliced.length === 0) throw new Error(`${op}: xs has no entries along axis 0: there is no output to stack`);
      const ys: unknown[] = [];
      for (let i = 0; i < sliced.length; i++) {
        const y = leaves(
          op,
          "f's result",
          step(() => (f as (x: unknown) => unknown)(sliced.at(i)), owned),
          owned,
        );
        if (i > 0) checkStructureLike(op, "f's result", ys[0], y);
        ys.push(y);
        owned.release(ys);
      }
      const stacked = stackSteps(op, "f's result", ys);
      owned.add(tensorsOf(stacked));
      for (const o of [owned, sliceOwner]) {
        o.release(stacked);
        o.finish();
      }
      return stacked;
    } catch (e) {
      owned.release(null);
      sliceOwner.release(null);
      throw e;
    }
  });
}

/**
 * Keras's map: f applied to each slice of xs along axis 0, the results stacked along axis 0.
 * xs is a tensor, or an array or plain object of tensors (f gets the same structure of slices,
 * and may return one). Differentiable.
 */
export function map(f: (x: never) => unknown, xs: Nest): Tensor | Nest {
  if (arguments.length > 2) throw tooManyArguments('map', 2, arguments.length);
  return mapSteps('map', f, xs) as Tensor | Nest;
}

/**
 * Keras's vectorized_map: f applied to each slice of elements along axis 0, the results
 * stacked; eager, so it is map (f runs once per slice, not once batched).
 */
export function vectorizedMap(f: (x: never) => unknown, elements: Nest): Tensor | Nest {
  if (arguments.length > 2) throw tooManyArguments('vectorizedMap', 2, arguments.length);
  return mapSteps('vectorizedMap', f, elements) as Tensor | Nest;
}
