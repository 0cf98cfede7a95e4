// LossScaleOptimizer, Keras 3's dynamic loss scaling for low-precision training: the loss
// is multiplied by a scale before the gradients are taken (scaleLoss), and the gradients are
// divided by it before the inner optimizer applies them. A step with a non-finite gradient
// is skipped and halves the scale; dynamicGrowthSteps finite steps in a row double it.
import { checkLike, checkNamedTensors, scalarWeight } from './state_weights';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { div, mul } from '../ops/binary';
import { all } from '../ops/logical_reduce';
import { isFinite } from '../ops/unary';
import { scalar } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import type { LearningRate } from '../schedules/schedule';
import { Optimizer, type GradientsAndVariables, type NamedTensor } from './optimizer';
import { get, serialize, type SerializedOptimizer } from './registry';

/** LossScaleOptimizer's options. */
export interface LossScaleOptimizerConfig {
  /** The optimizer that applies the unscaled gradients: an Optimizer, a name ('adam') or {className, config}. */
  innerOptimizer: Optimizer | string | SerializedOptimizer;
  /** The loss scale to start from (default 2^15). */
  initialScale?: number;
  /** After this many finite steps in a row the scale doubles (default 2000). */
  dynamicGrowthSteps?: number;
  /** Prefix of the state's names (default 'loss_scale_optimizer', as Keras names it). */
  name?: string;
}

/** LossScaleOptimizer's hyperparameters. */
export interface LossScaleHyper {
  /** The loss scale to start from. */
  initialScale: number;
  /** Finite steps in a row that double the scale. */
  dynamicGrowthSteps: number;
}

// The keys the constructor knows, checked before it asks for the innerOptimizer.
const LOSS_SCALE_KEYS = [
  'innerOptimizer',
  'initialScale',
  'dynamicGrowthSteps',
  'learningRate',
  'weightDecay',
  'clipnorm',
  'clipvalue',
  'globalClipnorm',
  'name',
];

/**
 * Wraps an optimizer with a dynamic loss scale (fit scales the loss itself).
 * @example new LossScaleOptimizer({ innerOptimizer: new Adam(), initialScale: 1024 })
 */
export class LossScaleOptimizer extends Optimizer<LossScaleHyper> {
  /** The optimizer that applies the unscaled gradients. */
  readonly innerOptimizer: Optimizer;
  private scale: number;
  private counter = 0;

  constructor(config: LossScaleOptimizerConfig) {
    if (arguments.length > 1) throw tooManyArguments('LossScaleOptimizer', 1, arguments.length);
    // A misspelled key is named before the missing innerOptimizer (it may be the misspelling).
    if (config !== null && typeof config === 'object' && !(config instanceof Optimizer)) checkOptions('LossScaleOptimizer', config, LOSS_SCALE_KEYS);
    if (config === null || typeof config !== 'object' || config instanceof Optimizer || !('innerOptimizer' in config) || config.innerOptimizer === undefined) {
      throw new Error(`LossScaleOptimizer: expected options with an innerOptimizer ({ innerOptimizer: new Adam() }), got ${describe(config)}`);
    }
    const { innerOptimizer, ...rest } = config;
    super('LossScaleOptimizer', { name: 'loss_scale_optimizer', ...rest }, { learningRate: 0, initialScale: 2 ** 15, dynamicGrowthSteps: 2000 });
    // Keras: these belong on the inner optimizer (its base options would be ignored here).
    const own = {
      learningRate: super.learningRateSource,
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
    };
    for (const [key, value] of Object.entries(own)) {
      if (value !== null && value !== 0) throw new Error(`LossScaleOptimizer does not support ${key} (got ${describe(value)}); set it on the innerOptimizer`);
    }
    if (!Number.isInteger(this.hyper.dynamicGrowthSteps))
      throw new Error(`LossScaleOptimizer: expected dynamicGrowthSteps to be an integer >= 1, got ${this.hyper.dynamicGrowthSteps}`);
    try {
      this.innerOptimizer = get(innerOptimizer as string);
    } catch (e) {
      throw new Error(`LossScaleOptimizer: innerOptimizer: ${(e as Error).message}`, { cause: e });
    }
    if (this.innerOptimizer instanceof LossScaleOptimizer)
      throw new Error('LossScaleOptimizer: the innerOptimizer is a LossScaleOptimizer; wrap the optimizer once');
    this.scale = this.hyper.initialScale;
    // As Keras's: the step count is the inner optimizer's (the base class keeps it in a field).
    Object.defineProperty(this, 'iterations', {
      get: () => this.innerOptimizer.iterations,
      set: (n: number) => (this.innerOptimizer.iterations = n),
      enumerable: true,
    });
  }

  /** The current loss scale. */
  get dynamicScale(): number {
    return this.scale;
  }

  /** Finite steps since the scale last changed. */
  get stepCounter(): number {
    return this.counter;
  }

  /** The inner optimizer's learning rate. */
  override get learningRate(): number {
    return this.innerOptimizer.learningRate;
  }

  override set learningRate(value: number) {
    this.innerOptimizer.learningRate = value;
  }

  override get learningRateSource(): LearningRate {
    return this.innerOptimizer.learningRateSource;
  }

  override get variables(): Variable[] {
    return this.innerOptimizer.variables;
  }

  /** `loss` times the current scale: take the gradients of this. */
  scaleLoss(loss: Tensor): Tensor {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.scaleLoss`, 1, arguments.length);
    if (!(loss instanceof Tensor)) throw new Error(`${this.name}.scaleLoss: expected a Tensor, got ${describe(loss)}`);
    // An integer loss would wrap or truncate once scaled (and has no gradient).
    if (!loss.dtype.startsWith('float')) throw new Error(`${this.name}.scaleLoss: expected a float loss, got ${describe(loss)}`);
    return mul(loss, this.scale);
  }

  override updateStep(): void {
    throw new Error(`${this.name}: updateStep is the innerOptimizer's`);
  }

  /**
   * Gradients of the scaled loss: all finite, they are unscaled and applied by the inner
   * optimizer; else nothing is applied and the scale halves.
   */
  override applyGradients(gradsAndVars: GradientsAndVariables): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.applyGradients`, 1, arguments.length);
    const pairs = this.pairsFrom(gradsAndVars).filter(([g]) => g !== null && g !== undefined) as [Tensor, Variable][];
    if (pairs.length === 0) throw new Error(`${this.name}.applyGradients: no gradients provided for any variable`);
    for (const [g, v] of pairs)
      if (!(g instanceof Tensor)) throw new Error(`${this.name}.applyGradients: expected a Tensor gradient for variable '${v.name}', got ${describe(g)}`);
    const finite = tidy(() => pairs.every(([g]) => all(isFinite(g)).dataSync()[0] === 1));
    if (!finite) {
      this.counter = 0;
      this.scale *= 0.5;
      return;
    }
    tidy(() => this.innerOptimizer.applyGradients(pairs.map(([g, v]): [Tensor, Variable] => [div(g, this.scale), v])));
    if (this.counter === this.hyper.dynamicGrowthSteps - 1) {
      this.counter = 0;
      this.scale *= 2;
    } else {
      this.counter++;
    }
  }

  /** Minimizes f() with its loss scaled; the cost returned is f()'s, unscaled. */
  override minimize(f: () => Tensor, varList?: Variable[] | boolean, returnCost: boolean | Variable[] = false): Tensor | null {
    if (arguments.length > 3) throw tooManyArguments(`${this.name}.minimize`, 3, arguments.length);
    const scale = this.scale;
    const cost = super.minimize(() => this.scaleLoss(f()), varList, returnCost);
    if (cost === null) return null;
    const unscaled = div(cost, scale);
    cost.dispose();
    return unscaled;
  }

  override build(variables: Variable[]): void {
    this.innerOptimizer.build(variables);
  }

  override excludeFromWeightDecay(options: { varList?: Variable[]; varNames?: string[] }): void {
    this.innerOptimizer.excludeFromWeightDecay(options);
  }

  /** step_counter and dynamic_scale, then the inner optimizer's state. */
  override getWeights(): NamedTensor[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getWeights`, 0, arguments.length);
    return [
      { name: 'step_counter', tensor: scalar(this.counter, 'int32') },
      { name: 'dynamic_scale', tensor: scalar(this.scale, 'float32') },
      ...this.innerOptimizer.getWeights(),
    ];
  }

  /** Restores what getWeights() returned. */
  override setWeights(weights: NamedTensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.setWeights`, 1, arguments.length);
    weights = checkNamedTensors(this.name, weights);
    // All checked here first: an error names this optimizer and the weight's place in this list.
    checkLike(this.name, weights, this.getWeights());
    const own = new Map<string, number>();
    for (const name of ['step_counter', 'dynamic_scale']) {
      const i = weights.findIndex((w) => w.name === name);
      if (i < 0) throw new Error(`${this.name}.setWeights: no value for '${name}'`);
      own.set(name, scalarWeight(this.name, weights, i, name === 'step_counter'));
    }
    this.innerOptimizer.setWeights(weights.filter((w) => !own.has(w.name)));
    this.counter = own.get('step_counter')!;
    this.scale = own.get('dynamic_scale')!;
  }

  override dispose(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.dispose`, 0, arguments.length);
    this.innerOptimizer.dispose();
  }

  /** The inner optimizer's moving averages (Keras's SwapEMAWeights looks through a LossScaleOptimizer). */
  override averagesOf(vars: Variable[]): Variable[] {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.averagesOf`, 1, arguments.length);
    return this.innerOptimizer.averagesOf(vars);
  }

  /** The inner optimizer's finalizeVariableValues. */
  override finalizeVariableValues(vars: Variable[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.finalizeVariableValues`, 1, arguments.length);
    this.innerOptimizer.finalizeVariableValues(vars);
  }

  /** name, innerOptimizer (serialized), initialScale, dynamicGrowthSteps: Keras's config. */
  override getConfig(): Record<string, unknown> {
    return { name: this.name, innerOptimizer: serialize(this.innerOptimizer), ...this.hyper };
  }
}
