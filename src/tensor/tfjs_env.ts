// TensorFlow.js's environment flags (`tf.env().set('DEBUG', true)`), for the flags that
// mean something here: DEBUG (debug mode: every op's float outputs checked for NaN) and the
// read-only platform flags. Any other flag is an error, not a value that does nothing.
import { tooManyArguments } from '../options/arity';
import { describe, quoted } from './shape';
import { isDebugMode, setDebugMode } from './op_watch';

type FlagValue = boolean | number | string;

const READ_ONLY: Record<string, FlagValue> = { IS_NODE: true, IS_BROWSER: false };
const FLAGS = ['DEBUG', ...Object.keys(READ_ONLY)];

function flagName(op: string, name: unknown): string {
  if (typeof name !== 'string' || !FLAGS.includes(name))
    throw new Error(`${op}: expected one of the flags ${FLAGS.map(quoted).join(', ')}, got ${describe(name)}`);
  return name;
}

/** TensorFlow.js's Environment: the flags Tessera has. */
export class Environment {
  /** A flag's value. */
  get(name: string): FlagValue {
    if (arguments.length > 1) throw tooManyArguments('env().get', 1, arguments.length);
    const flag = flagName('env().get', name);
    return flag === 'DEBUG' ? isDebugMode() : READ_ONLY[flag];
  }

  /** A boolean flag's value. */
  getBool(name: string): boolean {
    if (arguments.length > 1) throw tooManyArguments('env().getBool', 1, arguments.length);
    const v = this.get(name);
    if (typeof v !== 'boolean') throw new Error(`env().getBool: flag ${quoted(name)} is not a boolean, it is ${describe(v)}`);
    return v;
  }

  /** Sets a flag: only DEBUG can be set (debug mode: every op's float outputs are checked for NaN). */
  set(name: string, value: FlagValue): void {
    if (arguments.length > 2) throw tooManyArguments('env().set', 2, arguments.length);
    const flag = flagName('env().set', name);
    if (flag !== 'DEBUG') throw new Error(`env().set: flag ${quoted(flag)} is read-only (it describes the platform)`);
    if (typeof value !== 'boolean') throw new Error(`env().set: expected true or false for 'DEBUG', got ${describe(value)}`);
    setDebugMode(value);
  }

  /** Every flag and its value. */
  getFlags(): Record<string, FlagValue> {
    if (arguments.length > 0) throw tooManyArguments('env().getFlags', 0, arguments.length);
    return { DEBUG: isDebugMode(), ...READ_ONLY };
  }
}

const ENV = new Environment();

/** The environment's flags (TensorFlow.js's tf.env()): `env().set('DEBUG', true)`. */
export function env(): Environment {
  if (arguments.length > 0) throw tooManyArguments('env', 0, arguments.length);
  return ENV;
}

/**
 * Debug mode, as TensorFlow.js's: after every op, its float outputs are read and checked
 * for NaN, and a NaN is an error naming the op. Slow (each op waits for its data); for
 * finding where a NaN first appears. `env().set('DEBUG', false)` turns it off.
 */
export function enableDebugMode(): void {
  if (arguments.length > 0) throw tooManyArguments('enableDebugMode', 0, arguments.length);
  setDebugMode(true);
}
