// keras.backend.clear_session and get_uid: the global state behind automatic names.
import { nextUid, resetLayerNames } from '../layers/naming';
import { resetGlobalPolicy } from '../mixed_precision/policy';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';

/**
 * Resets the global state Keras's clear_session resets: the automatic name counters (a new
 * model's layers are named dense, dense_1, ... again) and the global dtype policy (back to
 * floatx's). Settings (floatx, epsilon, imageDataFormat, ...) stay, as in Keras. Variables'
 * internal names keep counting: they key variableGrads' results, and older variables may
 * still be alive. Tensors are not freed: dispose them (or use tidy).
 */
export function clearSession(): void {
  if (arguments.length > 0) throw tooManyArguments('backend.clearSession', 0, arguments.length);
  resetLayerNames();
  resetGlobalPolicy();
}

/**
 * The next number of `prefix`'s counter, 1 first (keras.backend.get_uid). Automatic layer
 * names share these counters: after one dense layer, getUid('dense') is 2.
 */
export function getUid(prefix = ''): number {
  if (arguments.length > 1) throw tooManyArguments('backend.getUid', 1, arguments.length);
  if (typeof prefix !== 'string') throw new Error(`backend.getUid: expected prefix to be a string, got ${describe(prefix)}`);
  return nextUid(prefix);
}
