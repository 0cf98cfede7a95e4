// compile(): the optimizer, one loss per output (with weights), and metrics per output,
// resolved from names or objects the way Keras 3 does.
import * as losses from '../losses';
import { Loss } from '../losses/loss';
import * as metrics from '../metrics';
import { Mean } from '../metrics/mean';
import { Metric } from '../metrics/metric';
import * as optimizers from '../optimizers';
import { Optimizer } from '../optimizers/optimizer';
import { add, mul } from '../ops/binary';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { CompiledAccuracy } from './compiled_accuracy';
import { CompiledSteps, checkJitCompile, type JitCompile } from '../compiled/compiled_step';
import { mapPacked } from '../tensor/packed_map';
import { everyEntry } from '../options/every_entry';
import { isTensor, toList, type TensorsLike } from './structures';

type LossId = losses.LossIdentifier;
type MetricId = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** What compile takes (TensorFlow.js names; Keras 3 behaviour). */
export interface CompileArgs {
  /** An Optimizer or a name ('adam', 'sgd', ...); default 'rmsprop', as in Keras 3. */
  optimizer?: Optimizer | string;
  /**
   * One loss for every output, a list (one per output) or an object keyed by output name;
   * null for an output that gets no loss (Keras 3's None: its targets may be left out).
   * Leave it out (or null) only when a custom trainStep computes its own loss (as Keras 3 allows).
   */
  loss?: LossId | (LossId | null)[] | { [output: string]: LossId | null } | null;
  /**
   * Metrics for every output, a list per output, or an object keyed by output name. As in
   * Keras 3 they ignore sampleWeight and classWeight; weightedMetrics take them.
   */
  metrics?: MetricId[] | MetricId[][] | { [output: string]: MetricId | MetricId[] };
  /**
   * Metrics weighted by sampleWeight (and classWeight), given as metrics are (Keras 3's
   * weighted_metrics). One that shares a metric's name logs as weighted_<name>.
   */
  weightedMetrics?: MetricId[] | MetricId[][] | { [output: string]: MetricId | MetricId[] };
  /** Weights of the outputs' losses in the total (list or object keyed by output name). */
  lossWeights?: number[] | { [output: string]: number };
  /**
   * Compiled training steps (Keras 3's jit_compile): each batch shape's step is recorded
   * once and replayed through one native plan (docs/COMPILED_STEP.md). true, false
   * (default) or 'auto' (compiled unless a distribution is active).
   */
  jitCompile?: JitCompile;
}

/** compile's result, kept on the model. */
export class CompiledState {
  readonly optimizer: Optimizer;
  /** True when the model disposes the optimizer: compile made it from a name (or a loader made it). */
  ownsOptimizer: boolean;
  /** The arguments compile received (saving writes the loss and metric names). */
  get compileArgs(): CompileArgs {
    return this.args;
  }
  /** The running mean of the total loss (Keras 3's loss tracker) and of each output's loss. */
  readonly lossTracker = new Mean({ name: 'loss' });
  // Per output; resolved once the output names are known (at compile for graph models,
  // at the first batch for subclassed ones).
  outputNames: string[] = [];
  /** Each output's loss; null for an output compiled with no loss. */
  losses: (Loss | null)[] = [];
  lossWeights: number[] = [];
  /** Each output's loss tracker; null for an output with no loss. */
  outputLossTrackers: (Mean | null)[] = [];
  /** Each output's compiled metrics, made when the output names are known. */
  private outputMetrics: Metric[][] = [];
  /** Each output's weighted metrics (weightedMetrics): updated with the sample weights. */
  private outputWeightedMetrics: Metric[][] = [];
  private bound = false;
  /** The compiled steps' plans (jitCompile), or null for eager steps. */
  readonly jit: CompiledSteps | null;

  constructor(
    private readonly args: CompileArgs,
    outputNames: string[] | null,
  ) {
    const op = 'compile';
    if (!args || typeof args !== 'object') throw new Error(`${op}: expected {optimizer, loss, metrics?}`);
    // Keras 3's default optimizer (compile() in its GAN guides, whose steps bring their own).
    const optimizer = args.optimizer ?? 'rmsprop';
    this.ownsOptimizer = !(optimizer instanceof Optimizer);
    this.optimizer = optimizer instanceof Optimizer ? optimizer : optimizers.get(optimizer as string);
    const jit = checkJitCompile(op, args.jitCompile);
    this.jit = jit === false ? null : new CompiledSteps(jit);
    if (outputNames !== null) this.bind(outputNames);
  }

  /** Resolves losses, weights and metrics for these outputs (once). */
  bind(outputNames: string[]): void {
    if (this.bound) return;
    const op = 'compile';
    const args = this.args;
    this.outputNames = outputNames;
    const n = outputNames.length;
    const lossIds =
      args.loss === undefined || args.loss === null
        ? []
        : perOutput(op, 'loss', args.loss, outputNames, (v) => typeof v === 'string' || typeof v === 'function' || v instanceof Loss);
    this.losses = lossIds.map((id) => (id === null ? null : losses.toLoss(id)));
    if (this.losses.length > 0 && this.losses.every((l) => l === null))
      throw new Error(`${op}: every output's loss is null; leave loss out when a custom trainStep computes its own`);
    const weights =
      args.lossWeights === undefined
        ? new Array(n).fill(1)
        : perOutput(op, 'lossWeights', args.lossWeights as never, outputNames, (v) => typeof v === 'number');
    weights.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isFinite(w)) throw new Error(`${op}: lossWeights for '${outputNames[i]}' must be a number, got ${describe(w)}`);
    });
    this.lossWeights = weights as number[];
    this.outputMetrics = this.metricSpecs('metrics', args.metrics).map((ids, i) => ids.map((id) => this.makeMetric(id, i)));
    // Keras 3: a weighted metric whose name a metric already has logs as weighted_<name>.
    const taken = new Set(this.outputMetrics.flat().map((m) => m.name));
    this.outputWeightedMetrics = this.metricSpecs('weightedMetrics', args.weightedMetrics).map((ids, i) =>
      ids.map((id) => {
        const m = this.makeMetric(id, i);
        if (taken.has(m.name)) m.name = `${n > 1 ? `${outputNames[i]}_` : ''}weighted_${m.name.slice(n > 1 ? outputNames[i].length + 1 : 0)}`;
        taken.add(m.name);
        return m;
      }),
    );
    this.outputLossTrackers = this.losses.map((l, i) => (l === null ? null : new Mean({ name: `${outputNames[i]}_loss` })));
    this.bound = true;
  }

  private metricSpecs(what: 'metrics' | 'weightedMetrics', m: CompileArgs['metrics']): MetricId[][] {
    const n = this.outputNames.length;
    if (m === undefined || m === null) return this.outputNames.map(() => []); // Keras's metrics=None
    const isId = (v: unknown) => typeof v === 'string' || typeof v === 'function' || v instanceof Metric;
    let lists: MetricId[][];
    if (isId(m))
      lists = this.outputNames.map(() => [m as MetricId]); // TensorFlow.js's metrics: 'accuracy'
    else if (Array.isArray(m) && everyEntry(m, isId)) lists = this.outputNames.map(() => m as MetricId[]);
    else if (Array.isArray(m)) {
      if (m.length !== n) throw new Error(`compile: expected ${what} as one list for all outputs, or ${n} lists (one per output), got ${m.length} lists`);
      lists = (m as MetricId[][]).map((l) => (Array.isArray(l) ? l : [l]));
    } else {
      if (typeof m !== 'object') throw new Error(`compile: expected ${what} as a list, a list per output or an object by output name, got ${describe(m)}`);
      for (const k of Object.keys(m))
        if (!this.outputNames.includes(k)) throw new Error(`compile: ${what} names '${k}', which is not an output (${this.outputNames.join(', ')})`);
      lists = this.outputNames.map((o) => {
        const v = (m as Record<string, MetricId | MetricId[]>)[o];
        return v === undefined ? [] : Array.isArray(v) ? v : [v];
      });
    }
    if (n > 1 && lists.some((l, i) => l.some((id) => id instanceof Metric && lists.some((o, j) => j !== i && o.includes(id))))) {
      throw new Error('compile: one Metric object cannot serve several outputs; give each output its own');
    }
    return lists;
  }

  /** The compiled metrics of one output (sample weights not applied). */
  metricsFor(output: number): Metric[] {
    return this.outputMetrics[output];
  }

  /** The weighted metrics of one output (sample weights applied). */
  weightedMetricsFor(output: number): Metric[] {
    return this.outputWeightedMetrics[output];
  }

  private makeMetric(id: MetricId, output: number): Metric {
    const prefix = this.outputNames.length > 1 ? `${this.outputNames[output]}_` : '';
    // 'accuracy' becomes binary, sparse or categorical accuracy at the first batch (shapes).
    if (typeof id === 'string' && (id === 'accuracy' || id === 'acc')) return new CompiledAccuracy(`${prefix}${id}`, this.losses[output] ?? undefined);
    const m = metrics.get(id);
    // Keras names a metric given by string after the string ('mse' logs as 'mse').
    if (typeof id === 'string') m.name = id;
    m.name = prefix + m.name;
    return m;
  }

  /**
   * Keras 3's model.metrics: the loss tracker, each output's loss tracker (several
   * outputs), then the compiled metrics (once the output names are known: at compile
   * for graph models, at the first computeLoss / batch for subclassed ones).
   */
  allMetrics(): Metric[] {
    const out: Metric[] = [this.lossTracker];
    // As Keras 3: each output's loss logs on its own when several outputs have one.
    const trackers = this.outputLossTrackers.filter((t) => t !== null);
    if (trackers.length > 1) out.push(...trackers);
    for (const list of this.outputMetrics) out.push(...list);
    for (const list of this.outputWeightedMetrics) out.push(...list);
    return out;
  }

  /** The weighted sum of the outputs' losses (scalar), and each output's loss (null where it has none). */
  totalLoss(yTrue: (Tensor | undefined)[], yPred: Tensor[], sampleWeight?: Tensor): { total: Tensor; perOutput: (Tensor | null)[] } {
    const withLoss = this.losses.flatMap((loss, i) => (loss === null ? [] : [i]));
    const values = mapPacked(withLoss, (i) => this.losses[i]!.apply(yTrue[i]!, yPred[i], sampleWeight));
    const weighted = values.map((v, k) => (this.lossWeights[withLoss[k]] === 1 ? v : mul(v, this.lossWeights[withLoss[k]])));
    let total = weighted[0];
    for (let k = 1; k < weighted.length; k++) total = add(total, weighted[k]);
    const perOutput: (Tensor | null)[] = this.losses.map(() => null);
    withLoss.forEach((i, k) => (perOutput[i] = values[k]));
    return { total, perOutput };
  }

  /**
   * The targets of each output (undefined for an output with no loss and no target): y
   * holds one per output, or, as Keras 3 allows, one per output that has a loss.
   */
  targetsOf(op: string, y: TensorsLike): (Tensor | undefined)[] {
    const names = this.outputNames;
    const lossNames = names.filter((_, i) => this.losses[i] !== null);
    // Not an object (null, a number): toList refuses it by name.
    const count = y instanceof Tensor ? 1 : Array.isArray(y) ? y.length : typeof y === 'object' && y !== null ? Object.keys(y).length : -1;
    if (count < 0 || this.losses.length === 0 || lossNames.length === names.length || count === names.length) return toList(op, 'target', y, names, isTensor);
    const given = toList(op, 'target', y, lossNames, isTensor);
    return names.map((n) => (lossNames.includes(n) ? given[lossNames.indexOf(n)] : undefined));
  }
}

/** A value given once for all outputs, as a list per output, or by output name. */
function perOutput<T>(op: string, what: string, value: T | T[] | { [output: string]: T }, names: string[], isItem: (v: unknown) => boolean): T[] {
  if (isItem(value)) return names.map(() => value as T);
  if (Array.isArray(value)) {
    if (value.length !== names.length)
      throw new Error(`${op}: expected ${what} for each of the ${names.length} outputs (${names.join(', ')}), got ${value.length}`);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as { [output: string]: T };
    for (const k of Object.keys(obj))
      if (!names.includes(k)) throw new Error(`${op}: ${what} names '${k}', which is not an output of the model (${names.join(', ')})`);
    return names.map((n) => {
      if (!(n in obj)) throw new Error(`${op}: ${what} has no entry for output '${n}'`);
      return obj[n];
    });
  }
  throw new Error(`${op}: unexpected ${what}: ${describe(value)}`);
}
