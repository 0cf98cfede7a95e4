// ts.dtypePolicies (keras.dtype_policies): the policy class, and policies by name or config.
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { DTypePolicy, type SerializedDTypePolicy } from './policy';

export { DTypePolicy, DTypePolicy as FloatDTypePolicy } from './policy';

/** `{className: 'DTypePolicy', config: {name}}` of a policy. */
export function serialize(policy: DTypePolicy): SerializedDTypePolicy {
  if (arguments.length > 1) throw tooManyArguments('dtypePolicies.serialize', 1, arguments.length);
  if (!(policy instanceof DTypePolicy)) throw new Error(`dtypePolicies.serialize: expected a DTypePolicy, got ${describe(policy)}`);
  return { className: 'DTypePolicy', config: policy.getConfig() };
}

/** The policy of a serialize() result (Keras's class_name spelling too). */
export function deserialize(config: SerializedDTypePolicy): DTypePolicy {
  if (arguments.length > 1) throw tooManyArguments('dtypePolicies.deserialize', 1, arguments.length);
  const o = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  const cls = o.className ?? o.class_name;
  if (cls !== 'DTypePolicy' && cls !== 'FloatDTypePolicy')
    throw new Error(`dtypePolicies.deserialize: expected {className: 'DTypePolicy', config: {name}}, got ${describe(config)}`);
  return DTypePolicy.fromConfig(o.config as { name: string });
}

/** A policy from a name, a DTypePolicy (returned as is) or a serialize() result; none gives the global policy. */
export function get(identifier?: string | DTypePolicy | SerializedDTypePolicy | null): DTypePolicy {
  if (arguments.length > 1) throw tooManyArguments('dtypePolicies.get', 1, arguments.length);
  if (identifier === undefined || identifier === null) return new DTypePolicy();
  if (identifier instanceof DTypePolicy) return identifier;
  if (typeof identifier === 'string') return new DTypePolicy(identifier);
  return deserialize(identifier);
}
