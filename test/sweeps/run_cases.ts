// The child side of the bad-input sweep: runs the cases whose ops and ids arrive on stdin, one after
// another, and reports on fd 3 before ("S") and after ("R") each one, synchronously, so the
// parent knows which case was running when this process crashed or hung.
import { writeSync, readFileSync } from 'node:fs';
import * as ts from '../../src';
import { build } from './args';
import { casesOf, isClass, resolveOp } from './plan';
import type { Case } from './cases';

/** What one case did, as the child sees it (crash and hang are the parent's to see). */
export type ChildOutcome = { cls: 'clean error' | 'unclear error' | 'returned'; detail: string };

// Errors raised by the JavaScript engine inside Tessera's code rather than by a check that
// explains the problem ("Cannot read properties of null (reading 'strides')").
const ENGINE_ERRORS = [
  /Cannot read propert/,
  /Cannot set propert/,
  /is not a function/,
  /is not iterable/,
  /is not a constructor/,
  /Invalid typed array length/,
  /Invalid array length/,
  /Maximum call stack size exceeded/,
  /Cannot convert/,
  /Cannot mix BigInt/,
  /Array buffer allocation failed/,
  /Reduce of empty array/,
  /Cannot create property/,
  /is not defined/,
  /Invalid string length/,
  /Do not know how to serialize a BigInt/,
  /toFixed\(\) digits/,
  /^[a-zA-Z_$.]+ is (null|undefined)$/,
  /Cannot destructure/,
  /Cannot use 'in' operator/,
];

function describeThrown(e: unknown): ChildOutcome {
  if (!(e instanceof Error)) return { cls: 'unclear error', detail: `non-Error thrown: ${String(e).slice(0, 200)}` };
  const detail = `${e.constructor.name}: ${e.message}`.slice(0, 300);
  if (!e.message.trim() || ENGINE_ERRORS.some((re) => re.test(e.message))) return { cls: 'unclear error', detail };
  return { cls: 'clean error', detail };
}

function tensorsIn(x: unknown, out: ts.Tensor[], depth = 0): ts.Tensor[] {
  if (x instanceof ts.Tensor) out.push(x);
  else if (depth < 3 && Array.isArray(x)) for (const item of x) tensorsIn(item, out, depth + 1);
  else if (depth < 3 && x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const item of Object.values(x)) tensorsIn(item, out, depth + 1);
  }
  return out;
}

// A returned tensor is read back (so lazy or asynchronous work runs inside the case) and
// its data length compared with its size: a mismatch is a silently wrong result.
function describeReturned(result: unknown): ChildOutcome {
  const parts: string[] = [];
  for (const t of tensorsIn(result, [])) {
    if (t.isDisposed) {
      parts.push('disposed tensor');
      continue;
    }
    const size = t.shape.reduce((a, d) => a * d, 1);
    if (size !== t.size) parts.push(`INCONSISTENT shape [${t.shape}] but size ${t.size}`);
    if (t.size <= 1e6) {
      const n = t.dataSync().length;
      if (n !== t.size) parts.push(`INCONSISTENT size ${t.size} but ${n} values`);
    }
    parts.push(`${t.dtype}[${t.shape.join(',')}]`);
    t.dispose();
  }
  const kind = result instanceof ts.Tensor || parts.length ? parts.join(' ') : typeof result;
  return { cls: 'returned', detail: kind.slice(0, 200) };
}

async function runCase(c: Case): Promise<ChildOutcome> {
  try {
    const f = resolveOp(ts as unknown as Record<string, unknown>, c.op) as new (...a: unknown[]) => unknown;
    const args = c.args.map((a) => build(ts, a));
    let result = await (isClass(f) ? new f(...args) : (f as unknown as (...a: unknown[]) => unknown)(...args));
    if (c.thenCall) result = await (result as (...a: unknown[]) => unknown)(...c.thenCall.map((a) => build(ts, a)));
    if (c.method) {
      const target = result as Record<string, (...a: unknown[]) => unknown>;
      for (const [name, args] of c.setup ?? []) await target[name](...args.map((a) => build(ts, a)));
      result = await target[c.method](...(c.methodArgs ?? []).map((a) => build(ts, a)));
    }
    // A Dataset is lazy: its first element is where a bad argument shows.
    if (result instanceof ts.data.Dataset) {
      const it = result[Symbol.asyncIterator]();
      result = (await it.next()).value;
      await it.return?.();
    }
    return describeReturned(result);
  } catch (e) {
    return describeThrown(e);
  }
}

const send = (line: string) => writeSync(3, `${line}\n`);

export async function main(): Promise<void> {
  const wanted: { op: string; id: string }[] = JSON.parse(readFileSync(0, 'utf8'));
  const byId = casesOf(
    ts as unknown as Record<string, unknown>,
    wanted.map((w) => w.op),
  );
  const device = ts.getDevice();
  const threads = ts.getNumThreads();
  process.on('unhandledRejection', () => {
    // A rejection nobody awaited (a promise a case returned into an op): not a crash.
  });
  for (let i = 0; i < wanted.length; i++) {
    const c = byId.get(wanted[i].id);
    send(`S\t${i}`);
    const outcome = c ? await runCase(c) : { cls: 'unclear error' as const, detail: `unknown case id ${wanted[i].id}` };
    send(`R\t${i}\t${JSON.stringify(outcome)}`);
    // Cases may change process-wide settings (setDevice, setNumThreads, setSeed): restore them.
    try {
      ts.setDevice(device);
      ts.setNumThreads(threads);
    } catch {
      // a case that broke these is reported by its own outcome
    }
  }
  send('D');
}
