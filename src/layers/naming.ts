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

// Keras 3's name scopes: the scope path of each layer whose build or call is running,
// innermost last. A layer takes the innermost as its parent the first time it builds or
// runs, so a Dense built inside a Sequential's build has the path 'sequential/dense'.
const scopes: string[] = [];

/** @internal The innermost running layer's scope path ('' outside any layer). */
export function currentScopePath(): string {
  return scopes.length === 0 ? '' : scopes[scopes.length - 1];
}

/** @internal Runs `fn` inside the scope `path` (a layer's build or call; entered once when already innermost). */
export function inScope<T>(path: string, fn: () => T): T {
  if (scopes[scopes.length - 1] === path) return fn();
  scopes.push(path);
  try {
    return fn();
  } finally {
    scopes.pop();
  }
}

/** @internal Records a layer weight's path, 'scope/layer/weight' (its Variable.path). */
export function setVariablePath(variable: Variable, path: string): void {
  variable.layerPath = path;
}

/** @internal A variable's path (Variable.path): 'layer/weight' for a layer's weight, else its name. */
export function variablePath(variable: Variable): string {
  return variable.path;
}
