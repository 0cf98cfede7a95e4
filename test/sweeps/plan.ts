// What the bad-input sweep covers: every function src/index.ts exports (classes and
// namespaces are not ops), enumerated from the module itself so a new op is swept without
// anyone listing it. An op without a hand-written valid call in op_baselines.ts is swept
// from a generic one (a [2, 3] tensor per declared parameter).
import { T, type Arg } from './args';
import { allCases, type Case } from './cases';
import { BASELINES, EXCLUDED, type Baseline } from './op_baselines';

export interface SweepPlan {
  cases: Case[];
  /** Ops swept from a hand-written valid call. */
  withBaseline: string[];
  /** Ops swept from a generic call (no entry in BASELINES yet). */
  generic: string[];
  /** Exports that are the same function as an earlier one (loadModel = loadLayersModel). */
  aliases: Record<string, string>;
  excluded: string[];
  /** Entries of BASELINES or EXCLUDED that src/index.ts does not export. */
  stale: string[];
}

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

export function planSweep(exports: Record<string, unknown>): SweepPlan {
  const baselines: Record<string, Baseline> = {};
  const generic: string[] = [];
  const aliases: Record<string, string> = {};
  const excluded: string[] = [];
  const seen = new Map<unknown, string>();
  for (const name of Object.keys(exports).sort()) {
    const f = exports[name];
    if (typeof f !== 'function' || isClass(f)) continue;
    if (seen.has(f)) {
      aliases[name] = seen.get(f)!;
      continue;
    }
    seen.set(f, name);
    if (name in EXCLUDED) {
      excluded.push(name);
    } else if (name in BASELINES) {
      baselines[name] = BASELINES[name];
    } else {
      generic.push(name);
      baselines[name] = { args: Array.from({ length: Math.max(1, f.length) }, (): Arg => T([2, 3])) };
    }
  }
  const exported = new Set(Object.keys(exports));
  const stale = [...Object.keys(BASELINES), ...Object.keys(EXCLUDED)].filter((n) => !exported.has(n));
  return {
    cases: allCases(baselines),
    withBaseline: Object.keys(baselines).filter((n) => !generic.includes(n)),
    generic,
    aliases,
    excluded,
    stale,
  };
}
