#!/usr/bin/env node
// Runs the bad-input sweep (test/sweeps/) and prints its report: counts per class, every
// crash and hang, unclear errors by message. `--json FILE` also writes every case's result;
// `--only OP,OP` sweeps those ops alone. Exit status 1 on any crash, hang or unclear
// error (as the sweep's test).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
require('../test/helpers/register-ts.js');
const ts = require('../src/index.ts');
const { planSweep } = require('../test/sweeps/plan.ts');
const { runSweep } = require('../test/sweeps/sweep.ts');
const { formatReport, unclearErrors, crashesAndHangs } = require('../test/sweeps/report.ts');

const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const plan = planSweep(ts);
const only = option('--only')?.split(',');
if (only) plan.cases = plan.cases.filter((c) => only.includes(c.op));
const jobs = option('--jobs') ? Number(option('--jobs')) : undefined;

const report = await runSweep(plan, {
  jobs,
  onProgress: (done, total) => process.stderr.write(`\r${done} / ${total} cases`),
});
process.stderr.write('\n');
console.log(formatReport(report));
if (option('--json')) writeFileSync(option('--json'), JSON.stringify(report, null, 1));
process.exit(crashesAndHangs(report).length || unclearErrors(report).length ? 1 : 0);
