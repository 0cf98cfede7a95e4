// Automatic names: the snake_case of the class name, numbered per prefix as Keras does
// (dense, dense_1, dense_2, ...).

import type { Variable } from '../tensor/tensor';

const layerCounters = new Map<string, number>();
const variableCounters = new Map<string, number>();

function next(counters: Map<string, number>, prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * Keras's to_snake_case (less its removal of non-word characters, which uniqueLayerName does): 'Dense' -> 'dense', 'InputLayer' -> 'input_layer', 'Conv2D' -> 'conv2d',
 * 'ConvLSTM2D' -> 'conv_lstm2d', 'PReLU' -> 'p_re_lu'.
 */
export function toSnakeCase(name: string): string {
  // A capital starts a word only before lowercase letters (not digits: 'LSTM2D' stays one word).
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** @internal A fresh layer name for a class name. */
export function uniqueLayerName(className: string): string {
  // Keras also drops non-word characters from a class name; config values keep theirs ('my_package>halve').
  return next(layerCounters, toSnakeCase(className.replace(/\W+/g, '')));
}

/** @internal The next number of `prefix`'s counter (Keras's get_uid): 1 first, as names share it. */
export function nextUid(prefix: string): number {
  const n = (layerCounters.get(prefix) ?? 0) + 1;
  layerCounters.set(prefix, n);
  return n;
}

/**
 * @internal Forgets the layer-name counters (clearSession). Variable names stay counted:
 * they key variableGrads' results, and variables made before may still be in use.
 */
export function resetLayerNames(): void {
  layerCounters.clear();
}

/**
 * @internal A fresh variable name 'layer/weight'. Variable names key variableGrads'
 * result, so two layers given the same name still get distinct variables.
 */
export function uniqueVariableName(path: string): string {
  return next(variableCounters, path);
}

/** @internal Records a layer weight's path, 'layer/weight' (its Variable.path). */
export function setVariablePath(variable: Variable, path: string): void {
  variable.layerPath = path;
}

/** @internal A variable's path (Variable.path): 'layer/weight' for a layer's weight, else its name. */
export function variablePath(variable: Variable): string {
  return variable.path;
}
