// Keras 3.15's ops.rearrange (einops's rearrange, as far as Keras takes it): a pattern
// 'b (h w) c -> b h w c' names the input's axes, splits grouped ones (their lengths given
// or one of them inferred), permutes, and merges the output's groups: one reshape, one
// transpose, one reshape. Every axis on one side must appear once on the other.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { transpose } from './transpose';

// 'b (h w) c' -> [['b'], ['h', 'w'], ['c']]; a bare name is a group of one.
function parseSide(op: string, pattern: string, side: string, which: string): string[][] {
  const groups: string[][] = [];
  const seen = new Set<string>();
  const token = /\s*(\(|\)|[A-Za-z_]\w*|\S)/gy;
  let open: string[] | null = null;
  let m: RegExpExecArray | null;
  const fail = (what: string): never => {
    throw new Error(`${op}: ${what} in the ${which} of pattern ${quoted(pattern)}`);
  };
  while ((m = token.exec(side)) !== null) {
    const t = m[1];
    if (t === '(') {
      if (open) fail("nested '('");
      open = [];
    } else if (t === ')') {
      if (!open) fail("')' without '('");
      groups.push(open!);
      open = null;
    } else if (/^[A-Za-z_]\w*$/.test(t)) {
      if (seen.has(t)) fail(`axis ${t} named twice`);
      seen.add(t);
      if (open) open.push(t);
      else groups.push([t]);
    } else {
      fail(`${quoted(t)} (axes are names like b or h1, grouped in parentheses; '...' and numbers are not supported)`);
    }
  }
  if (open) fail("'(' without ')'");
  if (side.trim() === '' && which === 'input') fail('no axes');
  return groups;
}

/**
 * Keras's rearrange: x's axes regrouped and reordered as `pattern` says, einops-style.
 * `axesLengths` gives the lengths of axes that a grouped input axis splits into (one per
 * group may be left out and is inferred).
 * @example rearrange(images, 'b h w c -> b c h w')
 * @example rearrange(images, 'b (h1 h) (w1 w) c -> (b h1 w1) h w c', { h1: 2, w1: 2 })
 */
export function rearrange(x: TensorLike, pattern: string, axesLengths?: Record<string, number> | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('rearrange', 3, arguments.length);
  const op = 'rearrange';
  if (typeof pattern !== 'string') throw new Error(`${op}: expected pattern to be a string like 'b h w c -> b c h w', got ${describe(pattern)}`);
  const lengths = axesLengths ?? {};
  if (typeof lengths !== 'object' || Array.isArray(lengths))
    throw new Error(`${op}: expected axesLengths to be an object of axis lengths ({ h: 2 }), got ${describe(axesLengths)}`);
  const sides = pattern.split('->');
  if (sides.length !== 2) throw new Error(`${op}: expected one '->' in pattern, got ${quoted(pattern)}`);
  const input = parseSide(op, pattern, sides[0], 'input');
  const output = parseSide(op, pattern, sides[1], 'output');
  const inNames = input.flat();
  const outNames = output.flat();
  for (const n of outNames) if (!inNames.includes(n)) throw new Error(`${op}: axis ${n} of the output is not in the input of pattern ${quoted(pattern)}`);
  for (const n of inNames) if (!outNames.includes(n)) throw new Error(`${op}: axis ${n} of the input is missing from the output of pattern ${quoted(pattern)}`);
  for (const [k, v] of Object.entries(lengths)) {
    if (!inNames.includes(k)) throw new Error(`${op}: axesLengths names ${k}, which pattern ${quoted(pattern)} does not (its axes: ${inNames.join(', ')})`);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${op}: expected axesLengths.${k} to be a positive integer, got ${describe(v)}`);
  }
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (t.rank !== input.length) {
        throw new Error(`${op}: pattern ${quoted(pattern)} names ${input.length} input axes, x has shape [${t.shape.join(', ')}] (rank ${t.rank})`);
      }
      const size = new Map<string, number>();
      input.forEach((group, i) => {
        const dim = t.shape[i];
        if (group.length === 0) throw new Error(`${op}: an empty group '()' in the input of pattern ${quoted(pattern)}`);
        const unknown = group.filter((n) => lengths[n] === undefined);
        if (group.length === 1 && unknown.length === 1) return size.set(group[0], dim);
        if (unknown.length > 1)
          throw new Error(
            `${op}: the group (${group.join(' ')}) of length ${dim} needs the lengths of all but one of its axes, got none for ${unknown.join(' and ')}`,
          );
        const known = group.filter((n) => lengths[n] !== undefined).reduce((p, n) => p * lengths[n], 1);
        const inferred = unknown.length === 1 ? dim / known : 1;
        if (!Number.isInteger(inferred) || (unknown.length === 0 && known !== dim)) {
          throw new Error(
            `${op}: axis ${i} of length ${dim} does not split into (${group.join(' ')}) with ${group.map((n) => `${n}=${lengths[n] ?? '?'}`).join(', ')}`,
          );
        }
        group.forEach((n) => size.set(n, lengths[n] ?? inferred));
      });
      const split = reshape(
        t,
        inNames.map((n) => size.get(n)!),
      );
      const moved = transpose(
        split,
        outNames.map((n) => inNames.indexOf(n)),
      );
      return reshape(
        moved,
        output.map((g) => g.reduce((p, n) => p * size.get(n)!, 1)),
      );
    }),
  );
}
