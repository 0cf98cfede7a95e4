// keras.ops.ctc_decode: the label sequences a CTC model's logits spell, by the best class
// of each step (greedy) or by a prefix beam search over label sequences.
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { ctcLogits, integerOption, integerValues, logSoftmaxRows } from './ctc_inputs';

/** Options of ctcDecode. */
export interface CtcDecodeOptions {
  /** 'greedy' (the best class per step, the default) or 'beam_search'. */
  strategy?: 'greedy' | 'beam_search';
  /** The beams kept per step by 'beam_search' (default 100). */
  beamWidth?: number;
  /** The best sequences 'beam_search' returns (default 1). */
  topPaths?: number;
  /** 'greedy' merges a class repeated on consecutive steps into one label (default true). */
  mergeRepeated?: boolean;
  /** The blank class (default 0; null: the last class). */
  maskIndex?: number | null;
}

const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};

interface Problem {
  data: ArrayLike<number>;
  lengths: Int32Array;
  batch: number;
  maxTime: number;
  classes: number;
  blank: number;
}

// Greedy: the argmax class of each valid step, repeats merged, blanks dropped; the score
// is minus the sum of the chosen logits (as Keras and TensorFlow).
function greedy({ data, lengths, batch, maxTime, classes, blank }: Problem, mergeRepeated: boolean): [Int32Array, Float64Array] {
  const paths = new Int32Array(batch * maxTime).fill(-1);
  const scores = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let written = 0;
    let previous = -1;
    for (let t = 0; t < maxTime; t++) {
      let best = blank;
      if (t < lengths[b]) {
        const row = (b * maxTime + t) * classes;
        best = 0;
        for (let k = 1; k < classes; k++) if (Number(data[row + k]) > Number(data[row + best])) best = k;
        scores[b] -= Number(data[row + best]);
      }
      const repeat = mergeRepeated && t > 0 && best === previous;
      previous = best;
      if (best !== blank && !repeat) paths[b * maxTime + written++] = best;
    }
  }
  return [paths, scores];
}

interface Beam {
  prefix: number[];
  /** Log-probability of the prefix's alignments that end on its last label. */
  emit: number;
  /** Log-probability of those that end on a blank. */
  blank: number;
}

const total = (beam: Beam) => logAdd(beam.emit, beam.blank);

function pruned(beams: Map<string, Beam>, width: number): Beam[] {
  return [...beams.values()].sort((x, y) => total(y) - total(x)).slice(0, width);
}

// Prefix beam search over one sample's log-probabilities [time, classes]: a blank keeps
// the prefix, the last label repeated right after itself merges into it, any other class
// (or a repeat after a blank) extends it; equal prefixes add up.
function beamSearchSample(logp: Float64Array, steps: number, classes: number, blank: number, width: number): Beam[] {
  if (logp.length === 0) return [];
  const add = (next: Map<string, Beam>, prefix: number[], score: number, isBlank: boolean) => {
    const key = prefix.join(',');
    const beam = next.get(key) ?? { prefix, emit: -Infinity, blank: -Infinity };
    if (isBlank) beam.blank = logAdd(beam.blank, score);
    else beam.emit = logAdd(beam.emit, score);
    next.set(key, beam);
  };
  const first = new Map<string, Beam>();
  for (let k = 0; k < classes; k++) add(first, k === blank ? [] : [k], logp[k], k === blank);
  let beams = pruned(first, width);
  // Keras reads the first step whatever the length, and no step past it.
  for (let t = 1; t < steps; t++) {
    const next = new Map<string, Beam>();
    const row = t * classes;
    for (const beam of beams) {
      const whole = total(beam);
      const last = beam.prefix.length > 0 ? beam.prefix[beam.prefix.length - 1] : -1;
      for (let k = 0; k < classes; k++) {
        const lp = logp[row + k];
        if (k === blank) add(next, beam.prefix, whole + lp, true);
        else if (k === last) {
          add(next, beam.prefix, beam.emit + lp, false);
          add(next, [...beam.prefix, k], beam.blank + lp, false);
        } else add(next, [...beam.prefix, k], whole + lp, false);
      }
    }
    beams = pruned(next, width);
  }
  return beams;
}

function beamSearch(p: Problem, width: number, topPaths: number): [Int32Array, Float64Array] {
  const { data, lengths, batch, maxTime, classes, blank } = p;
  const logp = logSoftmaxRows(data, batch * maxTime, classes);
  const paths = new Int32Array(topPaths * batch * maxTime).fill(-1);
  const scores = new Float64Array(batch * topPaths).fill(-Infinity);
  const stride = maxTime * classes;
  for (let b = 0; b < batch; b++) {
    const beams = beamSearchSample(logp.subarray(b * stride, (b + 1) * stride), lengths[b], classes, blank, width);
    beams.slice(0, topPaths).forEach((beam, i) => {
      paths.set(beam.prefix, (i * batch + b) * maxTime);
      scores[b * topPaths + i] = total(beam);
    });
  }
  return [paths, scores];
}

/**
 * Decodes CTC logits [batch, maxTime, classes] (as keras.ops.ctc_decode).
 * @returns [decoded, scores]: decoded int32 [paths, batch, maxTime], labels first and -1
 *   after them (paths is 1 for 'greedy', topPaths for 'beam_search'); scores [batch, paths],
 *   minus the sum of the chosen logits for 'greedy', the log-probability of each sequence
 *   for 'beam_search'.
 * @example const [decoded] = ctcDecode(logits, [4, 3]); // decoded.shape: [1, 2, 4]
 */
export function ctcDecode(inputs: TensorLike, sequenceLengths: TensorLike, options: CtcDecodeOptions = {}): [Tensor, Tensor] {
  if (arguments.length > 3) throw tooManyArguments('ctcDecode', 3, arguments.length);
  const op = 'ctcDecode';
  options = checkOptions(op, options, 'ctcDecode');
  const { strategy = 'greedy', beamWidth = 100, topPaths = 1, mergeRepeated = true } = options;
  if (strategy !== 'greedy' && strategy !== 'beam_search') throw new Error(`${op}: expected strategy 'greedy' or 'beam_search', got ${describe(strategy)}`);
  if (typeof mergeRepeated !== 'boolean') throw new Error(`${op}: expected mergeRepeated to be true or false, got ${describe(mergeRepeated)}`);
  const width = integerOption(op, 'beamWidth', beamWidth, 1, 2 ** 31 - 1);
  const top = integerOption(op, 'topPaths', topPaths, 1, width);
  return tidy(() => {
    const logits = ctcLogits(op, 'inputs', inputs);
    const [batch, maxTime, classes] = logits.shape;
    const blank = options.maskIndex === null ? classes - 1 : integerOption(op, 'maskIndex', options.maskIndex ?? 0, 0, classes - 1);
    const lengths = integerValues(op, 'sequenceLengths', sequenceLengths, [batch], 0, maxTime);
    const problem: Problem = { data: logits.dataSync(), lengths, batch, maxTime, classes, blank };
    const [paths, scores] = strategy === 'greedy' ? greedy(problem, mergeRepeated) : beamSearch(problem, width, top);
    const count = strategy === 'greedy' ? 1 : top;
    const outScores = allocTypedArray(logits.dtype, scores.length);
    outScores.set(scores);
    return [fromTypedArray(paths, [count, batch, maxTime], 'int32', logits.device), fromTypedArray(outScores, [batch, count], logits.dtype, logits.device)] as [
      Tensor,
      Tensor,
    ];
  });
}
