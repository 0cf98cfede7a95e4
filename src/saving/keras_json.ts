// Reading a .keras file's config.json, whose whole numbers written as floats ('1.0',
// '2e3') JSON.parse reads as the ints 1 and 2000. Keras tells them apart in an
// operation's constants (`1.0 - x` on an int tensor is float32, `1 - x` int32), so there
// they keep their float-ness; json_floats writes them back as floats.
import { floatConstant } from '../layers/keras_float_constant';
import { isKerasOperation } from './keras_ops';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// `text` with each number outside strings that is written with a fraction or an
// exponent yet whole ('1.0', '2e3') replaced by a string: `mark` followed by the number.
// A scan by hand: strings are skipped with indexOf, so big configs cost little.
function markWholeFloats(text: string, mark: string): string {
  const parts: string[] = [];
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let float = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x2e || d === 0x65 || d === 0x45) float = true;
        else if (!((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d)) break;
      }
      if (float && Number.isInteger(Number(text.slice(i, j)))) {
        parts.push(text.slice(last, i), `"${mark}${text.slice(i, j)}"`);
        last = j;
      }
      i = j - 1;
    }
  }
  if (last === 0) return text;
  parts.push(text.slice(last));
  return parts.join('');
}

// The index of the quote closing the string that opens at `start` (past the end if none).
function stringEnd(text: string, start: number): number {
  let end = start;
  for (;;) {
    end = text.indexOf('"', end + 1);
    if (end < 0) return text.length;
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return end;
  }
}

/**
 * config.json's value as JSON.parse reads it, except that in the call args (inbound_nodes) of a Keras
 * operation's entry (module keras.src.ops.*), a whole number written as a float is a
 * float constant ({class_name: '__float__', config: {value}}). Configs without operations
 * (most) are read by JSON.parse alone.
 */
export function parseKerasConfig(text: string): unknown {
  if (!text.includes('"keras.src.ops.')) return JSON.parse(text);
  // The whole floats become strings marked with a mark no string of the file holds.
  const nonce = `float${Math.random().toString(36).slice(2)}:`;
  // An escaped NUL in the JSON text, which JSON.parse makes a NUL character.
  const marked = markWholeFloats(text, `\\u0000${nonce}`);
  return marked === text ? JSON.parse(text) : unmark(JSON.parse(marked), `\u0000${nonce}`, false);
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
      const x = o[k];
      if (typeof x !== 'object' && typeof x !== 'string') continue;
      const w = unmark(x, mark, false);
      if (w === x) continue;
      // A key '__proto__' (JSON.parse makes it an own key) stays a key.
      if (k === '__proto__') Object.defineProperty(o, k, { value: w, writable: true, enumerable: true, configurable: true });
      else o[k] = w;
    }
  }
  return v;
}
