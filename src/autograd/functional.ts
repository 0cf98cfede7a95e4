// The functional gradient API of TensorFlow.js: grad, grads, valueAndGrad(s),
// variableGrads, plus stopGradient and customGrad.
import { tooManyArguments } from '../options/arity';
import { checkFunction } from '../tensor/check_function';
import { noGrad, recordOp, viewOf } from '../tensor/run';
import { dispose } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { onFreshTape } from './fresh_tape';
import { backward } from './tape';
import { checkNoHoles } from '../options/check';

function runWithTape<T extends Tensor>(op: string, xs: Tensor[], f: () => T, dy?: Tensor, sources: Tensor[] = xs) {
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`${op}: expected input ${i} to be a Tensor, got ${describe(x)}`);
  });
  return onFreshTape(
    false,
    xs,
    () => returnedTensor(op, f()),
    (tape, value) => ({ value, grads: backward(tape, op, value, sources, dy) }),
  );
}

function returnedTensor<T>(op: string, value: T): T {
  if (!(value instanceof Tensor)) throw new Error(`${op}: the function must return a Tensor, got ${describe(value)}`);
  return value;
}

function orZeros(op: string, g: Tensor | null, x: Tensor): Tensor {
  if (g === null) throw new Error(`${op}: the function's result does not depend on its input of shape [${x.shape.join(', ')}]`);
  return g;
}

// grads' and valueAndGrads' inputs: one array, its tensors spread over f's parameters.
function tensorList(op: string, xs: unknown): Tensor[] {
  if (!Array.isArray(xs)) throw new Error(`${op}: expected xs to be an array of Tensors (f's arguments), got ${describe(xs)}`);
  checkNoHoles(op, 'xs', xs);
  return xs;
}

/**
 * f's gradient function: x -> df/dx (dy weights a non-scalar result).
 * @example const dSquare = grad((x) => square(x)); dSquare(tensor([3])) // [6]
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  if (arguments.length > 1) throw tooManyArguments('grad', 1, arguments.length);
  checkFunction('grad', 'f', f);
  return function (x, dy) {
    if (arguments.length > 2) throw tooManyArguments('grad(f)', 2, arguments.length);
    const { value, grads } = runWithTape('grad', [x], () => f(x), dy);
    value.dispose();
    return orZeros('grad', grads[0], x);
  };
}

/** f's gradient function for several inputs: xs -> [df/dx...]. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  if (arguments.length > 1) throw tooManyArguments('grads', 1, arguments.length);
  checkFunction('grads', 'f', f);
  return function (xs, dy) {
    if (arguments.length > 2) throw tooManyArguments('grads(f)', 2, arguments.length);
    tensorList('grads', xs);
    const { value, grads: gs } = runWithTape('grads', xs, () => f(...xs), dy);
    value.dispose();
    return gs.map((g, i) => orZeros('grads', g, xs[i]));
  };
}

/** Like grad, also returning f(x). */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  if (arguments.length > 1) throw tooManyArguments('valueAndGrad', 1, arguments.length);
  checkFunction('valueAndGrad', 'f', f);
  return function (x, dy) {
    if (arguments.length > 2) throw tooManyArguments('valueAndGrad(f)', 2, arguments.length);
    const { value, grads: gs } = runWithTape('valueAndGrad', [x], () => f(x), dy);
    return { value, grad: orZeros('valueAndGrad', gs[0], x) };
  };
}

/** Like grads, also returning f(...xs). */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  if (arguments.length > 1) throw tooManyArguments('valueAndGrads', 1, arguments.length);
  checkFunction('valueAndGrads', 'f', f);
  return function (xs, dy) {
    if (arguments.length > 2) throw tooManyArguments('valueAndGrads(f)', 2, arguments.length);
    tensorList('valueAndGrads', xs);
    const { value, grads: gs } = runWithTape('valueAndGrads', xs, () => f(...xs), dy);
    return { value, grads: gs.map((g, i) => orZeros('valueAndGrads', g, xs[i])) };
  };
}

/** @internal Where variableGrads's gradients-by-name keep their variables: name -> Variable. */
export const GRADIENT_VARIABLES = Symbol('variables of these gradients');

/**
 * f() (a scalar) and its gradient for each trainable Variable it used (or for those in
 * varList), keyed by variable name; `variables` lists those Variables in the same order.
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor>; variables: Variable[] } {
  if (arguments.length > 2) throw tooManyArguments('variableGrads', 2, arguments.length);
  const op = 'variableGrads';
  checkFunction(op, 'f', f);
  if (varList !== undefined && !Array.isArray(varList)) throw new Error(`${op}: expected varList to be an array of Variables, got ${describe(varList)}`);
  if (varList !== undefined) checkNoHoles(op, 'varList', varList);
  varList?.forEach((v, i) => {
    if (!(v instanceof Variable)) throw new Error(`${op}: expected varList to hold Variables, got ${describe(v)} at index ${i}`);
  });
  const tracked = (varList ?? []).filter((v) => v.trainable);
  return onFreshTape(
    varList === undefined,
    tracked,
    () => returnedTensor(op, f()),
    (tape, value) => {
      const sources = (varList ?? tape.accessedVariables).filter((v) => v.trainable);
      const gs = backward(tape, op, value, sources);
      const result: Record<string, Tensor> = {};
      const variables: Variable[] = [];
      sources.forEach((v, i) => {
        const g = gs[i];
        if (g) {
          if (v.name in result) {
            dispose([value, ...gs.filter((t): t is Tensor => t !== null)]);
            throw new Error(`${op}: two variables are named '${v.name}', so their gradients cannot both be keyed by name; give them distinct names`);
          }
          result[v.name] = g;
          variables.push(v);
        }
      });
      // applyGradients(grads) finds the variables behind the names here (TensorFlow.js's
      // optimizer.applyGradients(variableGrads(f).grads) habit).
      Object.defineProperty(result, GRADIENT_VARIABLES, { value: new Map(variables.map((v) => [v.name, v])) });
      return { value, grads: result, variables };
    },
  );
}

/** x as a new tensor through which no gradient flows. */
export function stopGradient(x: Tensor): Tensor {
  if (arguments.length > 1) throw tooManyArguments('stopGradient', 1, arguments.length);
  if (!(x instanceof Tensor)) throw new Error(`stopGradient: expected a Tensor, got ${describe(x)}`);
  if (x.isDisposed) throw new Error(`stopGradient: x (shape [${x.shape.join(', ')}]) is a disposed tensor`);
  return viewOf(x, [...x.shape]);
}

/** What a customGrad function returns: its value and its gradient rule. */
export interface CustomGradResult {
  /** The function's output. */
  value: Tensor;
  /** Gradients of the inputs given the upstream gradient and the tensors passed to save(). */
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/**
 * A function with a gradient you write yourself (TensorFlow.js's customGrad): f receives
 * the inputs and a `save` callback for tensors the gradient needs.
 * @example
 * const clipGrad = customGrad((x, save) => { save([x]); return { value: x, gradFunc: (dy) => clipByValue(dy, -1, 1) }; });
 */
export function customGrad(f: (...args: any[]) => CustomGradResult): (...inputs: Tensor[]) => Tensor {
  const op = 'customGrad';
  checkFunction(op, 'f', f);
  return (...inputs: Tensor[]) => {
    if (inputs.length === 0) throw new Error(`${op}: expected at least one input Tensor (gradFunc's gradients go to the inputs), got none`);
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new Error(`${op}: expected input ${i} to be a Tensor, got ${describe(x)}`);
    });
    let saved: Tensor[] = [];
    const save = (ts: Tensor[]) => {
      saved = ts;
    };
    const result: unknown = callCustom(f, inputs, save);
    if (result === null || typeof result !== 'object') throw new Error(`${op}: f must return {value: Tensor, gradFunc}, got ${describe(result)}`);
    const { value, gradFunc } = result as CustomGradResult;
    if (!(value instanceof Tensor)) throw new Error(`${op}: f must return {value: Tensor, gradFunc}, got value ${describe(value)}`);
    if (typeof gradFunc !== 'function') throw new Error(`${op}: f must return {value, gradFunc: (dy, saved) => gradients}, got gradFunc ${describe(gradFunc)}`);
    // A fresh id for the output, so that the tape sees a new tensor even when f returns an input.
    const out = viewOf(value, [...value.shape]);
    if (!inputs.includes(value)) value.dispose();
    recordOp('customGrad', inputs, [out], {
      save: saved,
      grad: ([dy], kept) => {
        const g = gradFunc(dy, kept);
        const list = Array.isArray(g) ? g : [g];
        if (list.length !== inputs.length) throw new Error(`customGrad: gradFunc returned ${list.length} gradients for ${inputs.length} inputs`);
        return list;
      },
    });
    return out;
  };
}

// f(...inputs, save): called with more inputs than f declares before `save`, f finds a
// tensor where it expects save (or save where it expects a tensor) and fails with a
// TypeError from its own body. Say why, keeping that error as the cause.
function callCustom(f: (...args: any[]) => CustomGradResult, inputs: Tensor[], save: (ts: Tensor[]) => void): unknown {
  try {
    return noGrad(() => f(...inputs, save));
  } catch (e) {
    // f.length 0: rest parameters, its arity unknown.
    if (!(e instanceof TypeError) || f.length === 0 || f.length === inputs.length + 1) throw e;
    throw new Error(
      `customGrad: f declares ${f.length} parameter(s) but was called with ${inputs.length} input(s) and then save, as f(...inputs, save); ` +
        `it failed with a TypeError (see cause): check the number of inputs`,
      { cause: e },
    );
  }
}
