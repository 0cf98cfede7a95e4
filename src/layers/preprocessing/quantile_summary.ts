// The approximate quantiles of Keras's Discretization.adapt, step for step (its summarize,
// merge_summaries, compress_summary and get_bin_boundaries, float32 where NumPy stores
// float32), so that adapted boundaries are the ones Keras computes: a summary is a sorted
// list of values with weights (how many data values each stands for), compressed to about
// 1 / epsilon points as batches are merged in, then cut into numBins equal weights.
const f32 = Math.fround;

/** Values (ascending) and their weights, both float32 as NumPy holds them. */
export interface QuantileSummary {
  values: number[];
  weights: number[];
}

/** The empty summary adapt starts from. */
export const emptySummary = (): QuantileSummary => ({ values: [], weights: [] });

// np.sort's order: NaN last.
const ascending = (a: number, b: number): number => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b);

/** One batch's summary: every step-th sorted value, each weighing step (Keras's summarize). */
function summarize(batch: ArrayLike<number>, epsilon: number): QuantileSummary {
  const sorted = Array.from(batch, f32).sort(ascending);
  const step = Math.max(sorted.length / (1 / epsilon), 1);
  const values: number[] = [];
  for (let i = Math.trunc(step - 1); i < sorted.length; i += Math.trunc(step)) values.push(sorted[i]);
  return { values, weights: values.map(() => f32(step)) };
}

/** `summary` with the batch's values merged in, compressed to `epsilon` (Keras's update_state). */
export function addBatch(summary: QuantileSummary, batch: ArrayLike<number>, epsilon: number): QuantileSummary {
  const next = summarize(batch, epsilon);
  // Keras concatenates the batch's summary before the old one, then sorts by value.
  const values = [...next.values, ...summary.values];
  const weights = [...next.weights, ...summary.weights];
  const order = values.map((_, i) => i).sort((a, b) => ascending(values[a], values[b]));
  return compress({ values: order.map((i) => values[i]), weights: order.map((i) => weights[i]) }, epsilon);
}

/** The numBins - 1 boundaries of equal weight (fewer when the summary has fewer than numBins points, as in Keras). */
export function binBoundaries(summary: QuantileSummary, numBins: number): number[] {
  return compress(summary, 1 / numBins).values.slice(0, -1);
}

// Keras's compress_summary: new points at cumulative weight fractions epsilon, 2 epsilon, ...,
// by linear interpolation; a summary already within 1 / epsilon points is kept.
function compress(summary: QuantileSummary, epsilon: number): QuantileSummary {
  const n = summary.values.length;
  if (n * epsilon < 1) return summary;
  // np.arange(0.0, 1.0, epsilon) + epsilon.
  const percents = Array.from({ length: Math.ceil(1 / epsilon) }, (_, i) => epsilon + i * epsilon);
  const cumWeights: number[] = [];
  let sum = 0;
  for (const w of summary.weights) cumWeights.push((sum = f32(sum + w)));
  const total = cumWeights[n - 1];
  const fractions = cumWeights.map((c) => f32(c / total));
  const newValues = percents.map((p) => interp(p, fractions, summary.values));
  const newCum = percents.map((p) => interp(p, fractions, cumWeights));
  return { values: newValues.map(f32), weights: newCum.map((c, i) => f32(c - (i === 0 ? 0 : newCum[i - 1]))) };
}

/** np.interp at one point (xp ascending): fp's ends outside xp, exact at a knot, else the line between knots. */
function interp(x: number, xp: number[], fp: number[]): number {
  const last = xp.length - 1;
  if (x < xp[0]) return fp[0];
  if (x > xp[last]) return fp[last];
  // The largest j with xp[j] <= x.
  let lo = 0;
  let hi = xp.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x >= xp[mid]) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  if (j === last || xp[j] === x) return fp[j];
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  let y = slope * (x - xp[j]) + fp[j];
  // NumPy's fallbacks when one direction overflows to NaN.
  if (Number.isNaN(y)) {
    y = slope * (x - xp[j + 1]) + fp[j + 1];
    if (Number.isNaN(y) && fp[j] === fp[j + 1]) y = fp[j];
  }
  return y;
}
