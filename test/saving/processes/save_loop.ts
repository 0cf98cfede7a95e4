// A child process of the atomic-save tests: saves a model to the folder argv[2] over and
// over (argv[3]: 'model' for model.save, 'weights' for saveWeights), every weight of save
// k set to k, and says 'saved k' after each; it runs until it is killed, or for argv[4] ms.
import { fill } from '../../../src';
import { saverModel } from './saver_model';

async function main(): Promise<void> {
  const [dir, mode, ms] = process.argv.slice(2);
  const model = saverModel();
  const until = ms === undefined ? Infinity : Date.now() + Number(ms);
  process.stdout.write('ready\n');
  for (let k = 1; Date.now() < until; k++) {
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
