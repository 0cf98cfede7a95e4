// timeseriesDatasetFromArray: sliding windows over a series, Keras 3's
// keras.utils.timeseries_dataset_from_array. Window i starts at row start + p_i of `data`
// (p_i = 0, stride, 2 * stride, ... while the window fits before endIndex) and holds rows
// start + p_i + k * samplingRate for k < sequenceLength; its target is targets[start + p_i].
import { tooManyArguments } from '../options/arity';
import { gather } from '../ops/gather';
import { reshape } from '../ops/reshape';
import { tensor, type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { checkNoHoles, describe } from '../tensor/shape';
import { checkOptions } from '../options/check';
import { Dataset, shuffled, type Element } from './dataset';
import { drawSeed } from '../tensor/seeded_random';

/** Options of timeseriesDatasetFromArray (Keras 3 names in camelCase). */
export interface TimeseriesOptions {
  /** Rows per window (required). */
  sequenceLength: number;
  /** Rows between the starts of consecutive windows; default 1. */
  sequenceStride?: number;
  /** Rows between consecutive steps inside a window; default 1. */
  samplingRate?: number;
  /** Windows per batch; default 128; null yields single windows. */
  batchSize?: number | null;
  /** Shuffle the windows (anew each pass); default false. */
  shuffle?: boolean;
  /** Seed of the shuffle. */
  seed?: number;
  /** First row used (inclusive); default 0. */
  startIndex?: number;
  /** Last row used (exclusive); default the data's length. */
  endIndex?: number;
}

const OP = 'data.timeseriesDatasetFromArray';

/**
 * Windows of `data` (rows along the first axis), each paired with targets[start of window]
 * when targets are given (null: windows only).
 * @example timeseriesDatasetFromArray(series.slice(0, -10), series.slice(10), {sequenceLength: 10})
 */
export function timeseriesDatasetFromArray(data: TensorLike, targets: TensorLike | null, options: TimeseriesOptions): Dataset<Element> {
  if (arguments.length > 3) throw tooManyArguments('data.timeseriesDatasetFromArray', 3, arguments.length);
  if (options === undefined) throw new Error(`${OP}: expected options with at least sequenceLength`);
  options = checkOptions(OP, options, OP);
  const x = asSeries('data', data);
  const y = targets === null || targets === undefined ? null : asSeries('targets', targets);
  const length = x.shape[0];
  const sequenceLength = integer('sequenceLength', options.sequenceLength, 1);
  const stride = integer('sequenceStride', options.sequenceStride ?? 1, 1);
  const rate = integer('samplingRate', options.samplingRate ?? 1, 1);
  const batchSize = options.batchSize === null ? null : integer('batchSize', options.batchSize ?? 128, 1);
  const start = integer('startIndex', options.startIndex ?? 0, 0);
  if (start >= length) throw new Error(`${OP}: expected 0 <= startIndex < the data's length ${length}, got ${start}`);
  const end = integer('endIndex', options.endIndex ?? length, 0);
  if (end <= start || end > length) throw new Error(`${OP}: expected startIndex ${start} < endIndex <= the data's length ${length}, got ${end}`);
  if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean')
    throw new Error(`${OP}: expected shuffle to be a boolean, got ${describe(options.shuffle)}`);
  let windows = end - start - (sequenceLength - 1) * rate;
  if (y) windows = Math.min(windows, y.shape[0] - start);
  const positions: number[] = [];
  for (let p = 0; p < windows; p += stride) positions.push(start + p);
  const seed = drawSeed(OP, options.seed);
  let iteration = 0;
  const perBatch = batchSize ?? 1;
  const count = Math.ceil(positions.length / perBatch);
  return new Dataset<Element>(async function* () {
    const order = options.shuffle ? shuffled(positions, seed + iteration++) : positions;
    for (let b = 0; b < count; b++) {
      const starts = order.slice(b * perBatch, (b + 1) * perBatch);
      const rows: number[] = [];
      for (const s of starts) for (let k = 0; k < sequenceLength; k++) rows.push(s + k * rate);
      const windowsOf = windowBatch(x, rows, batchSize === null ? [sequenceLength] : [starts.length, sequenceLength]);
      if (!y) {
        yield windowsOf;
        continue;
      }
      const picked = gatherRows(y, starts);
      const target = batchSize === null ? reshape(picked, y.shape.slice(1)) : picked;
      if (target !== picked) picked.dispose();
      yield [windowsOf, target];
    }
  }, count);
}

function windowBatch(x: Tensor, rows: number[], lead: number[]): Tensor {
  const flat = gatherRows(x, rows);
  const out = reshape(flat, [...lead, ...x.shape.slice(1)]);
  flat.dispose();
  return out;
}

function gatherRows(x: Tensor, rows: number[]): Tensor {
  const idx = tensor(rows, [rows.length], 'int32');
  const out = gather(x, idx);
  idx.dispose();
  return out;
}

function asSeries(name: string, v: TensorLike): Tensor {
  if (v instanceof Tensor) {
    if (v.rank === 0) throw new Error(`${OP}: expected ${name} with a time axis first (rank >= 1), got a scalar`);
    return v;
  }
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new Error(`${OP}: expected ${name} to be a tensor or an array, got ${describe(v)}`);
  // tensor() would name itself, not this function, for a hole.
  checkNoHoles(OP, name, v);
  const t = tensor(v as never);
  if (t.rank === 0) throw new Error(`${OP}: expected ${name} with a time axis first (rank >= 1), got a scalar`);
  return t;
}

function integer(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${OP}: expected ${name} to be an integer >= ${min}, got ${describe(v)}`);
  return v;
}
