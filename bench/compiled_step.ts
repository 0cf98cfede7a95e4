// jitCompile on vs off, in the same process, interleaved: per-step CPU and wall time of
// trainOnBatch for the bench models at small batches, where dispatch dominates.
//   node dist/bench/compiled_step.js [--models mlp,cnn] [--batches 16,32] [--rounds 5] [--steps 20]
import * as ts from '../src';
import { MODELS } from './models';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const names = arg('--models', Object.keys(MODELS).join(',')).split(',');
  const batches = arg('--batches', '16,32').split(',').map(Number);
  const rounds = Number(arg('--rounds', '5'));
  const steps = Number(arg('--steps', '20'));
  console.log(`jitCompile off vs on, ms per training step (median of ${rounds} interleaved rounds of ${steps} steps; cpu = user + system)`);
  console.log('model  | batch | eager wall | jit wall | eager cpu | jit cpu | cpu ratio jit/eager');
  for (const name of names) {
    for (const batch of batches) {
      const { build, sequence } = MODELS[name];
      const x = ts.randomUniform(sequence ? [batch, 28, 28] : [batch, 28, 28, 1]);
      const y = ts.cast(ts.floor(ts.randomUniform([batch], 0, 10)), 'int32');
      const models = [false, true].map((jit) => {
        ts.setSeed(1);
        const m = build();
        m.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }), jitCompile: jit });
        return m;
      });
      for (const m of models) for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y); // eager, record, replay
      const wall: number[][] = [[], []];
      const cpu: number[][] = [[], []];
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < 2; k++) {
          const c0 = process.cpuUsage();
          const t0 = process.hrtime.bigint();
          for (let i = 0; i < steps; i++) await models[k].trainOnBatch(x, y);
          const c = process.cpuUsage(c0);
          wall[k].push(Number(process.hrtime.bigint() - t0) / 1e6 / steps);
          cpu[k].push((c.user + c.system) / 1e3 / steps);
        }
      }
      const [we, wj, ce, cj] = [median(wall[0]), median(wall[1]), median(cpu[0]), median(cpu[1])];
      console.log(
        [
          name.padEnd(6),
          String(batch).padStart(5),
          we.toFixed(2).padStart(10),
          wj.toFixed(2).padStart(8),
          ce.toFixed(2).padStart(9),
          cj.toFixed(2).padStart(7),
          (cj / ce).toFixed(2).padStart(19),
        ].join(' | '),
      );
      models.forEach((m) => m.dispose());
      ts.dispose([x, y]);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
