// TensorFlow.js's dimRoundingMode: under numeric or explicit padding, the output size
// (in + before + after - window) / stride + 1 is rounded by 'floor', 'round' or 'ceil'
// (Caffe's pooling rounds up) instead of truncated. A size rounded up gets a longer
// `after` pad, so the kernels run the extra window over zeros (pooling skips them).
import { describe } from '../tensor/shape';
import type { DimRoundingMode } from './op_options';
import { explicitPads } from './padding';

const ROUND: Record<DimRoundingMode, (v: number) => number> = { floor: Math.floor, round: Math.round, ceil: Math.ceil };

/**
 * [before, after] per spatial axis of `padding` under `mode` ([[top, bottom], [left, right]]),
 * or null for 'valid' / 'same' without a mode. `sizes`, `windows` (dilated) and `strides`
 * per axis. A mode with string padding is an error, as in TensorFlow.js.
 */
export function roundedPads(
  op: string,
  padding: unknown,
  mode: unknown,
  sizes: number[],
  windows: number[],
  strides: number[],
): [[number, number], [number, number]] | null {
  const pads = explicitPads(op, padding);
  if (mode === undefined) return pads;
  if (mode !== 'floor' && mode !== 'round' && mode !== 'ceil')
    throw new Error(`${op}: expected dimRoundingMode 'floor', 'round' or 'ceil', got ${describe(mode)}`);
  if (pads === null)
    throw new Error(`${op}: dimRoundingMode '${mode}' takes a numeric or explicit pad (it rounds their output size), got pad ${describe(padding)}`);
  const axes = ['height', 'width'];
  const out = pads.map(([before, after], i): [number, number] => {
    const extent = sizes[i] + before + after;
    if (extent < windows[i]) return [before, after]; // too small: the op's own check reports it
    const floor = Math.floor((extent - windows[i]) / strides[i]) + 1;
    const rounded = ROUND[mode]((extent - windows[i]) / strides[i] + 1);
    if (rounded === floor) return [before, after];
    // The last window starts at (rounded - 1) * stride in the padded input.
    const start = (rounded - 1) * strides[i];
    if (start >= sizes[i] + before) {
      throw new Error(
        `${op}: dimRoundingMode '${mode}' would add a ${axes[i]} window of padding alone (input ${sizes[i]}, window ${windows[i]}, stride ${strides[i]}, pads [${before}, ${after}]); TensorFlow.js fills it with -Infinity or NaN`,
      );
    }
    return [before, start + windows[i] - sizes[i] - before];
  });
  return [out[0], out[1]];
}
