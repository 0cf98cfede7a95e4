// Schedules by class name, for configs saved with serialize().
import { CosineDecay } from './cosine_decay';
import { CosineDecayRestarts } from './cosine_decay_restarts';
import { CyclicalLearningRate } from './cyclical';
import { ExponentialDecay } from './exponential_decay';
import { InverseTimeDecay } from './inverse_time_decay';
import { OneCycle } from './one_cycle';
import { PiecewiseConstantDecay } from './piecewise_constant_decay';
import { PolynomialDecay } from './polynomial_decay';
import { LearningRateSchedule } from './schedule';
import { describe, quoted } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { ownEntry } from '../options/own_entry';

/** A schedule as plain data: its class name and its options. */
export interface SerializedSchedule {
  /** The schedule's class name, e.g. 'ExponentialDecay'. */
  className: string;
  /** The schedule's options, as getConfig() returns them. */
  config: Record<string, unknown>;
}

const CLASSES: Record<string, { fromConfig(config: Record<string, unknown>): LearningRateSchedule }> = {
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  CosineDecayRestarts,
  CyclicalLearningRate,
  OneCycle,
};

/** A built-in schedule as {className, config}. */
export function serialize(schedule: LearningRateSchedule): SerializedSchedule {
  if (arguments.length > 1) throw tooManyArguments('schedules.serialize', 1, arguments.length);
  if (!(schedule instanceof LearningRateSchedule)) throw new Error(`schedules.serialize: expected a LearningRateSchedule, got ${describe(schedule)}`);
  const className = schedule.constructor.name;
  if (ownEntry(CLASSES, className) === undefined)
    throw new Error(`schedules.serialize: '${className}' is not a built-in schedule; save its getConfig() yourself`);
  return { className, config: schedule.getConfig() };
}

/** The schedule a {className, config} describes. */
export function deserialize(serialized: SerializedSchedule): LearningRateSchedule {
  if (arguments.length > 1) throw tooManyArguments('schedules.deserialize', 1, arguments.length);
  const cls = ownEntry(CLASSES, serialized?.className);
  if (cls === undefined) {
    throw new Error(`schedules.deserialize: unknown schedule ${quoted(serialized?.className)}; expected one of ${Object.keys(CLASSES).join(', ')}`);
  }
  return cls.fromConfig(serialized.config);
}
