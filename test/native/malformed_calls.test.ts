// Every kernel of ops.def, sent malformed calls straight to the addon (no TypeScript op in
// front): wrong input and output counts, attribute arrays too short or too long, NaN,
// fractional, huge and negative attributes, wrong dtypes, ranks and shapes, output specs
// that disagree with the inputs. None may crash the process; each call the table itself
// rules out must be a JS Error naming the kernel, and any call that fails must fail that way.
// The cases run in child processes (malformed_calls_child.ts): a crash names its case, and
// the run goes on after it.
import { existsSync } from 'node:fs';
import { OP } from '../../src/native/op_ids';
import { backendInfo } from '../../src';
import { howItEnded, runTsChild } from '../helpers/child';
import { ALL_CASES, type MalformedCase } from './malformed_calls_child';

const CHILD = 'test/native/malformed_calls_child.ts';
// glibc's checking allocator, where it exists, turns a write past a small output into an
// abort at its free (the case that wrote it) instead of a corruption found much later.
const MALLOC_DEBUG = '/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0';
const shellPrefix = existsSync(MALLOC_DEBUG) ? `export LD_PRELOAD=${MALLOC_DEBUG} MALLOC_CHECK_=3` : undefined;

interface Outcome {
  threw: boolean;
  message: string;
}

function runAll(device: string): { outcomes: (Outcome | undefined)[]; crashes: string[] } {
  const outcomes: (Outcome | undefined)[] = new Array(ALL_CASES.length);
  const crashes: string[] = [];
  let next = 0;
  while (next < ALL_CASES.length) {
    const r = runTsChild(CHILD, [device, String(next)], { timeoutMs: 300_000, shellPrefix });
    let started = -1;
    for (const line of r.stdout.split('\n')) {
      const m = /^(CASE|DONE) (\d+) ?(.*)$/.exec(line);
      if (!m) continue;
      const i = Number(m[2]);
      if (m[1] === 'CASE') started = i;
      else {
        outcomes[i] = JSON.parse(m[3]) as Outcome;
        started = -1;
      }
    }
    if (r.status === 0 && !r.signal) break;
    if (started < 0) throw new Error(`the ${device} child failed outside any case (${howItEnded(r)}): ${r.stderr.slice(-2000)}`);
    crashes.push(`${ALL_CASES[started].name} (${howItEnded(r)}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    next = started + 1;
  }
  return { outcomes, crashes };
}

// The kernel's name as ops.def spells it or as the TypeScript op does (conv2d_backward_input,
// conv2dBackwardInput); the reductions report the short names sum, mean, max, min, prod.
const ALIASES: Record<string, string> = { reduce_sum: 'sum', reduce_mean: 'mean', reduce_max: 'max', reduce_min: 'min', reduce_prod: 'prod' };
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
function namesKernel(c: MalformedCase, message: string): boolean {
  const prefix = squash(message.split(':')[0]);
  return prefix === squash(c.kernel) || prefix === ALIASES[c.kernel];
}

function check(device: string): void {
  const { outcomes, crashes } = runAll(device);
  expect(crashes).toEqual([]);
  const missing = ALL_CASES.filter((_, i) => outcomes[i] === undefined).map((c) => c.name);
  expect(missing).toEqual([]);
  const accepted = ALL_CASES.filter((c, i) => c.mustThrow && !outcomes[i]?.threw).map((c) => c.name);
  expect(accepted).toEqual([]);
  const unnamed = ALL_CASES.flatMap((c, i) => {
    const o = outcomes[i];
    return o?.threw && !namesKernel(c, o.message) ? [`${c.name} -> ${o.message}`] : [];
  });
  expect(unnamed).toEqual([]);
}

describe('malformed calls straight to the addon', () => {
  it('cover every kernel of ops.def', () => {
    const kernels = new Set(ALL_CASES.map((c) => c.kernel));
    expect(kernels.size).toBe(Object.keys(OP).length);
    expect(ALL_CASES.length).toBeGreaterThan(2000);
  });

  it('are clean errors naming the kernel on the CPU, never a crash', () => {
    check('cpu');
  }, 600_000);

  const cuda = backendInfo().cuda;
  (cuda.loaded && cuda.devices.length > 0 ? it : it.skip)(
    'are the same clean errors on CUDA',
    () => {
      check('cuda:0');
    },
    600_000,
  );
});
