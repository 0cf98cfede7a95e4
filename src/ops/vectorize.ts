// Keras's ops.vectorize (numpy.vectorize, as jax.numpy.vectorize): a function of single
// entries, or of core blocks named by a signature such as '(m,n),(n)->(m)', applied over
// the broadcast leading (loop) dimensions of its arguments with vectorizedMap.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { checkFunction } from '../tensor/check_function';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { broadcastShapes, describe, quoted } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { vectorizedMap } from './control_flow';
import { toTensor } from './convert';
import { mapNest } from './nest';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { broadcastTo } from './tile';
import { everyEntry } from '../options/every_entry';

/** Options of vectorize (Keras's keyword arguments). */
export interface VectorizeOptions {
  /** Positions of arguments passed to the function as they are, not vectorized over. */
  excluded?: number[] | null;
  /** Core dimensions, NumPy's generalized-ufunc signature: '(m,n),(n)->(m)'; default: every argument entry by entry, '(),()->()'. */
  signature?: string | null;
}

const GROUP = /\(\s*(\w+(?:\s*,\s*\w+)*)?\s*,?\s*\)/g;

// '(m,n),(n)' -> [['m', 'n'], ['n']], refusing anything else.
function parseGroups(op: string, side: string, signature: string): string[][] {
  const compact = side.replace(/\s+/g, '');
  if (!/^(\((\w+(,\w+)*)?\))(,\((\w+(,\w+)*)?\))*$/.test(compact)) {
    throw new Error(`${op}: expected signature like '(m,n),(n)->(m)', got ${quoted(signature)} (could not read ${quoted(side.trim())})`);
  }
  return [...compact.matchAll(GROUP)].map((m) => (m[1] ? m[1].split(',') : []));
}

function parseSignature(op: string, signature: string): { inputs: string[][]; outputs: string[][] } {
  const sides = signature.split('->');
  if (sides.length !== 2) throw new Error(`${op}: expected signature like '(m,n),(n)->(m)' with one '->', got ${quoted(signature)}`);
  return { inputs: parseGroups(op, sides[0], signature), outputs: parseGroups(op, sides[1], signature) };
}

/**
 * Keras's vectorize: func, written for one entry (or, with a signature, one block of core
 * dimensions) of each argument, as a function over whole tensors: the arguments' leading
 * dimensions broadcast together and func runs on each entry, its results stacked into them.
 * Arguments at `excluded` positions go to func as they are.
 * @example vectorize((a, b) => dot(a, b), { signature: '(n),(n)->()' })(x, y) // rows' dot products
 */
export function vectorize(func: (...args: never[]) => unknown, options?: VectorizeOptions | null): (...args: unknown[]) => unknown {
  if (arguments.length > 2) throw tooManyArguments('vectorize', 2, arguments.length);
  const op = 'vectorize';
  checkFunction(op, 'func', func);
  const { excluded, signature } = checkOptions(op, options ?? {}, ['excluded', 'signature']);
  const skip = excluded ?? [];
  if (!Array.isArray(skip) || !everyEntry(skip, (i) => Number.isInteger(i) && i >= 0)) {
    throw new Error(`${op}: expected excluded to be an array of argument positions (non-negative integers), got ${describe(excluded)}`);
  }
  if (signature !== undefined && signature !== null && typeof signature !== 'string') {
    throw new Error(`${op}: expected signature to be a string like '(m,n),(n)->(m)', got ${describe(signature)}`);
  }
  const parsed = signature ? parseSignature(op, signature) : null;
  return (...args: unknown[]) =>
    asOp(op, () =>
      tidy(() => {
        const positions = args.map((_, i) => i).filter((i) => !skip.includes(i));
        if (parsed && parsed.inputs.length !== positions.length) {
          throw new Error(`${op}: signature ${quoted(signature)} has ${parsed.inputs.length} inputs, got ${positions.length} vectorized arguments`);
        }
        const tensors = positions.map((i) => toTensor(op, `args[${i}]`, args[i] as TensorLike));
        // Core sizes by name, the same wherever a name appears.
        const sizes = new Map<string, number>();
        const cores = tensors.map((t, k) => {
          const names = parsed ? parsed.inputs[k] : [];
          if (t.rank < names.length)
            throw new Error(`${op}: args[${positions[k]}] of shape [${t.shape.join(', ')}] has fewer than ${names.length} core dimensions`);
          const core = t.shape.slice(t.rank - names.length);
          names.forEach((name, j) => {
            const seen = sizes.get(name);
            if (seen !== undefined && seen !== core[j])
              throw new Error(`${op}: core dimension ${name} is ${seen} in one argument and ${core[j]} in args[${positions[k]}]`);
            sizes.set(name, core[j]);
          });
          return core;
        });
        const loop = tensors.reduce<number[]>((s, t, k) => broadcastShapes(op, s, t.shape.slice(0, t.rank - cores[k].length)), []);
        const count = loop.reduce((a, b) => a * b, 1);
        const flat = tensors.map((t, k) => reshape(broadcastTo(t, [...loop, ...cores[k]]), [count, ...cores[k]]));
        const call = (slices: Tensor[]) => {
          const full = [...args];
          positions.forEach((i, k) => (full[i] = slices[k]));
          return (func as (...a: unknown[]) => unknown)(...full);
        };
        const stacked = vectorizedMap(call as (x: never) => unknown, flat);
        return mapNest(stacked, (leaf) => {
          const t = leaf as Tensor;
          return reshape(t, [...loop, ...t.shape.slice(1)]);
        });
      }),
    );
}
