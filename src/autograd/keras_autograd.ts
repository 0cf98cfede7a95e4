// Keras 3's ops.custom_gradient and ops.jvp, on Tessera's tape: custom_gradient is customGrad
// with Keras's calling convention, jvp a derivative of the vector-Jacobian product with
// respect to its (linear) cotangent, which the tape's second-order gradients give.
import { tooManyArguments } from '../options/arity';
import { asOp } from '../ops/op_name';
import { mul } from '../ops/binary';
import { sum } from '../ops/reduce';
import { addN } from '../ops/add_n';
import { checkFunction } from '../tensor/check_function';
import { zerosLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { customGrad } from './functional';
import { GradientTape } from './gradient_tape';
import { everyEntry } from '../options/every_entry';

/** What a customGradient function returns: its value and the function of the upstream gradient that gives the inputs' gradients. */
export type CustomGradientResult = [Tensor, (upstream: Tensor) => Tensor | Tensor[]];

/**
 * Keras's custom_gradient: f(...inputs) returns [value, grad], grad(upstream) the gradient
 * of each input (one tensor for one input). The tensors f computed are grad's to use, as
 * Keras's closures do. Returns the function to call on tensors.
 * @example
 * const log1pexp = customGradient((x) => { const e = exp(x); return [log(add(1, e)), (dy) => mul(dy, sub(1, div(1, add(1, e))))]; });
 */
export function customGradient(f: (...inputs: Tensor[]) => CustomGradientResult): (...inputs: Tensor[]) => Tensor {
  if (arguments.length > 1) throw tooManyArguments('customGradient', 1, arguments.length);
  const op = 'customGradient';
  checkFunction(op, 'f', f);
  const g = customGrad((...args: unknown[]) => {
    const inputs = args.slice(0, -1) as Tensor[];
    const result: unknown = f(...inputs);
    if (!Array.isArray(result) || result.length !== 2 || !(result[0] instanceof Tensor) || typeof result[1] !== 'function') {
      throw new Error(`${op}: f must return [value, grad] (a tensor and a function of the upstream gradient), got ${describe(result)}`);
    }
    const [value, grad] = result as CustomGradientResult;
    return { value, gradFunc: (dy: Tensor) => asOp(op, () => grad(dy)) };
  });
  return (...inputs: Tensor[]) => asOp(op, () => g(...inputs));
}

/**
 * Keras's jvp: fun's value at primals and its directional derivative along tangents (the
 * Jacobian-vector product), [primalsOut, tangentsOut], or [primalsOut, tangentsOut, aux] when
 * hasAux (fun then returns [output, aux]). primals and tangents are arrays of float tensors
 * of matching shapes and dtypes; fun takes the primals as its arguments and returns one tensor.
 * Needs second-order gradients through fun's ops (an op without one says so).
 * @example const [y, dy] = jvp((x) => sin(x), [x], [ones(x.shape)]); // dy = cos(x)
 */
export function jvp(fun: (...primals: Tensor[]) => unknown, primals: Tensor[], tangents: Tensor[], hasAux = false): Tensor[] | [Tensor, Tensor, unknown] {
  if (arguments.length > 4) throw tooManyArguments('jvp', 4, arguments.length);
  const op = 'jvp';
  checkFunction(op, 'fun', fun);
  if (typeof hasAux !== 'boolean') throw new Error(`${op}: expected hasAux to be true or false, got ${describe(hasAux)}`);
  const list = (what: string, v: unknown): Tensor[] => {
    if (!Array.isArray(v) || !everyEntry(v, (t) => t instanceof Tensor))
      throw new Error(`${op}: expected ${what} to be an array of tensors, got ${describe(v)}`);
    v.forEach((t: Tensor, i) => {
      if (t.isDisposed) throw new Error(`${op}: ${what}[${i}] is a disposed tensor`);
    });
    return v as Tensor[];
  };
  const xs = list('primals', primals);
  const ts = list('tangents', tangents);
  if (xs.length !== ts.length) throw new Error(`${op}: expected one tangent per primal, got ${xs.length} primals and ${ts.length} tangents`);
  xs.forEach((x, i) => {
    const t = ts[i];
    if (!isFloatDType(x.dtype)) throw new Error(`${op}: expected float primals, got primals[${i}] of dtype ${x.dtype}`);
    if (t.dtype !== x.dtype || t.rank !== x.rank || t.shape.some((d, k) => d !== x.shape[k])) {
      throw new Error(`${op}: expected tangents[${i}] of primals[${i}]'s shape [${x.shape.join(', ')}] and dtype ${x.dtype}, got ${describe(t)}`);
    }
  });
  let aux: unknown;
  const [y, dy] = tidy(() => {
    const inner = new GradientTape();
    inner.watch(xs);
    const result = fun(...xs);
    let out = result;
    if (hasAux) {
      if (!Array.isArray(result) || result.length !== 2) throw new Error(`${op}: with hasAux, fun must return [output, aux], got ${describe(result)}`);
      [out, aux] = result;
    }
    if (!(out instanceof Tensor)) throw new Error(`${op}: expected fun to return a tensor${hasAux ? ' (and aux)' : ''}, got ${describe(out)}`);
    if (out.isDisposed) throw new Error(`${op}: fun returned a disposed tensor`);
    inner.stop();
    // vjp(u) = J^T u is linear in u, so d <vjp(u), t> / du = J t at any u.
    const outer = new GradientTape();
    const u = zerosLike(out);
    outer.watch(u);
    const grads = inner.gradient(out, xs, u);
    const terms = grads.flatMap((g, i) => (g === null ? [] : [sum(mul(g, ts[i]))]));
    if (terms.length === 0) {
      outer.dispose();
      return [out, zerosLike(out)];
    }
    const total = terms.length === 1 ? terms[0] : addN(terms);
    return [out, outer.gradient(total, u) ?? zerosLike(out)];
  });
  return hasAux ? [y, dy, aux] : [y, dy];
}
