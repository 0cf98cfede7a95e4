// An op failing deep inside a layer ('broadcastTo: the result would hold ...') says which
// layer's call it served, as Keras's "Exception encountered when calling layer ...": the
// innermost layer names itself once; the models around it leave the message alone.
import { classNameOf } from '../serialization/registry';

const NAMED = Symbol('tessera.errorNamesLayer');

/** `e`, its message naming `layer` unless it already does or an inner layer named itself. */
export function inLayer(layer: { readonly name: string }, e: unknown): unknown {
  // Not instanceof Error: the addon's errors may come from another realm (jest's sandbox).
  const err = e as { message?: unknown; [NAMED]?: boolean } | null;
  if (err === null || typeof err !== 'object' || typeof err.message !== 'string' || err[NAMED] === true || Object.isFrozen(err)) return e;
  err[NAMED] = true;
  if (!err.message.includes(layer.name)) err.message = `${err.message} (in layer '${layer.name}', ${classNameOf(layer.constructor)})`;
  return e;
}
