// The Optimizer base class: Keras 3's BaseOptimizer for Tessera. It owns the step count,
// the learning rate (a number, a schedule or a function of the step), gradient clipping,
// decoupled weight decay and the slot variables; subclasses implement updateStep.
import { GRADIENT_VARIABLES, variableGrads } from '../autograd/functional';
import { cast } from '../ops/cast';
import { add, mul, sub } from '../ops/binary';
import { fill, scalar, variable, zerosLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkNoHoles, shapesEqual, describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { LearningRateSchedule, learningRateAt, type LearningRate } from '../schedules/schedule';
import { serialize } from '../schedules/registry';
import { clipByGlobalNorm, clipByNorm, clipElementwise } from './clip';
import { normalizeOptions } from './config';
import { checkHyperparameters } from './hyperparameters';
import { mapPacked } from '../tensor/packed_map';
import { checkNumber } from '../tensor/ranges';
import { tooManyArguments } from '../options/arity';
import { checkNamedTensors, checkSlotWeight, scalarWeight } from './state_weights';

/** Options every optimizer takes (Keras 3 snake_case spellings are accepted too). */
export interface OptimizerConfig {
  /** A number, a LearningRateSchedule or a function of the step (0 for the first update). */
  learningRate?: LearningRate;
  /** Decoupled weight decay: before each update, var -= lr * weightDecay * var. */
  weightDecay?: number | null;
  /** Clip each variable's gradient to this L2 norm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number | null;
  /** Prefix of the slot variables' names. */
  name?: string;
  /** Alias of learningRate (Keras's spelling). */
  learning_rate?: LearningRate;
  /** Alias of weightDecay (Keras's spelling). */
  weight_decay?: number | null;
  /** Alias of globalClipnorm (Keras's spelling). */
  global_clipnorm?: number | null;
  /** Alias of clipnorm. */
  clipNorm?: number | null;
  /** Alias of clipvalue. */
  clipValue?: number | null;
  /** Alias of globalClipnorm. */
  globalClipNorm?: number | null;
  /** Keep an exponential moving average of every trained variable (Keras 3's use_ema; default false). */
  useEma?: boolean;
  /** The average's momentum, in [0, 1]: average = m * average + (1 - m) * variable (default 0.99). */
  emaMomentum?: number;
  /** With useEma: every this many steps the variables are overwritten with their averages (default null: never). */
  emaOverwriteFrequency?: number | null;
}

/** A tensor with a name, as getWeights() returns them (TensorFlow.js's NamedTensor). */
export interface NamedTensor {
  /** The weight's name, e.g. 'iterations' or a slot's name. */
  name: string;
  /** Its value. */
  tensor: Tensor;
}

/** Gradients and the variables they belong to, in any of the accepted forms. */
export type GradientsAndVariables = [Tensor | null, Variable][] | { grads: (Tensor | null)[]; vars: Variable[] } | Record<string, Tensor>;

const BASE_DEFAULTS = {
  learningRate: 0.001 as LearningRate,
  weightDecay: null as number | null,
  clipnorm: null as number | null,
  clipvalue: null as number | null,
  globalClipnorm: null as number | null,
  name: '',
  useEma: false,
  emaMomentum: 0.99,
  emaOverwriteFrequency: null as number | null,
};

/**
 * An optimizer. A custom one subclasses this and implements one method,
 * `updateStep(gradient, variable, learningRate)`, keeping its state in slots:
 * @example
 * class SignSGD extends Optimizer {
 *   updateStep(g: Tensor, v: Variable, lr: number) { v.assign(sub(v, mul(sign(g), lr))); }
 * }
 */
export abstract class Optimizer<H extends object = object> {
  /** Prefix of the slot variables' names. */
  readonly name: string;
  /** Decoupled weight decay, or null. */
  readonly weightDecay: number | null;
  /** Per-variable gradient norm limit, or null. */
  readonly clipnorm: number | null;
  /** Elementwise gradient limit, or null. */
  readonly clipvalue: number | null;
  /** Global gradient norm limit, or null. */
  readonly globalClipnorm: number | null;
  /** Whether the optimizer keeps a moving average of the variables (an `average` slot each). */
  readonly useEma: boolean;
  /** The moving average's momentum. */
  readonly emaMomentum: number;
  /** Steps between overwrites of the variables with their averages, or null. */
  readonly emaOverwriteFrequency: number | null;
  /** The optimizer's own hyperparameters, defaults filled in. */
  readonly hyper: Readonly<H>;
  /** Number of updates applied so far. */
  iterations = 0;
  /**
   * True for optimizers whose update function applies weight decay itself (as the fused
   * native kernels do); the base class then skips its own decay step.
   */
  protected readonly foldsWeightDecay: boolean = false;
  /**
   * Whether applyGradients updates the variables of one device, dtype and weight decay in
   * one kernel call (optimizers with a multi-tensor kernel: SGD, Adam, AdamW, RMSprop,
   * Adagrad). Set it false for one kernel call per variable, the reference path; the
   * results are the same.
   */
  multiTensor = true;

  private rate: LearningRate;
  private readonly slotsOf = new Map<Variable, Map<string, Variable>>();
  private readonly byName = new Map<string, Variable>();
  private excludedVariables = new Set<Variable>();
  private excludedNames: string[] = [];
  // What applyGradients works out from the variables alone (slots built, multi-tensor
  // groups), kept while the same variables come in the same order: a training loop passes
  // one list every step. Cleared when the weight-decay exclusions or the slots change.
  private plan: UpdatePlan | null = null;

  /**
   * @param kind the optimizer's name in errors and the default `name`
   * @param config what the user passed
   * @param defaults the optimizer's hyperparameters and its default learning rate
   */
  constructor(kind: string, config: OptimizerConfig & Partial<H> = {}, defaults: H & { learningRate?: number } = {} as H) {
    // A subclass names itself (super('Adam', config, defaults)); Adam's second argument is that name.
    if (typeof kind !== 'string') {
      throw new Error(
        new.target === (Optimizer as unknown)
          ? `Optimizer: an abstract base class; subclass it with super(name, config, defaults), or use new optimizers.Adam(), train.sgd(0.01), ...`
          : `${new.target.name}: expected one options object ({learningRate, ...}), got a second argument ${describe(kind)}`,
      );
    }
    // Keras's Adam(0.01) and TensorFlow.js's tf.train.adam(0.01) put the rate first.
    if (typeof config === 'number') {
      throw new Error(
        `${kind}: expected an options object, got ${config}; write new ${kind}({ learningRate: ${config} }) (or train.${kind.toLowerCase()}(${config}) where TensorFlow.js has it)`,
      );
    }
    const { learningRate, weightDecay, clipnorm, clipvalue, globalClipnorm, name, useEma, emaMomentum, emaOverwriteFrequency, ...hyper } = normalizeOptions(
      kind,
      config,
      {
        ...BASE_DEFAULTS,
        name: kind.toLowerCase(),
        ...defaults,
      },
    );
    this.name = name;
    this.rate = learningRate;
    this.weightDecay = weightDecay;
    this.clipnorm = clipnorm;
    this.clipvalue = clipvalue;
    this.globalClipnorm = globalClipnorm;
    this.hyper = hyper as unknown as H;
    [this.useEma, this.emaMomentum, this.emaOverwriteFrequency] = checkEma(kind, useEma, emaMomentum, emaOverwriteFrequency);
    const clips = [clipnorm, clipvalue, globalClipnorm].filter((c) => c !== null);
    if (clips.length > 1)
      throw new Error(
        `${kind}: only one of clipnorm, clipvalue and globalClipnorm can be set, got clipnorm=${clipnorm}, clipvalue=${clipvalue}, globalClipnorm=${globalClipnorm}`,
      );
    for (const c of clips) if (!(typeof c === 'number' && c > 0)) throw new Error(`${kind}: expected a clipping value > 0, got ${describe(c)}`);
    if (weightDecay !== null && !(typeof weightDecay === 'number' && weightDecay >= 0))
      throw new Error(`${kind}: expected weightDecay >= 0 or null, got ${describe(weightDecay)}`);
    learningRateAt(learningRate, 0);
    checkHyperparameters(kind, hyper, learningRate);
  }

  /**
   * Applies one update to `variable` from `gradient` (already clipped) at `learningRate`,
   * in place (variable.assign, slot.assign). Runs inside tidy().
   */
  abstract updateStep(gradient: Tensor, variable: Variable, learningRate: number): void;

  /**
   * Optional: applies updateStep's update to several variables in ONE kernel call, all on
   * one device, of one dtype and with this weight decay (the kernel folds it in). An
   * optimizer with a multi-tensor kernel implements it next to updateStep; a subclass that
   * overrides updateStep alone is updated per variable. Runs inside tidy().
   */
  protected updateMany?(gradients: Tensor[], variables: Variable[], learningRate: number, weightDecay: number): void;

  /** Runs once per applyGradients before the per-variable updates (Nadam's running product). */
  protected beforeUpdates(_learningRate: number): void {}

  /** Slots this optimizer creates for every variable at build(): [slot name, initial value]. */
  protected slotSpecs(_variable: Variable): [string, number][] {
    return [];
  }

  /** Sets a slot's first value beyond a constant (ScheduleFreeAdamW starts its momentum at the variable); runs once, when the slot is made. */
  protected initSlot(_owner: Variable, _slotName: string, _slot: Variable): void {}

  /** The shape of `owner`'s slot `slotName`: the variable's own unless overridden (Adafactor's factored moments). */
  protected slotShape(owner: Variable, _slotName: string): readonly number[] {
    return owner.shape;
  }

  /** Scalar state beyond iterations that getWeights() saves (Nadam's u_product). */
  protected scalarState(): Record<string, number> {
    return {};
  }

  /** Restores what scalarState() returned. */
  protected restoreScalarState(_state: Record<string, number>): void {}

  /** The learning rate of the next update. */
  get learningRate(): number {
    return learningRateAt(this.rate, this.iterations);
  }

  /** Sets a constant learning rate; not allowed when a schedule or function drives it. */
  set learningRate(value: number) {
    if (typeof this.rate !== 'number') {
      throw new Error(
        `${this.name}: the learning rate comes from a ${this.rate instanceof LearningRateSchedule ? 'LearningRateSchedule' : 'function'} and cannot be set; create the optimizer with a number to change it`,
      );
    }
    learningRateAt(value, this.iterations);
    this.rate = value;
  }

  /** The schedule or function driving the learning rate, or the constant. */
  get learningRateSource(): LearningRate {
    return this.rate;
  }

  /**
   * A slot variable of `variable` (created as a constant `initialValue` on first use):
   * per-variable optimizer state such as momentum.
   */
  protected slot(owner: Variable, slotName: string, initialValue = 0): Variable {
    const slots = this.register(owner);
    let s = slots.get(slotName);
    if (s === undefined) {
      const shape = this.slotShape(owner, slotName);
      const init = initialValue === 0 && shapesEqual(shape, owner.shape) ? zerosLike(owner) : fill([...shape], initialValue, owner.dtype, owner.device);
      s = variable(init, false, `${owner.name}/${slotName}`);
      init.dispose();
      slots.set(slotName, s);
      this.initSlot(owner, slotName, s);
    }
    return s;
  }

  private register(v: Variable): Map<string, Variable> {
    let slots = this.slotsOf.get(v);
    if (slots === undefined) {
      const other = this.byName.get(v.name);
      if (other !== undefined) throw new Error(`${this.name}: two variables are named '${v.name}'; give variables unique names`);
      slots = new Map();
      this.slotsOf.set(v, slots);
      this.byName.set(v.name, v);
    }
    return slots;
  }

  /** Creates the slots of these variables now (restoring state with setWeights needs them). */
  build(variables: Variable[]): void {
    for (const v of variables) {
      if (!(v instanceof Variable)) throw new Error(`${this.name}.build: expected Variables`);
      this.register(v);
      // Keras's base build makes the averages before the subclass's slots: that order is the file format.
      if (this.useEma) this.slot(v, 'average');
      for (const [slotName, init] of this.slotSpecs(v)) this.slot(v, slotName, init);
    }
  }

  /** The variables this optimizer has updated or built, in first-seen order. */
  get variables(): Variable[] {
    return [...this.slotsOf.keys()];
  }

  /**
   * Keeps these variables (or those whose names contain one of `varNames`) out of weight
   * decay, as Keras's exclude_from_weight_decay.
   * @example optimizer.excludeFromWeightDecay({ varNames: ['bias', 'gamma', 'beta'] })
   */
  excludeFromWeightDecay(options: { varList?: Variable[]; varNames?: string[] }): void {
    this.excludedVariables = new Set(options.varList ?? []);
    this.excludedNames = [...(options.varNames ?? [])];
    this.plan = null;
  }

  /** The weight decay that applies to `variable`: 0 when none is set or it is excluded. */
  protected weightDecayFor(variable: Variable): number {
    if (this.weightDecay === null || this.weightDecay === 0) return 0;
    return this.excludedFromWeightDecay(variable) ? 0 : this.weightDecay;
  }

  /** Whether excludeFromWeightDecay named `variable` (Keras's `not _use_weight_decay(variable)`). */
  protected excludedFromWeightDecay(variable: Variable): boolean {
    return this.excludedVariables.has(variable) || this.excludedNames.some((n) => variable.name.includes(n));
  }

  /**
   * Keras 3's `optimizer.apply(grads, trainable_variables)`: applyGradients with the
   * gradients and their variables as two lists of one length.
   * @example optimizer.apply(tape.gradient(loss, model.trainableVariables), model.trainableVariables)
   */
  apply(grads: (Tensor | null)[], vars: Variable[]): void {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    if (!Array.isArray(grads)) throw new Error(`${this.name}.apply: expected grads to be an array of gradients, got ${describe(grads)}`);
    if (!Array.isArray(vars)) {
      throw new Error(
        `${this.name}.apply: expected vars to be an array of the Variables the gradients belong to, got ${describe(vars)} (Keras's apply(grads) without variables is not supported: pass them)`,
      );
    }
    this.applyGradients({ grads, vars });
  }

  /**
   * Applies one update: clips the gradients, decays the weights, runs updateStep for each
   * variable and advances `iterations`. Variables without a gradient (null) are skipped.
   */
  applyGradients(gradsAndVars: GradientsAndVariables): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.applyGradients`, 1, arguments.length);
    const pairs = this.pairsFrom(gradsAndVars).filter(([g]) => g !== null && g !== undefined) as [Tensor, Variable][];
    if (pairs.length === 0) throw new Error(`${this.name}.applyGradients: no gradients provided for any variable`);
    for (const [g, v] of pairs) {
      if (!(g instanceof Tensor)) throw new Error(`${this.name}.applyGradients: expected a Tensor gradient for variable '${v.name}', got ${typeof g}`);
      if (!shapesEqual(g.shape, v.shape))
        throw new Error(
          `${this.name}.applyGradients: the gradient of variable '${v.name}' has shape [${g.shape.join(', ')}], expected [${v.shape.join(', ')}]`,
        );
    }
    const variables = mapPacked(pairs, ([, v]) => v);
    const plan = this.planFor(variables);
    tidy(() => {
      const lr = this.learningRate;
      const grads = this.clipGradients(mapPacked(pairs, ([g, v]) => (g.dtype === v.dtype ? g : cast(g, v.dtype))));
      this.beforeUpdates(lr);
      if (plan.groups !== null) {
        for (const { indices, weightDecay } of plan.groups)
          this.updateMany!(
            mapPacked(indices, (k) => grads[k]),
            mapPacked(indices, (k) => variables[k]),
            lr,
            weightDecay,
          );
      } else {
        variables.forEach((v, i) => {
          if (!this.foldsWeightDecay) decayWeights(v, lr, this.weightDecayFor(v));
          this.updateStep(grads[i], v, lr);
        });
      }
    });
    if (this.useEma) this.updateAverages();
    this.iterations++;
  }

  // Keras's _update_model_variables_moving_average (momentum 0 at the first step, so the
  // average starts at the variable), then the overwrite every emaOverwriteFrequency steps;
  // over every variable built, as Keras's over its _trainable_variables. The overwrite is
  // JAX Keras's select, var = average * w + var * (1 - w) with w 0 or 1, run at every step:
  // the same kernels every step, so a jitCompile plan replays it.
  private updateAverages(): void {
    const m = this.iterations === 0 ? 0 : this.emaMomentum;
    const f = this.emaOverwriteFrequency;
    const w = f !== null && (this.iterations + 1) % f === 0 ? 1 : 0;
    tidy(() => {
      for (const [v, slots] of this.slotsOf) {
        const a = slots.get('average');
        if (a === undefined) continue;
        a.assign(add(mul(a, m), mul(v, 1 - m)));
        if (f !== null) v.assign(add(mul(a, w), mul(v, 1 - w)));
      }
    });
  }

  /**
   * The moving averages of these variables (useEma), in their order: Keras's
   * `_model_variables_moving_average` for SwapEMAWeights. Throws without useEma or for a
   * variable this optimizer has not built.
   */
  averagesOf(vars: Variable[]): Variable[] {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.averagesOf`, 1, arguments.length);
    if (!this.useEma) throw new Error(`${this.name}: the optimizer keeps no moving averages; create it with useEma: true`);
    if (!Array.isArray(vars)) throw new Error(`${this.name}.averagesOf: expected an array of Variables, got ${describe(vars)}`);
    return vars.map((v, i) => {
      if (!(v instanceof Variable)) throw new Error(`${this.name}.averagesOf: expected vars[${i}] to be a Variable, got ${describe(v)}`);
      const a = this.slotsOf.get(v)?.get('average');
      if (a === undefined)
        throw new Error(`${this.name}.averagesOf: the optimizer has no average of variable '${v.name}' (it was never built or trained with it)`);
      return a;
    });
  }

  /**
   * Keras's finalize_variable_values, which fit calls when training ends: with useEma the
   * variables take their moving averages' values; otherwise nothing.
   */
  finalizeVariableValues(vars: Variable[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.finalizeVariableValues`, 1, arguments.length);
    if (!Array.isArray(vars)) throw new Error(`${this.name}.finalizeVariableValues: expected an array of Variables, got ${describe(vars)}`);
    vars.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new Error(`${this.name}.finalizeVariableValues: expected vars[${i}] to be a Variable, got ${describe(v)}`);
    });
    if (!this.useEma) return;
    // Keras builds every trainable weight, so one that never had a gradient has an average
    // equal to itself; here it has none, and it is left as it is: the same value.
    tidy(() =>
      vars.forEach((v) => {
        const a = this.slotsOf.get(v)?.get('average');
        if (a !== undefined) v.assign(a);
      }),
    );
  }

  // The slots of `variables` built and their multi-tensor groups (null: per variable), from
  // the cache when the list is the last one's.
  private planFor(variables: Variable[]): UpdatePlan {
    const last = this.plan;
    if (last !== null && last.multiTensor === this.multiTensor && sameVariables(last.variables, variables)) return last;
    this.build(variables);
    const groups = this.updatesMany(variables)
      ? groupIndices(variables, (v) => `${v.device} ${v.dtype} ${this.weightDecayFor(v)}`).map((indices) => ({
          indices,
          weightDecay: this.weightDecayFor(variables[indices[0]]),
        }))
      : null;
    this.plan = { variables, multiTensor: this.multiTensor, groups };
    return this.plan;
  }

  // The multi-tensor path applies: this class's updateMany belongs with its updateStep, and
  // no variable comes twice (the per-variable path applies both updates in turn; one kernel
  // call would read and write it at once).
  private updatesMany(variables: Variable[]): boolean {
    if (!this.multiTensor || !this.foldsWeightDecay || this.updateMany === undefined) return false;
    if (ownerOf(this, 'updateStep') !== ownerOf(this, 'updateMany')) return false;
    return new Set(variables).size === variables.length;
  }

  protected pairsFrom(input: GradientsAndVariables): [Tensor | null, Variable][] {
    // A hole is no gradient written as null (which skips its variable): refused, not skipped.
    const op = `${this.name}.applyGradients`;
    if (Array.isArray(input)) checkNoHoles(op, 'gradsAndVars', input);
    else if (input !== null && typeof input === 'object') {
      checkNoHoles(op, 'grads', (input as { grads?: unknown }).grads);
      checkNoHoles(op, 'vars', (input as { vars?: unknown }).vars);
    }
    if (Array.isArray(input)) {
      for (const p of input)
        if (!Array.isArray(p) || !(p[1] instanceof Variable)) throw new Error(`${this.name}.applyGradients: expected [gradient, Variable] pairs`);
      return input;
    }
    if (input !== null && typeof input === 'object' && Array.isArray((input as { grads?: unknown }).grads)) {
      const { grads, vars } = input as { grads: (Tensor | null)[]; vars: Variable[] };
      if (!Array.isArray(vars) || vars.length !== grads.length)
        throw new Error(`${this.name}.applyGradients: expected as many vars as grads, got ${vars?.length} and ${grads.length}`);
      vars.forEach((v, i) => {
        if (!(v instanceof Variable)) throw new Error(`${this.name}.applyGradients: expected vars[${i}] to be a Variable, got ${describe(v)}`);
      });
      return mapPacked(grads, (g, i) => [g, vars[i]]);
    }
    if (input === null || typeof input !== 'object') {
      throw new Error(`${this.name}.applyGradients: expected [gradient, Variable] pairs, {grads, vars} or gradients by variable name, got ${describe(input)}`);
    }
    // A map from variable names to gradients, as variableGrads returns it (with its variables).
    const known = (input as { [GRADIENT_VARIABLES]?: Map<string, Variable> })[GRADIENT_VARIABLES];
    return Object.entries(input as Record<string, Tensor>).map(([name, g]) => {
      const v = known?.get(name) ?? this.byName.get(name);
      if (v === undefined)
        throw new Error(
          `${this.name}.applyGradients: unknown variable '${name}'; pass [gradient, variable] pairs, or build() the optimizer with its variables first`,
        );
      return [g, v];
    });
  }

  private clipGradients(grads: Tensor[]): Tensor[] {
    const { clipnorm, clipvalue, globalClipnorm } = this;
    if (clipnorm !== null) return mapPacked(grads, (g) => clipByNorm(g, clipnorm));
    if (globalClipnorm !== null) return clipByGlobalNorm(grads, globalClipnorm);
    if (clipvalue !== null) return mapPacked(grads, (g) => clipElementwise(g, clipvalue));
    return grads;
  }

  /**
   * Minimizes f(): computes its gradients for `varList` (default: every trainable
   * Variable it reads) and applies them. Returns the loss when `returnCost` (the caller
   * disposes it). TensorFlow.js's argument order (f, returnCost, varList) also works.
   */
  minimize(f: () => Tensor, varList?: Variable[] | boolean, returnCost: boolean | Variable[] = false): Tensor | null {
    if (arguments.length > 3) throw tooManyArguments(`${this.name}.minimize`, 3, arguments.length);
    const [vars, wantCost] = typeof varList === 'boolean' ? [Array.isArray(returnCost) ? returnCost : undefined, varList] : [varList, returnCost === true];
    // f's intermediates and the gradients are released here; only the loss may survive.
    return tidy(() => {
      const { value, grads, variables } = variableGrads(f, vars);
      this.applyGradients(variables.map((v): [Tensor, Variable] => [grads[v.name], v]));
      return wantCost ? value : null;
    });
  }

  /** Copies of the state: iterations, scalar state, then every slot (`<variable>/<slot>`). */
  getWeights(): NamedTensor[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getWeights`, 0, arguments.length);
    const out: NamedTensor[] = [{ name: 'iterations', tensor: scalar(this.iterations, 'int32') }];
    for (const [name, value] of Object.entries(this.scalarState())) out.push({ name, tensor: scalar(value, 'float64') });
    for (const slots of this.slotsOf.values()) for (const s of slots.values()) out.push({ name: s.name, tensor: tidy(() => mul(s, 1)) });
    return out;
  }

  /**
   * Restores what getWeights() returned (matched by name). The slots must exist: call
   * build(variables) on a fresh optimizer first.
   */
  setWeights(weights: NamedTensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.setWeights`, 1, arguments.length);
    weights = checkNamedTensors(this.name, weights);
    const slots = new Map<string, Variable>();
    for (const m of this.slotsOf.values()) for (const s of m.values()) slots.set(s.name, s);
    const scalars = this.scalarState();
    const given = new Set(weights.map((w) => w.name));
    const missing = [...slots.keys()].filter((n) => !given.has(n));
    if (missing.length > 0) throw new Error(`${this.name}.setWeights: no value for ${missing.map((n) => `'${n}'`).join(', ')}`);
    // Everything is checked before anything is assigned: a refused list changes nothing.
    const assign: (() => void)[] = weights.map(({ name, tensor }, i) => {
      if (name === 'iterations') {
        const n = scalarWeight(this.name, weights, i, true);
        return () => (this.iterations = n);
      }
      if (name in scalars) {
        const x = scalarWeight(this.name, weights, i, false);
        return () => (scalars[name] = x);
      }
      const s = slots.get(name);
      if (s === undefined)
        throw new Error(
          `${this.name}.setWeights: weight ${i}: unknown weight '${name}'; expected iterations${Object.keys(scalars)
            .map((k) => `, ${k}`)
            .join('')}${[...slots.keys()].map((k) => `, ${k}`).join('')} (call build(variables) first)`,
        );
      checkSlotWeight(this.name, weights, i, s.shape);
      return () => tidy(() => s.assign(tensor.dtype === s.dtype ? tensor : cast(tensor, s.dtype)));
    });
    assign.forEach((f) => f());
    this.restoreScalarState(scalars);
  }

  /** Releases every slot variable. */
  dispose(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.dispose`, 0, arguments.length);
    for (const slots of this.slotsOf.values()) for (const s of slots.values()) s.dispose();
    this.slotsOf.clear();
    this.byName.clear();
    this.plan = null;
  }

  /** The options that recreate this optimizer (without its state); a schedule is serialized, a function learning rate is returned as is. */
  getConfig(): Record<string, unknown> {
    const lr = this.rate instanceof LearningRateSchedule ? serialize(this.rate) : this.rate;
    return {
      name: this.name,
      learningRate: lr,
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
      useEma: this.useEma,
      emaMomentum: this.emaMomentum,
      emaOverwriteFrequency: this.emaOverwriteFrequency,
      ...this.hyper,
    };
  }
}

/** applyGradients' work that depends on the variables alone (see Optimizer.planFor). */
interface UpdatePlan {
  variables: Variable[];
  multiTensor: boolean;
  /** Multi-tensor groups: variables of one device, dtype and weight decay; null: one update per variable. */
  groups: { indices: number[]; weightDecay: number }[] | null;
}

function sameVariables(a: Variable[], b: Variable[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The indices of `items` grouped by `key`, groups in order of first appearance. */
function groupIndices<T>(items: T[], key: (item: T) => string): number[][] {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  });
  return [...groups.values()];
}

/** The object of `obj`'s prototype chain (itself included) that defines `key`. */
function ownerOf(obj: object, key: string): object | null {
  for (let o: object | null = obj; o !== null; o = Object.getPrototypeOf(o) as object | null) if (Object.prototype.hasOwnProperty.call(o, key)) return o;
  return null;
}

// The EMA options as Keras checks them (ema_momentum in [0, 1], the frequency an integer >= 1 or null), whether or not useEma is on.
function checkEma(kind: string, useEma: unknown, momentum: unknown, frequency: unknown): [boolean, number, number | null] {
  if (typeof useEma !== 'boolean') throw new Error(`${kind}: expected useEma to be true or false, got ${describe(useEma)}`);
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new Error(`${kind}: expected emaMomentum in [0, 1], got ${describe(momentum)}`);
  if (frequency !== null && !(typeof frequency === 'number' && Number.isInteger(frequency) && frequency >= 1))
    throw new Error(`${kind}: expected emaOverwriteFrequency to be an integer >= 1 or null, got ${describe(frequency)}`);
  return [useEma, momentum, frequency];
}

/** Decoupled weight decay in place: v -= v * weightDecay * lr (Keras's _apply_weight_decay). */
export function decayWeights(v: Variable, lr: number, weightDecay: number): void {
  if (arguments.length > 3) throw tooManyArguments('optimizers.decayWeights', 3, arguments.length);
  if (!(v instanceof Variable)) throw new Error(`decayWeights: expected a Variable, got ${describe(v)}`);
  checkNumber('decayWeights', 'lr', lr);
  checkNumber('decayWeights', 'weightDecay', weightDecay);
  if (weightDecay !== 0) v.assign(sub(v, mul(v, weightDecay * lr)));
}
