// Keras's padding rules for windows (convolution, pooling): output sizes and explicit
// [before, after] pads per spatial dimension.
import { describe, quoted } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** How a window op pads its input: Keras's 'valid', 'same', and 'causal' (conv1d). */
export type PaddingMode = 'valid' | 'same' | 'causal';

export interface WindowGeometry {
  out: number;
  before: number;
  after: number;
}

/** Output size and pads of one spatial dimension, as Keras computes them. */
export function windowGeometry(op: string, size: number, kernel: number, stride: number, dilation: number, padding: PaddingMode): WindowGeometry {
  const effective = dilation * (kernel - 1) + 1;
  if (padding === 'valid') {
    const out = Math.floor((size - effective) / stride) + 1;
    if (out <= 0) throw new Error(`${op}: the window (${effective} with dilation) is larger than the input (${size}) with 'valid' padding`);
    return { out, before: 0, after: 0 };
  }
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + effective - size, 0);
    // The odd pixel goes after (bottom / right), as TensorFlow does.
    return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
  }
  if (padding === 'causal') {
    const before = effective - 1;
    return { out: Math.floor((size + before - effective) / stride) + 1, before, after: 0 };
  }
  throw new Error(`${op}: expected padding 'valid' or 'same'${op.includes('1d') ? " or 'causal'" : ''}, got ${quoted(padding)}`);
}

/** 'valid' or 'same', or an error naming the op (the 2-D and 3-D window ops take no 'causal'). */
export function checkPaddingName(op: string, padding: unknown): 'valid' | 'same' {
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: expected padding 'valid' or 'same', got ${describe(padding)}`);
  return padding;
}

/** A number or pair as a pair (Keras accepts `strides: 2` for `[2, 2]`). */
export function pair(op: string, name: string, v: number | [number, number] | number[]): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !everyEntry(p, (x) => Number.isInteger(x) && x > 0)) {
    throw new Error(`${op}: expected ${name} to be a positive integer or a pair of them, got ${describe(v)}`);
  }
  return [p[0], p[1]];
}

/** A number or triple as a triple ([depth, height, width] of the 3-D window ops). */
export function triple(op: string, name: string, v: number | [number, number, number] | number[]): [number, number, number] {
  const t = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(t) || t.length !== 3 || !everyEntry(t, (x) => Number.isInteger(x) && x > 0)) {
    throw new Error(`${op}: expected ${name} to be a positive integer or an array of 3 of them ([depth, height, width]), got ${describe(v)}`);
  }
  return [t[0], t[1], t[2]];
}

/**
 * TensorFlow.js's explicit padding of NHWC images: `[[0, 0], [top, bottom], [left, right], [0, 0]]`,
 * also taken as `[[top, bottom], [left, right]]`.
 */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]] | [[number, number], [number, number]];

const isPadPair = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && everyEntry(p, (v) => Number.isInteger(v) && v >= 0);

/**
 * [[top, bottom], [left, right]] of TensorFlow.js's numeric (every side) or explicit padding;
 * null for 'valid' and 'same'; an error naming the op for anything else.
 */
export function explicitPads(op: string, padding: unknown): [[number, number], [number, number]] | null {
  if (padding === 'valid' || padding === 'same' || padding === undefined) return null;
  if (typeof padding === 'number' && Number.isInteger(padding) && padding >= 0) {
    return [
      [padding, padding],
      [padding, padding],
    ];
  }
  if (Array.isArray(padding) && everyEntry(padding, isPadPair)) {
    if (padding.length === 2) return [padding[0], padding[1]];
    if (padding.length === 4 && everyEntry(padding[0], (v) => v === 0) && everyEntry(padding[3], (v) => v === 0)) return [padding[1], padding[2]];
  }
  throw new Error(
    `${op}: expected padding 'valid', 'same', a non-negative integer, or [[0, 0], [top, bottom], [left, right], [0, 0]] (or [[top, bottom], [left, right]]) of non-negative integers, got ${describe(padding)}`,
  );
}

/**
 * Output size of one spatial dimension under TensorFlow.js's numeric or explicit padding:
 * the windows that fit in the padded input. A pad as wide as the (dilated) window would
 * make windows of padding alone, and is refused (so is a hostile 2**32 before allocating).
 */
export function explicitGeometry(
  op: string,
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  pads: [number, number],
  axis: string,
): WindowGeometry {
  const [before, after] = pads;
  const effective = dilation * (kernel - 1) + 1;
  if (before >= effective || after >= effective) {
    throw new Error(
      `${op}: expected each ${axis} pad to be smaller than the window (${effective}${dilation > 1 ? ' with dilation' : ''}), got [${before}, ${after}]`,
    );
  }
  const extent = size + before + after;
  if (effective > extent)
    throw new Error(`${op}: the window (${effective}${dilation > 1 ? ' with dilation' : ''}) is larger than the padded input (${extent}) along ${axis}`);
  return { out: Math.floor((extent - effective) / stride) + 1, before, after };
}
