// MultiOptimizer, Keras 3's optimizer that hands each variable to the optimizer an
// OptimizerMap (or a function) picks for it: each group's gradients are applied by its own
// optimizer (its learning rate, clipping, slots, step count, EMA); the MultiOptimizer only
// counts its own steps. Like Keras's, it has no learning rate of its own.
import { checkLike, checkNamedTensors } from './state_weights';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { toSnakeCase } from '../layers/naming';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import type { LearningRate } from '../schedules/schedule';
import { Optimizer, type GradientsAndVariables, type NamedTensor } from './optimizer';
import { OptimizerMap, checkInnerOptimizer, type OptimizerMapConfig } from './optimizer_map';

/** A function choosing a variable's optimizer (called once per variable, at build). */
export type OptimizerSelector = (variable: Variable) => Optimizer;

/** MultiOptimizer's options. */
export interface MultiOptimizerConfig {
  /** Which optimizer updates which variable: an OptimizerMap, a function of the variable, or a serialized OptimizerMap. */
  optimizerMap: OptimizerMap | OptimizerSelector | { className: 'OptimizerMap'; config: OptimizerMapConfig };
  /** The optimizer's name (default 'multi_optimizer', as Keras names it). */
  name?: string;
}

// The base options a MultiOptimizer refuses (Keras's takes none of them): they belong on its optimizers.
const SUB_OPTIMIZER_KEYS = ['learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'useEma', 'emaMomentum', 'emaOverwriteFrequency'];

/**
 * Updates each variable with the optimizer its OptimizerMap (or function) gives it.
 * @example
 * const map = new OptimizerMap({ defaultOptimizer: new Adam(), optimizerMap: { 'dense/kernel': new SGD({ learningRate: 0.1 }) } });
 * model.compile({ optimizer: new MultiOptimizer({ optimizerMap: map }), loss: 'mse' });
 */
export class MultiOptimizer extends Optimizer {
  /** The OptimizerMap or function that picks each variable's optimizer. */
  readonly optimizerMap: OptimizerMap | OptimizerSelector;
  private readonly inner: Optimizer[] = [];
  private readonly owners = new Map<Variable, Optimizer>();

  constructor(config: MultiOptimizerConfig) {
    if (arguments.length > 1) throw tooManyArguments('MultiOptimizer', 1, arguments.length);
    if (config instanceof OptimizerMap || typeof config === 'function' || config instanceof Optimizer)
      throw new Error(`MultiOptimizer: expected options ({ optimizerMap }), got ${describe(config)}; write new MultiOptimizer({ optimizerMap: map })`);
    const checked = checkOptions('MultiOptimizer', config as object, ['optimizerMap', 'name', ...SUB_OPTIMIZER_KEYS]) as Record<string, unknown>;
    for (const key of SUB_OPTIMIZER_KEYS)
      if (checked[key] !== undefined)
        throw new Error(
          `MultiOptimizer does not take ${key} (got ${describe(checked[key])}); set it on the optimizers of its OptimizerMap, each for its own variables`,
        );
    super('MultiOptimizer', { name: (checked.name as string | undefined) ?? 'multi_optimizer', learningRate: 0 }, {});
    this.optimizerMap = mapOf(checked.optimizerMap);
    // Keras's order: the map's optimizers, then its default; a function's, as it names them.
    if (this.optimizerMap instanceof OptimizerMap) for (const o of [...this.optimizerMap.values(), this.optimizerMap.defaultOptimizer]) this.addInner(o);
  }

  /** The optimizers, in Keras's order: the map's (in key order), the default, then any a function picked at build. */
  get optimizers(): Optimizer[] {
    return [...this.inner];
  }

  private addInner(o: Optimizer): void {
    if (!this.inner.includes(o)) this.inner.push(o);
  }

  /** A MultiOptimizer has no learning rate: its optimizers each have theirs (Keras raises too). */
  override get learningRate(): number {
    throw new Error(`${this.name}: a MultiOptimizer has no learning rate; read it on its optimizers (multi.optimizers[i].learningRate)`);
  }

  override set learningRate(_value: number) {
    throw new Error(`${this.name}: a MultiOptimizer has no learning rate; set it on its optimizers (multi.optimizers[i].learningRate = ...)`);
  }

  override get learningRateSource(): LearningRate {
    throw new Error(`${this.name}: a MultiOptimizer has no learning rate; its optimizers each have theirs (multi.optimizers)`);
  }

  /** The optimizer that updates `variable`, or undefined before it was built or trained with it. */
  optimizerOf(variable: Variable): Optimizer | undefined {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.optimizerOf`, 1, arguments.length);
    if (!(variable instanceof Variable)) throw new Error(`${this.name}.optimizerOf: expected a Variable, got ${describe(variable)}`);
    return this.owners.get(variable);
  }

  /** Gives each new variable its optimizer and builds every optimizer for its own variables. */
  override build(variables: Variable[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.build`, 1, arguments.length);
    if (!Array.isArray(variables)) throw new Error(`${this.name}.build: expected an array of Variables, got ${describe(variables)}`);
    // Registers the names (two variables of one name are an error) without slots of its own.
    super.build(variables);
    for (const v of variables) {
      if (this.owners.has(v)) continue;
      const picked = this.optimizerMap instanceof OptimizerMap ? this.optimizerMap.optimizerFor(v) : this.optimizerMap(v);
      this.owners.set(v, checkInnerOptimizer(this.name, `the optimizer of variable '${v.name}'`, picked));
      this.addInner(picked);
    }
    for (const [o, vars] of this.grouped(variables)) o.build(vars);
  }

  // The variables grouped by their optimizer, groups in the optimizers' order.
  private grouped<T>(items: T[], variableOf: (item: T) => Variable = (x) => x as unknown as Variable): [Optimizer, T[]][] {
    const groups = new Map<Optimizer, T[]>(this.inner.map((o) => [o, []]));
    for (const item of items) {
      const o = this.owners.get(variableOf(item));
      if (o !== undefined) groups.get(o)!.push(item);
    }
    return [...groups].filter(([, g]) => g.length > 0);
  }

  override updateStep(): void {
    throw new Error(`${this.name}: updateStep belongs to the optimizers of a MultiOptimizer`);
  }

  /** Each optimizer applies the gradients of its own variables (clipped by its own options); then iterations advances. */
  override applyGradients(gradsAndVars: GradientsAndVariables): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.applyGradients`, 1, arguments.length);
    const pairs = this.pairsFrom(gradsAndVars).filter(([g]) => g !== null && g !== undefined) as [Tensor, Variable][];
    if (pairs.length === 0) throw new Error(`${this.name}.applyGradients: no gradients provided for any variable`);
    for (const [g, v] of pairs)
      if (!(g instanceof Tensor)) throw new Error(`${this.name}.applyGradients: expected a Tensor gradient for variable '${v.name}', got ${describe(g)}`);
    this.build(pairs.map(([, v]) => v));
    for (const [o, group] of this.grouped(pairs, ([, v]) => v)) o.applyGradients(group);
    this.iterations++;
  }

  /** Not on a MultiOptimizer (it decays nothing itself): exclude on the optimizers that decay. */
  override excludeFromWeightDecay(_options: { varList?: Variable[]; varNames?: string[] }): void {
    throw new Error(
      `${this.name}.excludeFromWeightDecay: a MultiOptimizer applies no weight decay itself; call it on the optimizers that have one (multi.optimizers)`,
    );
  }

  /** The moving averages of these variables, each from its optimizer (which needs useEma). */
  override averagesOf(vars: Variable[]): Variable[] {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.averagesOf`, 1, arguments.length);
    if (!Array.isArray(vars)) throw new Error(`${this.name}.averagesOf: expected an array of Variables, got ${describe(vars)}`);
    return vars.map((v, i) => {
      const o = v instanceof Variable ? this.owners.get(v) : undefined;
      if (o === undefined)
        throw new Error(
          `${this.name}.averagesOf: vars[${i}] (${v instanceof Variable ? `variable '${v.name}'` : describe(v)}) is not a variable this MultiOptimizer has built`,
        );
      return o.averagesOf([v])[0];
    });
  }

  /** Each optimizer's finalizeVariableValues for its own variables (EMA: the averages into the variables). */
  override finalizeVariableValues(vars: Variable[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.finalizeVariableValues`, 1, arguments.length);
    if (!Array.isArray(vars)) throw new Error(`${this.name}.finalizeVariableValues: expected an array of Variables, got ${describe(vars)}`);
    vars.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new Error(`${this.name}.finalizeVariableValues: expected vars[${i}] to be a Variable, got ${describe(v)}`);
    });
    for (const [o, group] of this.grouped(vars)) o.finalizeVariableValues(group);
  }

  /**
   * Each optimizer's name in saved state: its class name in snake_case, numbered from the
   * second of a class on ('adam', 'sgd', 'adam_1'), as Keras names them in model.weights.h5.
   */
  stateNames(): string[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.stateNames`, 0, arguments.length);
    const used = new Map<string, number>();
    return this.inner.map((o) => {
      const base = toSnakeCase(o.constructor.name);
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      return n === undefined ? base : `${base}_${n + 1}`;
    });
  }

  /**
   * iterations, then each optimizer's weights: its scalars (iterations, ...) as
   * 'optimizers/<state name>/iterations'; its slots by their own names ('<variable>/<slot>',
   * one optimizer's per variable), which savers and BackupAndRestore match to variables.
   */
  override getWeights(): NamedTensor[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getWeights`, 0, arguments.length);
    const names = this.stateNames();
    return [
      ...super.getWeights(),
      ...this.inner.flatMap((o, i) => o.getWeights().map((w) => (w.name.includes('/') ? w : { name: `optimizers/${names[i]}/${w.name}`, tensor: w.tensor }))),
    ];
  }

  /** Restores what getWeights() returned; every optimizer must be built (build(variables) first). */
  override setWeights(weights: NamedTensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.setWeights`, 1, arguments.length);
    weights = checkNamedTensors(this.name, weights);
    // All checked here first: an error names this optimizer, and a refused list restores no inner optimizer.
    checkLike(this.name, weights, this.getWeights());
    const names = this.stateNames();
    const own: NamedTensor[] = [];
    const byOptimizer = new Map<Optimizer, NamedTensor[]>(this.inner.map((o) => [o, []]));
    for (const w of weights) {
      const name = (w as NamedTensor | null)?.name;
      if (name === 'iterations') {
        own.push(w);
        continue;
      }
      const i =
        typeof name === 'string' ? names.findIndex((n) => name.startsWith(`optimizers/${n}/`) && !name.slice(`optimizers/${n}/`.length).includes('/')) : -1;
      if (i >= 0) {
        byOptimizer.get(this.inner[i])!.push({ name: name!.slice(`optimizers/${names[i]}/`.length), tensor: w.tensor });
        continue;
      }
      // A slot: '<variable>/<slot>' of a variable this optimizer routed (the longest name that fits).
      let owner: Variable | undefined;
      if (typeof name === 'string')
        for (const v of this.owners.keys())
          if (name.startsWith(`${v.name}/`) && !name.slice(v.name.length + 1).includes('/') && (owner === undefined || v.name.length > owner.name.length))
            owner = v;
      if (owner === undefined)
        throw new Error(
          `${this.name}.setWeights: unknown weight ${describe(name)}; expected 'iterations', 'optimizers/<${names.join(' | ')}>/<scalar>' or '<variable>/<slot>' of a variable it was built for (call build(variables) first)`,
        );
      byOptimizer.get(this.owners.get(owner)!)!.push(w);
    }
    for (const [o, ws] of byOptimizer) o.setWeights(ws);
    super.setWeights(own);
  }

  /** Releases every optimizer's state. */
  override dispose(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.dispose`, 0, arguments.length);
    for (const o of this.inner) o.dispose();
    this.owners.clear();
    super.dispose();
  }

  /** name and optimizerMap (serialized: {className: 'OptimizerMap', config}; a function as it is). */
  override getConfig(): Record<string, unknown> {
    const map = this.optimizerMap;
    return { name: this.name, optimizerMap: map instanceof OptimizerMap ? { className: 'OptimizerMap', config: map.getConfig() } : map };
  }
}

// The optimizerMap option: an OptimizerMap, a function, or a serialized OptimizerMap.
function mapOf(value: unknown): OptimizerMap | OptimizerSelector {
  if (value instanceof OptimizerMap || typeof value === 'function') return value as OptimizerMap | OptimizerSelector;
  if (value !== null && typeof value === 'object' && (value as { className?: unknown }).className === 'OptimizerMap')
    return OptimizerMap.fromConfig((value as { config: OptimizerMapConfig }).config);
  throw new Error(
    `MultiOptimizer: expected optimizerMap to be an OptimizerMap or a function of the variable returning its optimizer, got ${describe(value)}${value !== null && typeof value === 'object' && !Array.isArray(value) ? '; wrap an object of paths as new OptimizerMap({ defaultOptimizer, optimizerMap: {...} })' : ''}`,
  );
}
