// Keras 3's dtype policies: the dtype a layer computes in and the dtype of its weights.
// Tessera has float32 and float64 policies; the mixed and half-precision ones need CPU
// half-precision kernels (issue #21) and are refused rather than faked.
import { floatx, halfPrecisionError, type FloatX } from '../config/settings';
import { tooManyArguments } from '../options/arity';
import type { DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';

const MIXED = new Set(['mixed_float16', 'mixed_bfloat16']);
const HALF = new Set(['float16', 'bfloat16']);

/** @internal `name` as a float policy name, or an error naming `op`. */
function checkPolicyName(op: string, name: unknown): FloatX {
  if (typeof name !== 'string') throw new Error(`${op}: expected a policy name such as 'float32' or 'float64', got ${describe(name)}`);
  if (name === 'float32' || name === 'float64') return name;
  if (MIXED.has(name) || HALF.has(name)) throw halfPrecisionError(op, 'policy', name);
  throw new Error(
    `${op}: unknown policy '${name}'; expected 'float32' or 'float64' ('mixed_float16', 'mixed_bfloat16', 'float16' and 'bfloat16' need CPU half precision, not built yet)`,
  );
}

/**
 * A dtype policy (keras.DTypePolicy): the dtype a layer computes in and the dtype of its
 * variables. Tessera's policies are 'float32' and 'float64', where both dtypes are the same.
 */
export class DTypePolicy {
  /** Keras's class name in configs. */
  static className = 'DTypePolicy';
  /** The policy's name: 'float32' or 'float64'. */
  readonly name: FloatX;

  /** A policy by name; none gives the global policy's name. */
  constructor(name?: string) {
    if (arguments.length > 1) throw tooManyArguments('DTypePolicy', 1, arguments.length);
    this.name = name === undefined || name === null ? globalPolicy().name : checkPolicyName('DTypePolicy', name);
  }

  /** The dtype layers under this policy compute in. */
  get computeDtype(): DType {
    return this.name;
  }

  /** The dtype of the weights of layers under this policy. */
  get variableDtype(): DType {
    return this.name;
  }

  /** Keras's quantization mode; Tessera's policies are not quantized. */
  get quantizationMode(): null {
    return null;
  }

  /** `{name}`, as Keras saves it. */
  getConfig(): { name: string } {
    if (arguments.length > 0) throw tooManyArguments('DTypePolicy.getConfig', 0, arguments.length);
    return { name: this.name };
  }

  /** The policy of a getConfig() result. */
  static fromConfig(config: { name: string }): DTypePolicy {
    if (arguments.length > 1) throw tooManyArguments('DTypePolicy.fromConfig', 1, arguments.length);
    if (typeof config !== 'object' || config === null || !('name' in config))
      throw new Error(`DTypePolicy.fromConfig: expected {name}, got ${describe(config)}`);
    const extra = Object.keys(config).filter((k) => k !== 'name');
    if (extra.length > 0) throw new Error(`DTypePolicy.fromConfig: unknown config key '${extra[0]}'; a DTypePolicy's config is {name}`);
    return new DTypePolicy(config.name);
  }

  /** `<DTypePolicy "float32">`, as Keras prints one. */
  toString(): string {
    return `<DTypePolicy "${this.name}">`;
  }
}

/** A DTypePolicy as serialize gives it, or in Keras's spelling. */
export interface SerializedDTypePolicy {
  /** 'DTypePolicy' (Keras's FloatDTypePolicy too; Keras's class_name spelling is read as well). */
  className: string;
  /** The policy's getConfig(). */
  config: { name: string };
}

let GLOBAL: DTypePolicy | null = null;

/** The global dtype policy: the one set, else floatx's (Keras's keras.config.dtype_policy). */
export function globalPolicy(): DTypePolicy {
  if (arguments.length > 0) throw tooManyArguments('mixedPrecision.globalPolicy', 0, arguments.length);
  return GLOBAL ?? new DTypePolicy(floatx());
}

/**
 * Sets the dtype policy of layers made after it (with no dtype of their own): a name or a
 * DTypePolicy. 'mixed_float16', 'mixed_bfloat16', 'float16' and 'bfloat16' are refused: the
 * CPU engine has no half precision yet.
 */
export function setGlobalPolicy(policy: string | DTypePolicy): void {
  if (arguments.length > 1) throw tooManyArguments('mixedPrecision.setGlobalPolicy', 1, arguments.length);
  if (policy instanceof DTypePolicy) GLOBAL = policy;
  else if (typeof policy === 'string') GLOBAL = new DTypePolicy(checkPolicyName('mixedPrecision.setGlobalPolicy', policy));
  else throw new Error(`mixedPrecision.setGlobalPolicy: expected a policy name such as 'float32' or a DTypePolicy, got ${describe(policy)}`);
}

/** @internal Forgets the global policy (clearSession, as Keras's clear_session resets it). */
export function resetGlobalPolicy(): void {
  GLOBAL = null;
}

/**
 * @internal A layer's `dtype` option as its dtype: a dtype name, a DTypePolicy, a policy's
 * {className: 'DTypePolicy', config: {name}} (Keras's class_name too); none gives the global policy's.
 */
export function layerDType(op: string, dtype: unknown, check: (op: string, d: unknown) => DType): DType {
  if (dtype === undefined || dtype === null) return globalPolicy().variableDtype;
  if (dtype instanceof DTypePolicy) return dtype.variableDtype;
  if (typeof dtype === 'object') {
    const o = dtype as Record<string, unknown>;
    const cls = o.className ?? o.class_name;
    if ((cls === 'DTypePolicy' || cls === 'FloatDTypePolicy') && typeof o.config === 'object' && o.config !== null)
      return new DTypePolicy(checkPolicyName(op, (o.config as Record<string, unknown>).name)).variableDtype;
    throw new Error(`${op}: expected dtype to be a dtype name, a DTypePolicy or its {className: 'DTypePolicy', config: {name}}, got ${describe(dtype)}`);
  }
  if (typeof dtype === 'string' && (MIXED.has(dtype) || HALF.has(dtype))) throw halfPrecisionError(op, MIXED.has(dtype) ? 'policy' : 'dtype', dtype);
  return check(op, dtype);
}
