// Optimizers by name (Keras 3: the class name in lower case) or by {className, config}.
import { tooManyArguments } from '../options/arity';
import { didYouMean } from '../options/check';
import { configOf } from '../serialization/registry';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { AdamW } from './adamw';
import { Adafactor } from './adafactor';
import { Ftrl } from './ftrl';
import { Lamb } from './lamb';
import { Lion } from './lion';
import { LossScaleOptimizer } from './loss_scale_optimizer';
import { Muon } from './muon';
import { MultiOptimizer } from './multi_optimizer';
import { Nadam } from './nadam';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { RMSprop } from './rmsprop';
import { ScheduleFreeAdamW } from './schedule_free_adamw';
import { SGD } from './sgd';
import { deserialize as deserializeSchedule, type SerializedSchedule } from '../schedules/registry';
import { describe } from '../tensor/shape';

type OptimizerClass = new (config?: OptimizerConfig) => Optimizer;

const CLASSES: Record<string, OptimizerClass> = {
  sgd: SGD,
  adam: Adam,
  adamw: AdamW,
  adamax: Adamax,
  nadam: Nadam,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  adadelta: Adadelta,
  adafactor: Adafactor,
  ftrl: Ftrl,
  lamb: Lamb,
  lion: Lion,
  muon: Muon,
  schedulefreeadamw: ScheduleFreeAdamW,
  // Read when asked for: loss_scale_optimizer.ts imports this module (its innerOptimizer
  // by name), so the class is not defined yet while this object is made. Its constructor
  // needs an innerOptimizer: by {className, config} only.
  get lossscaleoptimizer() {
    return LossScaleOptimizer as unknown as OptimizerClass;
  },
  // The same (its OptimizerMap's optimizers by name): by {className, config} only.
  get multioptimizer() {
    return MultiOptimizer as unknown as OptimizerClass;
  },
};

/** An optimizer as plain data: its class name and getConfig(). */
export interface SerializedOptimizer {
  /** The optimizer's class name, e.g. 'Adam' (any letter case when read back). */
  className: string;
  /** The optimizer's options, as getConfig() returns them. */
  config: Record<string, unknown>;
}

/**
 * A fresh optimizer by name ('sgd', 'adam', 'adamw', 'adamax', 'nadam', 'rmsprop',
 * 'adagrad', 'adadelta', 'adafactor', 'ftrl', 'lamb', 'lion', 'muon', 'schedulefreeadamw'; any letter case), from {className, config}, or the one given.
 * @example optimizers.get('adam'); optimizers.get({ className: 'SGD', config: { learningRate: 0.1 } })
 */
export function get(identifier: string | SerializedOptimizer | Optimizer): Optimizer {
  if (arguments.length > 1) throw tooManyArguments('optimizers.get', 1, arguments.length);
  if (identifier instanceof Optimizer) return identifier;
  const name = typeof identifier === 'string' ? identifier : identifier?.className;
  // Own keys only: '__proto__' or 'constructor' would find Object's.
  const cls = typeof name === 'string' && Object.hasOwn(CLASSES, name.toLowerCase()) ? CLASSES[name.toLowerCase()] : undefined;
  if (cls === undefined) {
    throw new Error(
      `optimizers.get: unknown optimizer ${typeof name === 'string' ? `'${name}'` : typeof identifier}; ${didYouMean(name, Object.keys(CLASSES))}expected an Optimizer or one of ${Object.keys(CLASSES).join(', ')}`,
    );
  }
  if (typeof identifier === 'string') return new cls();
  const config = { ...configOf('optimizers.get', identifier) };
  const lr = config.learningRate as SerializedSchedule | undefined;
  if (lr !== null && typeof lr === 'object' && 'className' in lr) config.learningRate = deserializeSchedule(lr);
  return new cls(config as OptimizerConfig);
}

/** An optimizer as {className, config}; a schedule learning rate is serialized with it. */
export function serialize(optimizer: Optimizer): SerializedOptimizer {
  if (arguments.length > 1) throw tooManyArguments('optimizers.serialize', 1, arguments.length);
  if (!(optimizer instanceof Optimizer)) throw new Error(`optimizers.serialize: expected an Optimizer, got ${describe(optimizer)}`);
  return { className: optimizer.constructor.name, config: optimizer.getConfig() };
}

/**
 * An optimizer from {className, config}, as serialize() returns it (Keras's optimizers.deserialize).
 * @example optimizers.deserialize(optimizers.serialize(new MultiOptimizer({ optimizerMap })))
 */
export function deserialize(serialized: SerializedOptimizer): Optimizer {
  if (arguments.length > 1) throw tooManyArguments('optimizers.deserialize', 1, arguments.length);
  if (serialized === null || typeof serialized !== 'object' || serialized instanceof Optimizer || typeof serialized.className !== 'string')
    throw new Error(`optimizers.deserialize: expected {className, config}, got ${describe(serialized)}`);
  const extra = Object.keys(serialized).filter((k) => k !== 'className' && k !== 'config');
  if (extra.length > 0) throw new Error(`optimizers.deserialize: unknown key ${extra.map((k) => `'${k}'`).join(', ')}; expected {className, config}`);
  const { config } = serialized;
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config)))
    throw new Error(`optimizers.deserialize: expected config to be an object of options, got ${describe(config)}`);
  try {
    return get(serialized);
  } catch (e) {
    throw new Error(`optimizers.deserialize: ${(e as Error).message.replace(/^optimizers\.get: /, '')}`, { cause: e });
  }
}
