// A child process of the atomic-save tests: saves the model with every weight 1 to the
// folder argv[2] (argv[3]: 'model' or 'weights'), then saves it again with every weight
// 2, killing itself (SIGKILL) just before the argv[4]-th file-system change of that
// second save. When the save makes fewer changes than that, it says 'complete'.
// The module object itself (an import * copy's properties cannot be replaced), which the sources' imports read through.
import fs = require('node:fs'); // eslint-disable-line @typescript-eslint/no-require-imports -- the module object itself, as said above
import { fill } from '../../../src';
import { saverModel } from './saver_model';

const CHANGES = ['openSync', 'writeSync', 'writeFileSync', 'fsyncSync', 'renameSync', 'rmSync', 'unlinkSync', 'mkdirSync', 'rmdirSync'] as const;

async function main(): Promise<void> {
  const [dir, mode, at] = process.argv.slice(2);
  const model = saverModel();
  const save = async (k: number) => {
    model.setWeights(model.weights.map((w) => fill([...w.shape], k)));
    if (mode === 'model') await model.save(dir);
    else await model.saveWeights(dir);
  };
  await save(1);
  let changes = 0;
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of CHANGES) {
    const original = target[name];
    target[name] = (...args: unknown[]) => {
      // Opening to read changes nothing.
      const reading = name === 'openSync' && (args[1] === undefined || args[1] === 'r');
      if (!reading && ++changes === Number(at)) process.kill(process.pid, 'SIGKILL');
      return original.apply(fs, args);
    };
  }
  await save(2);
  process.stdout.write(`complete after ${changes} changes\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  },
);
