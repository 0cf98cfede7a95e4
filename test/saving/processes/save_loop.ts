// A child process of the atomic-save tests: saves a model to the folder argv[2] over and
// over (argv[3]: 'model' for model.save, 'weights' for saveWeights), every weight of save
// k set to k, and says 'saved k' after each; it runs until it is killed, or with argv[4]
// until a file of that name exists (the reader decides when it has seen enough).
import * as fs from 'node:fs';
import { fill } from '../../../src';
import { saverModel } from './saver_model';

async function main(): Promise<void> {
  const [dir, mode, stopFile] = process.argv.slice(2);
  const model = saverModel();
  process.stdout.write('ready\n');
  for (let k = 1; stopFile === undefined || !fs.existsSync(stopFile); k++) {
    model.setWeights(model.weights.map((w) => fill([...w.shape], k)));
    if (mode === 'model') await model.save(dir);
    else await model.saveWeights(dir);
    process.stdout.write(`saved ${k}\n`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  },
);
