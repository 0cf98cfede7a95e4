// A safe reader of Python pickles, for the data sets Keras stores as pickles (imdb's and
// reuters's object arrays, CIFAR's batches). Like Keras's RestrictedUnpickler it only ever
// rebuilds numpy arrays: a whitelist of data opcodes and of four globals (numpy.ndarray,
// numpy.dtype and _reconstruct), and anything else, a class, a function call, an
// extension, is refused with an error. Nothing in the file is ever run.

/** A numpy array rebuilt from a pickle: its dtype ('<u1', '|O' ...), shape, and raw bytes or its objects. */
export class PickledArray {
  /** The dtype as numpy's descr: byte order then kind and size ('<i8', '|u1', '|O'). */
  descr = '';
  /** The array's dimensions. */
  shape: number[] = [];
  /** The elements' bytes (C order), or for an object array ('|O') the objects. */
  data: Uint8Array | unknown[] = new Uint8Array(0);
}

// numpy.dtype(str, align, copy), completed by BUILD with the byte order.
class PickledDType {
  constructor(
    readonly str: string,
    public byteorder = '|',
  ) {}
}

// A whitelisted global, pushed by GLOBAL / STACK_GLOBAL and called only by REDUCE.
class Global {
  constructor(readonly name: string) {}
}

const ALLOWED_GLOBALS = new Set(['numpy.ndarray', 'numpy.dtype', 'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct']);

// Names of opcodes that are refused, for the error.
const REFUSED: Record<number, string> = {
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

const MARK = Symbol('mark');
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the pickle in `bytes`. Python values become: None null, bools and ints numbers,
 * floats numbers, str strings, bytes (and Python 2 str, as encoding='bytes' reads them)
 * Uint8Array, lists and tuples arrays, dicts Maps (bytes keys decoded as UTF-8, as Keras's
 * CIFAR reader does), numpy arrays PickledArray. `source` names the file in errors.
 */
export function readPickle(bytes: Uint8Array, source: string): unknown {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let p = 0;
  const need = (n: number, what: string) => {
    if (p + n > bytes.length) fail(`the pickle is truncated (its ${what} at byte ${p} runs past the end)`);
  };
  const take = (n: number, what: string) => {
    need(n, what);
    const out = bytes.subarray(p, p + n);
    p += n;
    return out;
  };
  const u8 = (what: string) => take(1, what)[0];
  const u32 = (what: string) => {
    need(4, what);
    const v = view.getUint32(p, true);
    p += 4;
    return v;
  };
  const u64 = (what: string) => {
    need(8, what);
    const v = view.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(bytes.length)) fail(`the pickle is truncated (its ${what} at byte ${p - 8} declares ${v} bytes)`);
    return Number(v);
  };
  const line = (what: string) => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) fail(`the pickle is truncated (its ${what} has no end of line)`);
    const s = latin1.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('the pickle is damaged (it pops an empty stack)');
    const v = stack.pop();
    if (v === MARK) fail('the pickle is damaged (a mark where a value should be)');
    return v;
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('the pickle is damaged (no mark to pop to)');
    const items = stack.splice(at);
    return items.slice(1);
  };
  const top = (): unknown => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) fail('the pickle is damaged (no value on the stack)');
    return stack[stack.length - 1];
  };
  const text = (b: Uint8Array) => {
    try {
      return utf8.decode(b);
    } catch {
      return fail('the pickle holds a string that is not UTF-8');
    }
  };
  const textInt = (v: string, what: string) => {
    if (!/^[-+]?\d+$/.test(v)) fail(`the pickle is damaged (${what} '${v}' is not an integer)`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) fail(`the pickle holds the integer ${v}, beyond 2^53`);
    return n;
  };
  const global = (name: string) => {
    if (!ALLOWED_GLOBALS.has(name)) {
      fail(
        `refusing to load the global '${name}': a pickle may name any Python callable, and Tessera's reader only rebuilds numpy arrays (numpy.ndarray, numpy.dtype, _reconstruct). The file may be corrupted or malicious`,
      );
    }
    stack.push(new Global(name));
  };
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) fail('the pickle is damaged (SETITEMS on something that is not a dict)');
    if (items.length % 2 !== 0) fail('the pickle is damaged (an odd number of dict items)');
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i] instanceof Uint8Array ? text(items[i] as Uint8Array) : items[i];
      (dict as Map<unknown, unknown>).set(k, items[i + 1]);
    }
  };
  const extend = (list: unknown, items: unknown[]) => {
    if (!Array.isArray(list)) fail('the pickle is damaged (APPENDS on something that is not a list)');
    for (const v of items) (list as unknown[]).push(v);
  };

  for (;;) {
    const at = p;
    const op = u8('opcode');
    switch (op) {
      case 0x80: // PROTO
        if (u8('protocol') > 5) fail('the pickle uses a protocol newer than 5');
        break;
      case 0x95: // FRAME
        u64('frame length');
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail('the pickle is damaged (it stops with other than one value on the stack)');
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        extend(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        extend(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const d = new Map();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4, 'BININT');
        stack.push(view.getInt32(p, true));
        p += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8('BININT1'));
        break;
      case 0x4d: // BININT2
        need(2, 'BININT2');
        stack.push(view.getUint16(p, true));
        p += 2;
        break;
      case 0x8a: {
        // LONG1: a little-endian two's complement integer of n bytes
        const b = take(u8('LONG1 length'), 'LONG1');
        let v = 0n;
        for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (b.length > 0 && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) fail(`the pickle holds the integer ${v}, beyond 2^53`);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8, 'BINFLOAT');
        stack.push(view.getFloat64(p, false));
        p += 8;
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str: bytes)
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8('length'), 'bytes'));
        break;
      case 0x54: // BINSTRING
      case 0x42: // BINBYTES
        stack.push(take(u32('length'), 'bytes'));
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64('length'), 'bytes'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(take(u8('length'), 'string')));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(take(u32('length'), 'string')));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(take(u64('length'), 'string')));
        break;
      // Protocols 0 and 1 (Python 2's cPickle default): the same values written as text lines.
      case 0x49: {
        // INT; I01 and I00 are True and False
        const v = line('INT');
        if (v === '01' || v === '00') stack.push(v === '01');
        else stack.push(textInt(v, 'INT'));
        break;
      }
      case 0x4c: // LONG
        stack.push(textInt(line('LONG').replace(/L$/, ''), 'LONG'));
        break;
      case 0x46: {
        // FLOAT
        const v = line('FLOAT');
        const x = Number(v.replace(/^(-?)inf$/, '$1Infinity').replace(/^nan$/, 'NaN'));
        if (Number.isNaN(x) && v !== 'nan') fail(`the pickle is damaged (FLOAT '${v}')`);
        stack.push(x);
        break;
      }
      case 0x53: // STRING: a quoted Python 2 str literal, read as bytes
        stack.push(unquote(line('STRING'), fail));
        break;
      case 0x56: // UNICODE: raw-unicode-escape
        stack.push(line('UNICODE').replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u, U) => String.fromCodePoint(parseInt(u ?? U, 16))));
        break;
      case 0x70: // PUT
        memo.set(textInt(line('PUT'), 'PUT'), top());
        break;
      case 0x67: {
        // GET
        const i = textInt(line('GET'), 'GET');
        if (!memo.has(i)) fail(`the pickle is damaged (it reads memo ${i}, never stored)`);
        stack.push(memo.get(i));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8('memo index'), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32('memo index'), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x68 ? u8('memo index') : u32('memo index');
        if (!memo.has(i)) fail(`the pickle is damaged (it reads memo ${i}, never stored)`);
        stack.push(memo.get(i));
        break;
      }
      case 0x30: // POP
        if (stack.pop() === undefined) fail('the pickle is damaged (it pops an empty stack)');
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x63: {
        // GLOBAL: module and name, each on its line
        const module = line('GLOBAL');
        global(`${module}.${line('GLOBAL')}`);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('the pickle is damaged (STACK_GLOBAL of non-strings)');
        global(`${module as string}.${name as string}`);
        break;
      }
      case 0x52: {
        // REDUCE: only the whitelisted constructors
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args, fail));
        break;
      }
      case 0x62: {
        // BUILD: only numpy's __setstate__ of an array or a dtype
        const state = pop();
        build(top(), state, fail);
        break;
      }
      default:
        fail(
          `the pickle opcode ${REFUSED[op] ?? `0x${op.toString(16).padStart(2, '0')}`} at byte ${at} is not one Tessera's safe reader allows (it reads numpy arrays, lists, dicts, numbers and strings); the file may be corrupted or malicious`,
        );
    }
  }
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '0': 0 };

// A Python 2 str literal ('...' or "..." with backslash escapes) as its bytes.
function unquote(literal: string, fail: (why: string) => never): Uint8Array {
  const q = literal[0];
  if (literal.length < 2 || (q !== "'" && q !== '"') || literal[literal.length - 1] !== q) fail('the pickle is damaged (a STRING that is not quoted)');
  const body = literal.slice(1, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const e = body[++i];
    if (e === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail('the pickle is damaged (a bad \\x escape in a STRING)');
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (e !== undefined && e in ESCAPES) out.push(ESCAPES[e]);
    else fail(`the pickle is damaged (the escape \\${e ?? ''} in a STRING)`);
  }
  return Uint8Array.from(out);
}

function reduce(fn: unknown, args: unknown, fail: (why: string) => never): unknown {
  if (!(fn instanceof Global)) return fail('the pickle is damaged (REDUCE calls something that is not a global)');
  if (!Array.isArray(args)) return fail(`the pickle is damaged (REDUCE of ${fn.name} without an argument tuple)`);
  if (fn.name === 'numpy.dtype') {
    if (typeof args[0] !== 'string' && !(args[0] instanceof Uint8Array)) fail('the pickle is damaged (numpy.dtype of a non-string)');
    return new PickledDType(typeof args[0] === 'string' ? args[0] : latin1.decode(args[0] as Uint8Array));
  }
  if (fn.name.endsWith('._reconstruct')) {
    if (!(args[0] instanceof Global) || args[0].name !== 'numpy.ndarray') fail('the pickle rebuilds an array of a class other than numpy.ndarray');
    return new PickledArray();
  }
  return fail(`the pickle calls ${fn.name} directly, which Tessera's safe reader does not do`);
}

// numpy's __setstate__: a dtype's (version, byteorder, ...) and an array's
// (version, shape, dtype, is_fortran, raw data or objects).
function build(target: unknown, state: unknown, fail: (why: string) => never): void {
  if (!Array.isArray(state)) fail('the pickle is damaged (BUILD without a state tuple)');
  const s = state as unknown[];
  if (target instanceof PickledDType) {
    const order = s[1] instanceof Uint8Array ? latin1.decode(s[1]) : s[1];
    if (typeof order !== 'string') fail('the pickle is damaged (a dtype without a byte order)');
    target.byteorder = order as string;
    return;
  }
  if (!(target instanceof PickledArray)) return fail('the pickle sets the state of something that is not a numpy array or dtype');
  const [shape, dtype, fortran, data] = s.length === 5 ? s.slice(1) : s;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail('the pickle is damaged (an array with a bad shape)');
  if (!(dtype instanceof PickledDType)) return fail('the pickle is damaged (an array without a dtype)');
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (fortran && size > 1 && (shape as number[]).length > 1) fail('the pickle holds a Fortran-ordered array, which Tessera does not read');
  const kind = dtype.str.replace(/\d+$/, '');
  target.descr = `${dtype.byteorder === '=' ? '<' : dtype.byteorder}${kind === 'O' ? 'O' : dtype.str}`;
  target.shape = shape as number[];
  if (kind === 'O') {
    if (!Array.isArray(data) || data.length !== size)
      fail(`the pickle's object array of shape [${(shape as number[]).join(', ')}] does not hold ${size} objects`);
  } else if (!(data instanceof Uint8Array)) fail("the pickle's numeric array holds no bytes");
  target.data = data as Uint8Array | unknown[];
}
