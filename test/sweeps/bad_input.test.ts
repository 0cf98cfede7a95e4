// BAD-INPUT SWEEP (issue #16): every public function of src/index.ts, and every function and
// class of its namespaces (ts.layers, ts.data, ts.distribute, ...: namespace_baselines.ts,
// with the methods users call on what they make), called with tens of thousands of
// hostile arguments, each batch of calls in a child process with capped memory. A crash or
// a hang fails the test, and so does an unclear error (a raw engine TypeError from inside
// Tessera, such as "f is not a function"). `node scripts/bad-input-sweep.mjs` prints the
// same report.
import * as ts from '../../src';
import { BASELINES, EXCLUDED } from './op_baselines';
import { planSweep, publicFunctions } from './plan';
import { failedBaselines, formatReport, unclearErrors, crashesAndHangs } from './report';
import { runSweep, type SweepReport } from './sweep';

describe('bad-input sweep (issue #16)', () => {
  const plan = planSweep(ts as unknown as Record<string, unknown>);
  let report: SweepReport;

  it('covers every public function: swept, or excluded with a reason', () => {
    expect(plan.stale).toEqual([]); // entries for functions that are no longer exported
    const covered = new Set([...plan.withBaseline, ...plan.generic, ...plan.excluded, ...Object.keys(plan.aliases)]);
    const functions = publicFunctions(ts as unknown as Record<string, unknown>);
    expect(functions.map(([name]) => name).filter((name) => !covered.has(name))).toEqual([]);
    // The namespaces' factories and classes are swept too (ts.layers.dense, ts.metrics.Mean).
    expect(functions.filter(([name]) => name.includes('.')).length).toBeGreaterThan(400);
    for (const reason of Object.values(EXCLUDED)) expect(reason.length).toBeGreaterThan(20);
    // A new op without a valid call in op_baselines.ts is swept from a generic one (and the
    // report names it); every op listed there is exported.
    expect(plan.withBaseline.length).toBe(Object.keys(BASELINES).length);
    expect(plan.cases.length).toBeGreaterThan(10_000);
  });

  it('no call crashes or hangs the process', async () => {
    report = await runSweep(plan);
    console.log(formatReport(report));
    expect(report.results.length).toBe(plan.cases.length);
    expect(crashesAndHangs(report).map((r) => `${r.id}: ${r.cls}: ${r.detail}`)).toEqual([]);
  }, 1_200_000); // ~140,000 cases: about 2.5 minutes on 2 idle cores, far longer on a loaded machine

  it('every error is clean: it names the function and says what was expected (no engine TypeError from inside)', () => {
    expect(report).toBeDefined();
    expect(unclearErrors(report).map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
  });

  it('starts every op from a call that works', () => {
    expect(report).toBeDefined();
    expect(failedBaselines(report).map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
  });
});
