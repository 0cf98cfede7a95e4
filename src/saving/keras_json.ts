// Reading a .keras file's config.json, whose whole numbers written as floats ('1.0',
// '2e3') JSON.parse reads as the ints 1 and 2000. Keras tells them apart in an
// operation's constants (`1.0 - x` on an int tensor is float32, `1 - x` int32), so there
// they keep their float-ness; json_floats writes them back as floats.
import { floatConstant } from '../layers/keras_float_constant';
import { isKerasOperation } from './keras_ops';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// A string, or a number with a fraction or an exponent (the ones that may be whole floats).
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * config.json's value as JSON.parse reads it, except that in the inbound_nodes of a Keras
 * operation's entry (module keras.src.ops.*), a whole number written as a float is a
 * float constant ({class_name: '__float__', config: {value}}). Configs without operations
 * (most) are read by JSON.parse alone.
 */
export function parseKerasConfig(text: string): unknown {
  if (!text.includes('"keras.src.ops.')) return JSON.parse(text);
  // The whole floats become strings marked with a mark no string of the file holds.
  const mark = `\u0000float${Math.random().toString(36).slice(2)}:`;
  const marked = text.replace(TOKENS, (t) => (t[0] === '"' || !/[.eE]/.test(t) || !Number.isInteger(Number(t)) ? t : `"\\u0000${mark.slice(1)}${t}"`));
  return unmark(JSON.parse(marked), mark, false);
}

// Marked strings back to numbers, or to float constants where `constants`: the elements
// (in lists) of an operation's call args, not the Keras objects among them (a __numpy__
// constant's values, a slice's bounds, a tensor's shape).
function unmark(v: unknown, mark: string, constants: boolean): unknown {
  if (typeof v === 'string') {
    if (!v.startsWith(mark)) return v;
    const value = Number(v.slice(mark.length));
    return constants ? floatConstant(value) : value;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = unmark(v[i], mark, constants);
  } else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    // The call's args first: the pass below leaves no marks in them.
    if (isKerasOperation(o) && Array.isArray(o.inbound_nodes))
      for (const node of o.inbound_nodes) if (isObj(node) && Array.isArray(node.args)) node.args = unmark(node.args, mark, true);
    for (const k of Object.keys(o)) {
      const w = unmark(o[k], mark, false);
      // defineProperty: a key '__proto__' (JSON.parse makes it an own key) stays a key.
      if (w !== o[k]) Object.defineProperty(o, k, { value: w, writable: true, enumerable: true, configurable: true });
    }
  }
  return v;
}
