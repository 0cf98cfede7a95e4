// What the bad-input sweep covers: every function src/index.ts exports, and every function
// and class of its namespaces (publicFunctions), enumerated from the module itself so a new
// op is swept without anyone listing it. An op without a hand-written valid call in
// op_baselines.ts or namespace_baselines.ts is swept from a generic one (a [2, 3] tensor per
// declared parameter).
import { T, type Arg } from './args';
import { allCases, casesFor, type Case } from './cases';
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

export const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

// A namespace of the entry (ts.layers, ts.data, ts.distribute, ...): a plain object of
// functions, or a function carrying them (ts.backend, also TensorFlow.js's tf.backend()).
const isNamespace = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  ((typeof v === 'object' && !Array.isArray(v)) || (typeof v === 'function' && !isClass(v))) &&
  Object.values(v).some((m) => typeof m === 'function');

/**
 * Every public function, by the name a user calls it: the entry's own functions ('add'),
 * then each namespace's functions and classes ('layers.dense', 'metrics.Mean', constructed
 * with new), so that a factory or class a namespace exports meets hostile input too.
 */
export function publicFunctions(entry: Record<string, unknown>): [string, (...a: unknown[]) => unknown][] {
  const out: [string, (...a: unknown[]) => unknown][] = [];
  const names = Object.keys(entry).sort();
  for (const name of names) {
    const f = entry[name];
    if (typeof f === 'function' && !isClass(f)) out.push([name, f as (...a: unknown[]) => unknown]);
  }
  for (const ns of names) {
    const members = entry[ns];
    if (!isNamespace(members)) continue;
    for (const name of Object.keys(members).sort()) {
      const f = members[name];
      if (typeof f === 'function') out.push([`${ns}.${name}`, f as (...a: unknown[]) => unknown]);
    }
  }
  // Namespaces inside namespaces (applications.resnet, datasets.fashionMnist), one level down.
  for (const ns of names) {
    const outer = entry[ns];
    if (outer === null || typeof outer !== 'object') continue;
    for (const inner of Object.keys(outer).sort()) {
      const members = (outer as Record<string, unknown>)[inner];
      if (!isNamespace(members)) continue;
      for (const name of Object.keys(members).sort()) {
        const f = members[name];
        if (typeof f === 'function') out.push([`${ns}.${inner}.${name}`, f as (...a: unknown[]) => unknown]);
      }
    }
  }
  return out;
}

/** The function a baseline key calls: 'data.fromTensors#batch' is another baseline of 'data.fromTensors'. */
export const functionOf = (key: string): string => key.split('#')[0];

/** The function or class a sweep op names ('add', 'layers.dense', 'data.fromTensors#batch'). */
export function resolveOp(entry: Record<string, unknown>, op: string): unknown {
  return functionOf(op)
    .split('.')
    .reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], entry);
}

/** The valid call of each swept op, and what the plan reports beside the cases. */
export function planBaselines(entry: Record<string, unknown>): Omit<SweepPlan, 'cases' | 'withBaseline'> & { baselines: Record<string, Baseline> } {
  const baselines: Record<string, Baseline> = {};
  const generic: string[] = [];
  const aliases: Record<string, string> = {};
  const excluded: string[] = [];
  const seen = new Map<unknown, string>();
  // Of two names of one function (data.array = data.fromArrays), the one with valid calls
  // listed is swept and the other reported as its alias.
  const listed = new Set(Object.keys(BASELINES).map(functionOf));
  const functions = publicFunctions(entry).sort(([a], [b]) => Number(listed.has(b)) - Number(listed.has(a)));
  for (const [name, f] of functions) {
    if (seen.has(f)) {
      aliases[name] = seen.get(f)!;
      continue;
    }
    seen.set(f, name);
    if (name in EXCLUDED) {
      excluded.push(name);
    } else {
      if (name in BASELINES) {
        baselines[name] = BASELINES[name];
      } else {
        generic.push(name);
        baselines[name] = { args: Array.from({ length: Math.max(1, f.length) }, (): Arg => T([2, 3])) };
      }
      // More valid calls of the same function, each its own op (a class and one of its methods).
      for (const key of Object.keys(BASELINES)) if (functionOf(key) === name && key !== name) baselines[key] = BASELINES[key];
    }
  }
  const exported = new Set(publicFunctions(entry).map(([name]) => name));
  const stale = [...Object.keys(BASELINES), ...Object.keys(EXCLUDED)].filter((n) => !exported.has(functionOf(n)));
  return { baselines, generic, aliases, excluded, stale };
}

/** Every case of the sweep (about 140,000), with what the report says beside them. */
export function planSweep(entry: Record<string, unknown>): SweepPlan {
  const { baselines, ...rest } = planBaselines(entry);
  return { cases: allCases(baselines), withBaseline: Object.keys(baselines).filter((n) => !rest.generic.includes(n)), ...rest };
}

/**
 * The cases of some ops only, by id: a sweep child builds just its batch's (building all
 * 140,000 took each of the ~140 children a second).
 */
export function casesOf(entry: Record<string, unknown>, ops: Iterable<string>): Map<string, Case> {
  const { baselines } = planBaselines(entry);
  const byId = new Map<string, Case>();
  for (const op of new Set(ops)) if (op in baselines) for (const c of casesFor(op, baselines[op])) byId.set(c.id, c);
  return byId;
}
