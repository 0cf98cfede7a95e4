// Every public symbol keeps its TSDoc, and nothing marked @internal is public: runs
// scripts/check-tsdoc.mjs, which lists the undocumented and the leaked ones.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('TSDoc', () => {
  it('documents every public symbol and exports no internal one', () => {
    const root = join(__dirname, '..');
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'check-tsdoc.mjs')], { cwd: root, encoding: 'utf8', timeout: 55_000 }); // 3-4 s of CPU; the rest is waiting on a loaded machine
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
    if (run.status !== 0) console.error(output);
    expect({ status: run.status, output: run.status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
  });
});
