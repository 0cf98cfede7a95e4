// The compile configuration and the optimizer's state in a .keras file, as Keras 3
// stores them (saving_lib.py, base_optimizer.py):
// - config.json: "compile_config" beside the model's "config": the optimizer serialized
//   ({module: 'keras.optimizers', class_name, config}), loss, metrics, loss_weights.
// - model.weights.h5: the optimizer's variables at optimizer/vars/0, 1, ... in the order
//   of Keras's optimizer.variables: the iteration count, the learning rate (a variable
//   only when it is a number), then the slots: the kinds one add_optimizer_variables call
//   makes are interleaved per weight (Adam: kernel momentum, kernel velocity, bias
//   momentum, ...), the other kinds follow, each over all weights (Adam's velocity_hat,
//   RMSprop's momentum); Nadam's u_product comes last. Keras matches these by position
//   only, so the order is the format: checked against Keras 3.15.1's optimizer.variables.
import type { Layer } from '../layers/layer';
import { toSnakeCase } from '../layers/naming';
import * as losses from '../losses';
import { Loss } from '../losses/loss';
import * as metrics from '../metrics';
import { Metric } from '../metrics/metric';
import * as optimizers from '../optimizers';
import { LossScaleOptimizer } from '../optimizers/loss_scale_optimizer';
import { MultiOptimizer } from '../optimizers/multi_optimizer';
import { OptimizerMap } from '../optimizers/optimizer_map';
import { Optimizer, type NamedTensor } from '../optimizers/optimizer';
import { scalar, tensor } from '../tensor/creation';
import type { Variable } from '../tensor/tensor';
import { configFromDisk, configToDisk, type Json } from './config_conversion';
import { childGroup, ensureGroup, type H5Group, type H5ReadGroup, type H5ReadModule } from './h5';
import { datasetValue } from './keras_weights';
import { floatMark } from './json_floats';
import { findCustomObject } from '../serialization/custom_objects';
import { ownEntry } from '../options/own_entry';

// Slot kinds that Keras makes in one call, interleaved per variable; any other kind is a group of its own.
const INTERLEAVED_SLOTS: Record<string, string[]> = {
  Adam: ['momentum', 'velocity'],
  AdamW: ['momentum', 'velocity'],
  Nadam: ['momentum', 'velocity'],
  Adamax: ['momentum', 'norm'],
  Adadelta: ['accumulated_grad', 'accumulated_delta_var'],
  Lamb: ['momentum', 'velocity'],
  Ftrl: ['accumulator', 'linear'],
  // Adafactor's build makes r, c and velocity for each weight in turn.
  Adafactor: ['r', 'c', 'velocity'],
  // Muon's velocity only for the weights it updates with AdamW (the others have none).
  Muon: ['momentum', 'velocity'],
  ScheduleFreeAdamW: ['momentum', 'velocity'],
};

// Options every Keras 3 optimizer config has that Tessera's optimizers lack, with the
// value that means "off": read back only when they hold it.
const KERAS_ONLY_OPTIONS: Record<string, unknown> = {
  lossScaleFactor: null,
  gradientAccumulationSteps: null,
  isLegacyOptimizer: false,
};

interface Compiled {
  optimizer: Optimizer;
  ownsOptimizer: boolean;
  compileArgs: { loss?: unknown; metrics?: unknown; weightedMetrics?: unknown; lossWeights?: unknown };
}

const compiledOf = (model: Layer<any>): Compiled | null => (model as { compiled?: Compiled | null }).compiled ?? null;
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

// Keras names losses and metrics in snake_case ('mean_squared_error'); short names and class names stay.
const kerasName = (s: string) => (/^[a-z]+[A-Z]/.test(s) ? toSnakeCase(s) : s);

// The built-in Loss or Metric class of this name, if any.
function builtInClass(kind: 'loss' | 'metrics', className: string): (new (config?: object) => object) | undefined {
  const [module, base] = kind === 'loss' ? [losses as Record<string, unknown>, Loss] : [metrics as Record<string, unknown>, Metric];
  const cls = module[className];
  return typeof cls === 'function' && (cls === base || cls.prototype instanceof base) ? (cls as new (config?: object) => object) : undefined;
}

// The Loss or Metric class of this name in the load's customObjects, if any.
function customClass(kind: 'loss' | 'metrics', className: string): (new (config?: object) => object) | undefined {
  const base = kind === 'loss' ? Loss : Metric;
  return findCustomObject(className, (v) => v.prototype instanceof base)?.value as (new (config?: object) => object) | undefined;
}

// A loss or metrics spec as Keras writes it: names, or built-in Loss / Metric objects as
// {module, class_name, config}; a function or a custom object cannot be written.
function specToDisk(model: string, kind: 'loss' | 'metrics', v: unknown): Json {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return kerasName(v);
  if (Array.isArray(v)) return v.map((x) => specToDisk(model, kind, x));
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, specToDisk(model, kind, x)]));
  const className = (v as object).constructor?.name ?? '';
  if ((v instanceof Loss || v instanceof Metric) && builtInClass(kind, className) === v.constructor) {
    return {
      module: kind === 'loss' ? 'keras.losses' : 'keras.metrics',
      class_name: className,
      config: configToDisk(v.getConfig(), 'keras'),
      registered_name: null,
    };
  }
  throw new Error(
    `${model}.save: cannot write the compile configuration: the ${kind} is ${typeof v === 'function' ? `the function ${v.name || '(anonymous)'}` : `a ${className || 'custom'} object`}, and a .keras file holds ${kind === 'loss' ? 'losses' : 'metrics'} by name ('meanSquaredError', 'accuracy') or as built-in classes; ` +
      `compile with those, or save with {includeOptimizer: false} to leave the compile configuration and optimizer out`,
  );
}

// A loss or metrics spec from compile_config: names stay; {className, config} objects become the built-in class.
function specFromDisk(source: string, kind: 'loss' | 'metrics', v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => specFromDisk(source, kind, x));
  if (!isPlain(v)) return v;
  if (typeof v.className !== 'string') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, specFromDisk(source, kind, x)]));
  const cls = builtInClass(kind, v.className) ?? customClass(kind, v.className);
  if (cls === undefined)
    throw new Error(
      `${source}: compile_config.${kind}: unknown ${kind === 'loss' ? 'loss' : 'metric'} class '${v.className}'; a custom class can be passed to this load: loadModel(path, { customObjects: { '${v.className}': ${v.className.slice(v.className.lastIndexOf('>') + 1)} } })`,
    );
  // Keras writes the dtype of losses and metrics; Tessera's follow their inputs.
  const { dtype: _dtype, ...config } = (isPlain(v.config) ? v.config : {}) as Record<string, unknown>;
  try {
    return new cls(config);
  } catch (e) {
    throw new Error(`${source}: compile_config.${kind}: cannot rebuild ${v.className}: ${(e as Error).message}`, { cause: e });
  }
}

// Keras's optimizers insist on floats (learning_rate=1 is refused, 1.0 is not) and JSON
// cannot tell them apart: whole numbers of an optimizer's config are marked here and
// written as '1.0' by floatsInJson, except counts (decay_steps, boundaries).
const INT_KEY = /(_steps|_frequency|^boundaries|^staircase|^cycle)$/;
function markFloats(v: Json, key = ''): Json {
  if (typeof v === 'number') return Number.isInteger(v) && !INT_KEY.test(key) ? floatMark(v) : v;
  if (Array.isArray(v)) return v.map((x) => markFloats(x, key));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markFloats(x, k)]));
  return v;
}

/** Keras 3's compile_config of a compiled model (null when it is not compiled). */
export function compileConfigOf(model: Layer<any>): Json {
  const compiled = compiledOf(model);
  if (compiled === null) return null;
  const opt = compiled.optimizer;
  let config: Json;
  try {
    if (opt instanceof LossScaleOptimizer && opt.innerOptimizer instanceof MultiOptimizer)
      throw new Error('a LossScaleOptimizer around a MultiOptimizer is not supported in a .keras file');
    config = opt instanceof MultiOptimizer ? multiOptimizerToDisk(opt) : configToDisk(opt.getConfig(), 'keras');
  } catch (e) {
    throw new Error(`${model.name}.save: cannot write the optimizer's config (${(e as Error).message}); save with {includeOptimizer: false} to leave it out`, {
      cause: e,
    });
  }
  const lossWeights = compiled.compileArgs.lossWeights;
  return {
    optimizer: { module: 'keras.optimizers', class_name: opt.constructor.name, config: markFloats(config), registered_name: null },
    loss: specToDisk(model.name, 'loss', compiled.compileArgs.loss),
    loss_weights: (lossWeights ?? null) as Json,
    metrics: specToDisk(model.name, 'metrics', compiled.compileArgs.metrics),
    weighted_metrics: specToDisk(model.name, 'metrics', compiled.compileArgs.weightedMetrics),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

// An optimizer as compile_config holds it: {module, class_name, config, registered_name}.
const optimizerEntry = (opt: Optimizer): Json => ({
  module: 'keras.optimizers',
  class_name: opt.constructor.name,
  config: configToDisk(opt.getConfig(), 'keras'),
  registered_name: null,
});

// A MultiOptimizer's config as Keras writes it: the OptimizerMap's keys are variable paths
// and regular expressions, written as they are (configToDisk would snake_case them).
function multiOptimizerToDisk(opt: MultiOptimizer): Json {
  const map = opt.optimizerMap;
  if (!(map instanceof OptimizerMap))
    throw new Error('the MultiOptimizer picks optimizers with a function, which a .keras file cannot hold; use an OptimizerMap');
  const entries: { [key: string]: Json } = {};
  for (const [key, o] of map.entries()) entries[key] = optimizerEntry(o);
  return {
    optimizer_map: {
      module: 'keras.optimizers',
      class_name: 'OptimizerMap',
      config: { default_optimizer: optimizerEntry(map.defaultOptimizer), optimizer_map: entries },
      registered_name: null,
    },
    loss_scale_factor: null,
    name: opt.name,
  };
}

// A MultiOptimizer from compile_config's config: each optimizer read as compile_config's
// optimizer is; the map's keys as they are.
function multiOptimizerFromDisk(source: string, disk: unknown): MultiOptimizer {
  const where = `${source}: compile_config.optimizer (a MultiOptimizer)`;
  if (!isPlain(disk)) throw new Error(`${where}: expected a config object, got ${JSON.stringify(disk)?.slice(0, 200)}`);
  const { optimizer_map: mapEntry, loss_scale_factor: lossScaleFactor, name, ...rest } = disk;
  if (Object.keys(rest).length > 0)
    throw new Error(`${where}: unknown config keys ${Object.keys(rest).join(', ')}; expected optimizer_map, loss_scale_factor, name`);
  if (lossScaleFactor !== null && lossScaleFactor !== undefined)
    throw new Error(`${where}: uses loss_scale_factor=${JSON.stringify(lossScaleFactor)}, which Tessera's optimizers do not support`);
  if (!isPlain(mapEntry) || mapEntry.class_name !== 'OptimizerMap' || !isPlain(mapEntry.config))
    throw new Error(
      `${where}: expected optimizer_map to be a serialized OptimizerMap ({class_name: 'OptimizerMap', config}), got ${JSON.stringify(mapEntry)?.slice(0, 200)}`,
    );
  const { default_optimizer: defaultEntry, optimizer_map: byKey } = mapEntry.config;
  if (byKey !== null && byKey !== undefined && !isPlain(byKey))
    throw new Error(
      `${where}: expected the OptimizerMap's optimizer_map to be an object of variable paths to optimizers, got ${JSON.stringify(byKey)?.slice(0, 200)}`,
    );
  const optimizerMap = Object.fromEntries(Object.entries(byKey ?? {}).map(([key, entry]) => [key, optimizerFromConfig(source, entry)]));
  try {
    return new MultiOptimizer({
      optimizerMap: new OptimizerMap({ defaultOptimizer: optimizerFromConfig(source, defaultEntry), optimizerMap }),
      ...(typeof name === 'string' ? { name } : {}),
    });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

/** One entry of optimizer/vars: a NamedTensor name of Optimizer.getWeights (or 'learning_rate'). */
function kerasOrder(opt: Optimizer, trainable: Variable[], slotKinds: string[], scalars: string[], slotNames?: Set<string>): string[] {
  const names = ['iterations'];
  if (typeof opt.learningRateSource === 'number') names.push('learning_rate');
  if (slotKinds.length === 0 && scalars.length === 0) return names;
  const interleaved = ownEntry(INTERLEAVED_SLOTS, opt.constructor.name) ?? [];
  const groups: string[][] = [];
  for (const kind of slotKinds) {
    if (!interleaved.includes(kind)) groups.push([kind]);
    else if (!groups.some((g) => g.includes(kind))) groups.push(interleaved.filter((k) => slotKinds.includes(k)));
  }
  // A weight without a slot of some kind (Muon's velocity) has no entry for it, as in Keras.
  for (const group of groups)
    for (const v of trainable) for (const kind of group) if (slotNames === undefined || slotNames.has(`${v.name}/${kind}`)) names.push(`${v.name}/${kind}`);
  return [...names, ...scalars];
}

// The slot kinds ('momentum', in first-seen order) and scalar state ('u_product') in an
// optimizer's getWeights, and the names of its slots.
function stateKinds(opt: Optimizer, state: NamedTensor[]): { slotKinds: string[]; scalars: string[]; slotNames: Set<string> } {
  const slotKinds: string[] = [];
  const slotNames = new Set<string>();
  for (const v of opt.variables) {
    for (const w of state) {
      const kind = w.name.slice(v.name.length + 1);
      // Slot kinds have no '/': 'dense/kernel/x/momentum' is not a slot of 'dense/kernel'.
      if (!w.name.startsWith(`${v.name}/`) || kind.includes('/')) continue;
      slotNames.add(w.name);
      if (!slotKinds.includes(kind)) slotKinds.push(kind);
    }
  }
  return { slotKinds, scalars: state.filter((w) => w.name !== 'iterations' && !slotNames.has(w.name)).map((w) => w.name), slotNames };
}

/** Writes the compiled model's optimizer state at optimizer/vars (nothing when it is not compiled). */
export function writeKerasOptimizer(file: H5Group, model: Layer<any>): void {
  const compiled = compiledOf(model);
  if (compiled === null) return;
  const opt = compiled.optimizer;
  const trainable = model.trainableWeights;
  const foreign = opt.variables.filter((v) => !trainable.includes(v));
  if (foreign.length > 0) {
    throw new Error(
      `${model.name}.save: the optimizer holds state for variables that are not the model's trainable weights (${foreign.map((v) => v.name).join(', ')}); a .keras file keeps only the model's; save with {includeOptimizer: false}`,
    );
  }
  // Keras builds the optimizer for every trainable weight; slots never updated are zeros, as there.
  if (opt.variables.length > 0) opt.build(trainable);
  const vars = ensureGroup(file, 'optimizer/vars');
  vars.create_attribute('name', opt.name);
  if (opt instanceof MultiOptimizer) return writeMultiOptimizer(file, vars, opt, trainable);
  let first = 0;
  if (opt instanceof LossScaleOptimizer) {
    // Keras's LossScaleOptimizer.variables: its own iteration count (never advanced) and
    // learning rate (0.0), step_counter and dynamic_scale, then the inner optimizer's.
    vars.create_dataset({ name: '0', data: BigInt64Array.of(0n), shape: [], dtype: '<q' });
    vars.create_dataset({ name: '1', data: Float32Array.of(0), shape: [], dtype: '<f' });
    vars.create_dataset({ name: '2', data: BigInt64Array.of(BigInt(opt.stepCounter)), shape: [], dtype: '<q' });
    vars.create_dataset({ name: '3', data: Float32Array.of(opt.dynamicScale), shape: [], dtype: '<f' });
    first = LOSS_SCALE_VARS;
  }
  writeState(vars, opt instanceof LossScaleOptimizer ? opt.innerOptimizer : opt, trainable, first);
}

// Keras's LossScaleOptimizer's own entries before its inner optimizer's.
const LOSS_SCALE_VARS = 4;

// Keras's MultiOptimizer.variables at optimizer/vars: its iteration count and learning rate
// (0.0), then each optimizer's variables; each optimizer's again at
// optimizer/optimizers/<class name in snake_case, numbered>/vars (Keras saves both).
function writeMultiOptimizer(file: H5Group, vars: H5Group, opt: MultiOptimizer, trainable: Variable[]): void {
  vars.create_dataset({ name: '0', data: BigInt64Array.of(BigInt(opt.iterations)), shape: [], dtype: '<q' });
  vars.create_dataset({ name: '1', data: Float32Array.of(0), shape: [], dtype: '<f' });
  let next = MULTI_OPTIMIZER_VARS;
  const names = opt.stateNames();
  opt.optimizers.forEach((sub, i) => {
    const own = trainable.filter((v) => opt.optimizerOf(v) === sub);
    next += writeState(vars, sub, own, next);
    const group = ensureGroup(file, `optimizer/optimizers/${names[i]}/vars`);
    group.create_attribute('name', sub.name);
    writeState(group, sub, own, 0);
  });
}

// Keras's MultiOptimizer's own entries before its optimizers'.
const MULTI_OPTIMIZER_VARS = 2;

// Writes an optimizer's variables in Keras's order at optimizer/vars/first, first + 1, ...; returns how many.
function writeState(vars: H5Group, opt: Optimizer, trainable: Variable[], first: number): number {
  const state = opt.getWeights();
  try {
    const byName = new Map(state.map((w) => [w.name, w.tensor]));
    const { slotKinds, scalars, slotNames } = stateKinds(opt, state);
    const order = kerasOrder(opt, trainable, slotKinds, scalars, slotNames);
    order.forEach((name, k) => {
      const i = first + k;
      if (name === 'iterations') vars.create_dataset({ name: String(i), data: BigInt64Array.of(BigInt(opt.iterations)), shape: [], dtype: '<q' });
      else if (name === 'learning_rate')
        vars.create_dataset({ name: String(i), data: Float32Array.of(opt.learningRateSource as number), shape: [], dtype: '<f' });
      else {
        // Slots in their variable's dtype; scalar state (float64 here) as float64, so a resumed run is exact.
        const t = byName.get(name)!;
        const double = t.dtype === 'float64';
        vars.create_dataset({
          name: String(i),
          data: double ? Float64Array.from(t.dataSync()) : Float32Array.from(t.dataSync()),
          shape: [...t.shape],
          dtype: double ? '<d' : '<f',
        });
      }
    });
    return order.length;
  } finally {
    for (const w of state) w.tensor.dispose();
  }
}

// The EMA options, which Keras writes for every optimizer: kept with use_ema on; off, left
// out (a LossScaleOptimizer takes none of its own).
const EMA_OPTIONS = ['useEma', 'emaMomentum', 'emaOverwriteFrequency'];

// An optimizer config without the Keras-only options, which must be off.
function withoutKerasOnly(source: string, disk: Record<string, unknown>): Record<string, unknown> {
  const config = { ...disk };
  if (config.useEma !== true) for (const key of EMA_OPTIONS) delete config[key];
  for (const [key, off] of Object.entries(KERAS_ONLY_OPTIONS)) {
    if (!(key in config)) continue;
    if (off !== undefined && config[key] !== off && config[key] !== null && config[key] !== false) {
      throw new Error(`${source}: the optimizer uses ${toSnakeCase(key)}=${JSON.stringify(config[key])}, which Tessera's optimizers do not support`);
    }
    delete config[key];
  }
  // Keras names a schedule after its class by default; Tessera's schedules have no name.
  const lr = config.learningRate;
  if (isPlain(lr) && isPlain(lr.config) && lr.config.name === lr.className) {
    const { name: _name, ...rest } = lr.config;
    config.learningRate = { ...lr, config: rest };
  }
  return config;
}

/** An optimizer from compile_config's {class_name, config}; Keras-only options must be off. */
export function optimizerFromConfig(source: string, entry: unknown): Optimizer {
  // Keras keeps compile's argument as given: a name ('adam') is possible.
  if (typeof entry === 'string') {
    try {
      return optimizers.get(entry);
    } catch (e) {
      throw new Error(`${source}: compile_config.optimizer: ${(e as Error).message}`, { cause: e });
    }
  }
  if (!isPlain(entry) || typeof entry.class_name !== 'string')
    throw new Error(`${source}: compile_config.optimizer: expected {class_name, config}, got ${JSON.stringify(entry)?.slice(0, 200)}`);
  if (entry.class_name === 'MultiOptimizer') return multiOptimizerFromDisk(source, entry.config);
  if (
    entry.class_name === 'LossScaleOptimizer' &&
    isPlain(entry.config) &&
    isPlain(entry.config.inner_optimizer) &&
    entry.config.inner_optimizer.class_name === 'MultiOptimizer'
  )
    throw new Error(`${source}: compile_config.optimizer: a LossScaleOptimizer around a MultiOptimizer is not supported`);
  const config = withoutKerasOnly(source, (configFromDisk(entry.config ?? {}) ?? {}) as Record<string, unknown>);
  // A LossScaleOptimizer's inner optimizer has them too.
  const inner = config.innerOptimizer;
  if (isPlain(inner) && isPlain(inner.config)) config.innerOptimizer = { ...inner, config: withoutKerasOnly(source, inner.config) };
  try {
    return optimizers.get({ className: entry.class_name, config });
  } catch (e) {
    throw new Error(`${source}: cannot rebuild the optimizer of compile_config: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Reads compile_config and optimizer/vars (while the file is open) and returns what
 * compiles the loaded model with them, the optimizer's state restored; null when the file
 * has no compile configuration.
 */
export function readKerasCompile(source: string, compileConfig: unknown, module: H5ReadModule, file: H5ReadGroup, model: Layer<any>): (() => void) | null {
  return compileFromConfig(source, compileConfig, model, (opt) => restoreState(source, opt, module, file, model));
}

/**
 * Compiles `model` as a Keras 3 compile_config says, with fresh optimizer, loss and metric
 * objects (cloneModel's compile_from_config). `prepare` sets the new optimizer's state.
 * Returns the compile to run, or null when the config compiles nothing.
 */
export function compileFromConfig(
  source: string,
  compileConfig: unknown,
  model: Layer<any>,
  prepare: (opt: Optimizer) => void = () => {},
  extra: Record<string, unknown> = {},
): (() => void) | null {
  if (compileConfig === null || compileConfig === undefined) return null;
  if (!isPlain(compileConfig)) throw new Error(`${source}: compile_config: expected an object, got ${JSON.stringify(compileConfig)?.slice(0, 200)}`);
  // Keras writes {} for a model that was not compiled.
  if (compileConfig.optimizer === undefined && compileConfig.loss === undefined) return null;
  const compile = (model as { compile?: (args: unknown) => void }).compile;
  if (typeof compile !== 'function') throw new Error(`${source} has a compile configuration, but ${model.name} is a layer, not a model`);
  const opt = optimizerFromConfig(source, compileConfig.optimizer);
  try {
    prepare(opt);
  } catch (e) {
    opt.dispose();
    throw e;
  }
  const disk = configFromDisk({ loss: compileConfig.loss, metrics: compileConfig.metrics, weighted: compileConfig.weighted_metrics ?? null }) as {
    loss: unknown;
    metrics: unknown;
    weighted: unknown;
  };
  let loss: unknown;
  let metricSpecs: unknown;
  let weightedSpecs: unknown;
  try {
    loss = specFromDisk(source, 'loss', disk.loss);
    metricSpecs = specFromDisk(source, 'metrics', disk.metrics);
    weightedSpecs = specFromDisk(source, 'metrics', disk.weighted);
  } catch (e) {
    opt.dispose();
    throw e;
  }
  const lossWeights = compileConfig.loss_weights;
  return () => {
    try {
      compile.call(model, {
        optimizer: opt,
        loss,
        ...(metricSpecs !== null && metricSpecs !== undefined ? { metrics: metricSpecs } : {}),
        ...(weightedSpecs !== null && weightedSpecs !== undefined ? { weightedMetrics: weightedSpecs } : {}),
        ...(lossWeights !== null && lossWeights !== undefined ? { lossWeights } : {}),
        ...extra,
      });
    } catch (e) {
      opt.dispose();
      throw new Error(`${source}: cannot compile the model as its compile_config says: ${(e as Error).message}`, { cause: e });
    }
    // The loader made this optimizer, so the model releases it with itself.
    const compiled = compiledOf(model);
    if (compiled) compiled.ownsOptimizer = true;
  };
}

// Sets the optimizer's state from optimizer/vars: none (an optimizer Keras never built
// has only its iteration count and learning rate) or every slot of every trainable weight.
function restoreState(source: string, opt: Optimizer, module: H5ReadModule, file: H5ReadGroup, model: Layer<any>): void {
  const vars = childGroup(module, file, 'optimizer/vars');
  if (vars === null) return;
  const value = (i: number) => {
    const ds = vars.get(String(i));
    if (!(ds instanceof module.Dataset)) throw new Error(`${source}: optimizer/vars/${i} is missing`);
    return datasetValue(source, `optimizer/vars/${i}`, ds);
  };
  if (opt instanceof MultiOptimizer) return restoreMultiOptimizer(source, opt, module, file, vars.keys().length, value, model.trainableWeights);
  if (!(opt instanceof LossScaleOptimizer)) return restoreVars(source, opt, vars.keys().length, value, model.trainableWeights);
  // Its own four entries (see writeKerasOptimizer), then the inner optimizer's.
  if (vars.keys().length < LOSS_SCALE_VARS) throw new Error(`${source}: optimizer/vars has ${vars.keys().length} values; a LossScaleOptimizer has at least 6`);
  const inner = opt.innerOptimizer;
  restoreVars(source, inner, vars.keys().length - LOSS_SCALE_VARS, (i) => value(i + LOSS_SCALE_VARS), model.trainableWeights);
  const own = [
    { name: 'step_counter', tensor: scalar(value(2).values[0], 'int32') },
    { name: 'dynamic_scale', tensor: scalar(value(3).values[0], 'float32') },
  ];
  const state = inner.getWeights();
  try {
    opt.setWeights([...own, ...state]);
  } finally {
    for (const w of [...own, ...state]) w.tensor.dispose();
  }
}

// A MultiOptimizer's state: its iteration count from optimizer/vars, each optimizer's from
// its own group (see writeMultiOptimizer); built for every trainable weight unless Keras's was not.
function restoreMultiOptimizer(
  source: string,
  opt: MultiOptimizer,
  module: H5ReadModule,
  file: H5ReadGroup,
  count: number,
  value: (i: number) => ReturnType<typeof datasetValue>,
  trainable: Variable[],
): void {
  const unbuilt = opt.optimizers.reduce((n, sub) => n + kerasOrder(sub, [], [], []).length, MULTI_OPTIMIZER_VARS);
  if (count !== unbuilt) opt.build(trainable);
  const names = opt.stateNames();
  opt.optimizers.forEach((sub, i) => {
    const path = `optimizer/optimizers/${names[i]}/vars`;
    const group = childGroup(module, file, path);
    if (group === null) throw new Error(`${source}: ${path} is missing (the state of the MultiOptimizer's ${sub.constructor.name} '${sub.name}')`);
    const subValue = (k: number) => {
      const ds = group.get(String(k));
      if (!(ds instanceof module.Dataset)) throw new Error(`${source}: ${path}/${k} is missing`);
      return datasetValue(source, `${path}/${k}`, ds);
    };
    restoreVars(
      source,
      sub,
      group.keys().length,
      subValue,
      trainable.filter((v) => opt.optimizerOf(v) === sub),
      path,
    );
  });
  opt.iterations = value(0).values[0];
}

// Sets an optimizer's state from `count` values in Keras's order, for these trainable weights.
function restoreVars(
  source: string,
  opt: Optimizer,
  count: number,
  value: (i: number) => ReturnType<typeof datasetValue>,
  trainable: Variable[],
  path = 'optimizer/vars',
): void {
  const unbuilt = kerasOrder(opt, trainable, [], []);
  let order = unbuilt;
  if (count !== unbuilt.length) {
    opt.build(trainable);
    const state = opt.getWeights();
    const { slotKinds, scalars, slotNames } = stateKinds(opt, state);
    for (const w of state) w.tensor.dispose();
    order = kerasOrder(opt, trainable, slotKinds, scalars, slotNames);
    if (count !== order.length) {
      throw new Error(
        `${source}: ${path} has ${count} values, but a ${opt.constructor.name} for ${path === 'optimizer/vars' ? "this model's" : 'its'} ${trainable.length} trainable weights has ${order.length} (${order.join(', ')})`,
      );
    }
  }
  const named: NamedTensor[] = [];
  try {
    order.forEach((name, i) => {
      const v = value(i);
      if (name === 'learning_rate') {
        // The config holds the rate exactly; the file's float32 copy matters only when the rate was changed after compile.
        if (Math.fround(opt.learningRateSource as number) !== v.values[0]) opt.learningRate = v.values[0];
        return;
      }
      named.push({ name, tensor: name === 'iterations' ? scalar(v.values[0], 'int32') : tensor(v.values, v.shape, v.dtype) });
    });
    if (order === unbuilt) opt.iterations = named[0].tensor.dataSync()[0];
    else opt.setWeights(named);
  } catch (e) {
    throw new Error(`${source}: the optimizer state does not fit the model: ${(e as Error).message}`, { cause: e });
  } finally {
    for (const n of named) n.tensor.dispose();
  }
}
