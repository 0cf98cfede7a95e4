// Keras 3's keras.metrics.serialize / deserialize: a Metric as {module, class_name, config,
// registered_name}, a built-in per-sample function as Keras writes one, and back.
import { lossFunctionName } from '../losses/registry';
import type { LossFunction } from '../losses/loss';
import { tooManyArguments } from '../options/arity';
import { builtinFunctionConfig, builtinFunctionName } from '../serialization/builtin_function';
import { kerasDeserialize, kerasSerialize, type DeserializeOptions } from '../serialization/keras_form';
import { Metric } from './metric';
import { get } from './registry';

const isMetric = (v: unknown): boolean => v instanceof Metric || typeof v === 'function';
const EXPECTED = 'a Metric or a metric function';

/**
 * Keras 3's keras.metrics.serialize: a Metric's config as a .keras file holds it; a built-in
 * function as {module: 'builtins', class_name: 'function', config: its name, registered_name: 'function'}.
 * @example metrics.serialize(new metrics.AUC()) // {module: 'keras.metrics', class_name: 'AUC', config: {...}, registered_name: null}
 */
export function serialize(metric: Metric | LossFunction): unknown {
  if (arguments.length > 1) throw tooManyArguments('metrics.serialize', 1, arguments.length);
  const name = lossFunctionName(metric);
  if (name !== undefined) return builtinFunctionConfig(name);
  return kerasSerialize('metrics.serialize', metric, isMetric, EXPECTED);
}

/**
 * Keras 3's keras.metrics.deserialize: a Metric from a Keras config, or from a name or a
 * built-in function's config as metrics.get makes it (a function becomes a MeanMetricWrapper).
 * @example metrics.deserialize({module: 'keras.metrics', class_name: 'AUC', config: {num_thresholds: 50}, registered_name: null})
 */
export function deserialize(config: unknown, options?: DeserializeOptions | null): Metric {
  if (arguments.length > 2) throw tooManyArguments('metrics.deserialize', 2, arguments.length);
  return kerasDeserialize('metrics.deserialize', builtinFunctionName(config) ?? config, options, get, isMetric, EXPECTED);
}
