// toString() of tensors, in TensorFlow.js's layout: nested brackets, columns aligned,
// long dimensions summarized with '...'.
import type { TypedArray } from './dtype';

const EDGE = 3; // items kept at each end of a summarized dimension
const SUMMARIZE_OVER = 1000; // tensors with more elements are summarized

function formatValue(v: number, isBool: boolean): string {
  if (isBool) return v ? 'true' : 'false';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return String(parseFloat(v.toPrecision(7)));
}

/** The values of a tensor as text, without the header. */
export function formatValues(values: TypedArray, shape: readonly number[], isBool: boolean): string {
  // Decided from the shape: an empty tensor's outer dimensions may be huge ([3e8, 0]),
  // and walking them would exhaust the heap or never end.
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return '[]';
  const summarize = size > SUMMARIZE_OVER;
  const strides: number[] = new Array(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const indices = (extent: number): (number | null)[] =>
    summarize && extent > 2 * EDGE
      ? [...Array.from({ length: EDGE }, (_, i) => i), null, ...Array.from({ length: EDGE }, (_, i) => extent - EDGE + i)]
      : Array.from({ length: extent }, (_, i) => i);
  let width = 0;
  const texts = new Map<number, string>();
  const visit = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      const t = formatValue(values[offset], isBool);
      texts.set(offset, t);
      width = Math.max(width, t.length);
      return;
    }
    for (const i of indices(shape[dim])) if (i !== null) visit(dim + 1, offset + i * strides[dim]);
  };
  visit(0, 0);
  if (shape.length === 0) return texts.get(0) ?? '';
  const render = (dim: number, offset: number, indent: string): string => {
    const items = indices(shape[dim]).map((i) => {
      if (i === null) return '...';
      if (dim === shape.length - 1) return (texts.get(offset + i * strides[dim]) ?? '').padStart(width);
      return render(dim + 1, offset + i * strides[dim], indent + ' ');
    });
    if (dim === shape.length - 1) return `[${items.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - dim - 1) + indent + ' ';
    return `[${items.join(sep)}]`;
  };
  return render(0, 0, '    ');
}
