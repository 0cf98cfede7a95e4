// Recognizing raw JS strings (the way strings travel: see string_input.ts), kept apart
// from the layer classes so that Layer itself can refuse them.
import { describe } from '../../tensor/shape';

/** A batch of raw strings: one per sample, or a row of tokens per sample. */
export type StringBatch = string[] | string[][];

/** True for an array whose first leaf is a string. */
export function isStringBatch(v: unknown): v is StringBatch {
  if (!Array.isArray(v) || v.length === 0) return false;
  const first = v[0];
  return typeof first === 'string' || (Array.isArray(first) && first.length > 0 && typeof first[0] === 'string');
}

/** Rows of strings: a string[] batch becomes one-element rows. Checks every leaf. */
export function stringRows(op: string, batch: StringBatch): string[][] {
  return (batch as unknown[]).map((row, i) => {
    const r = Array.isArray(row) ? row : [row];
    for (const s of r) if (typeof s !== 'string') throw new Error(`${op}: expected strings, got ${describe(s)} in sample ${i}`);
    return r as string[];
  });
}

/** The error for strings reaching a layer that computes on tensors. */
export function stringsRefused(name: string): Error {
  return new Error(
    `${name}: got JS strings, but this layer takes tensors; strings go to a string-taking layer (textVectorization, stringLookup, hashing) ` +
      'applied directly, or to a model whose first layer is one',
  );
}
