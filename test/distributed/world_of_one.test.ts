// ts.distribute without mpirun (a world of one), and its errors: these run in every
// environment, MPI installed or not.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/child';
import * as ts from '../../src';
import { keepUcxOffTheHeap } from '../../src/distribute/backend';

describe('a process started without mpirun is a world of one', () => {
  test('init, rank, size, and collectives that return the input', async () => {
    const info = ts.distribute.init();
    expect(info).toMatchObject({ rank: 0, size: 1, localRank: 0, localSize: 1, abi: 'none' });
    expect([ts.distribute.rank(), ts.distribute.size(), ts.distribute.localRank()]).toEqual([0, 1, 0]);
    const t = ts.tensor([1, 2, 3], [3], 'int32');
    expect(Array.from((await ts.distribute.allReduce(t, 'sum')).dataSync())).toEqual([1, 2, 3]);
    expect(Array.from((await ts.distribute.broadcast(t, 0)).dataSync())).toEqual([1, 2, 3]);
    expect((await ts.distribute.allGather(ts.zeros([2, 4]))).shape).toEqual([2, 4]);
    await ts.distribute.barrier();
    expect(ts.distribute.averageGradients([t, null])).toEqual([t, null]);
  });

  test("UCX's memory events default to off before the shim loads; a value the user set stays", () => {
    const unset: NodeJS.ProcessEnv = {};
    keepUcxOffTheHeap(unset);
    expect(unset.UCX_MEM_EVENTS).toBe('no');
    for (const v of ['yes', 'no', '']) {
      const set: NodeJS.ProcessEnv = { UCX_MEM_EVENTS: v };
      keepUcxOffTheHeap(set);
      expect(set.UCX_MEM_EVENTS).toBe(v);
    }
  });

  test('clear errors for wrong arguments', async () => {
    await expect(ts.distribute.allReduce(ts.ones([2]), 'avg' as never)).rejects.toThrow(/expected op to be one of sum, mean, max, min, got 'avg'/);
    await expect(ts.distribute.allReduce([1, 2] as never)).rejects.toThrow(/allReduce: expected a Tensor/);
    await expect(ts.distribute.broadcast(ts.ones([2]), 1)).rejects.toThrow(/expected root to be a rank in \[0, 0\], got 1/);
    await expect(ts.distribute.allReduce(ts.tensor([1], [1], 'bool'), 'mean')).rejects.toThrow(/no bool result/);
    expect(() => ts.distribute.init({ timeot: 3 } as never)).toThrow(/ts.distribute.init: unknown option 'timeot'.*timeout/);
    expect(() => ts.distribute.init({ timeout: -1 })).toThrow(/timeout to be seconds >= 0/);
    expect(() => new ts.distribution.DataParallel({ bucketSize: 1 } as never)).toThrow(/DataParallel: unknown option 'bucketSize'.*bucketBytes/);
    expect(() => ts.distribution.setDistribution({} as never)).toThrow(/expected a DataParallel, a ModelParallel or null/);
    expect(() => ts.distribute.distributedOptimizer(new ts.optimizers.SGD({ learningRate: 0.1 }), { bucketBytes: 0 })).toThrow(/bucketBytes > 0/);
  });

  test('DataParallel in a world of one trains exactly as without it', async () => {
    const build = () => {
      ts.setSeed(7);
      const m = ts.sequential({ layers: [ts.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), ts.layers.dense({ units: 1 })] });
      m.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
      return m;
    };
    const x = ts.randomNormal([40, 3], 0, 1, 'float32', 3);
    const y = ts.randomNormal([40, 1], 0, 1, 'float32', 4);
    const plain = build();
    await plain.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    ts.distribution.setDistribution(new ts.distribution.DataParallel());
    try {
      const dp = build();
      await dp.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
      dp.weights.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(plain.weights[i].dataSync())));
    } finally {
      ts.distribution.setDistribution(null);
    }
  });

  test('a DistributedOptimizer applies the (averaged) gradients like the optimizer it wraps', () => {
    const v = ts.variable(ts.tensor([1, 2]));
    const opt = ts.distribute.distributedOptimizer(new ts.optimizers.SGD({ learningRate: 0.5 }));
    opt.applyGradients([[ts.tensor([2, 4]), v]]);
    expect(Array.from(v.dataSync())).toEqual([0, 0]);
  });
});

describe('launched by mpirun without the shim', () => {
  test('init says what to install and build', () => {
    const script = `const ts = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))}); try { ts.distribute.init(); } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ['-r', join(ROOT, 'test', 'helpers', 'register-ts.js'), '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, TESSERA_MPI_ABI: 'openmpi', TESSERA_MPI_SHIM: '/nonexistent/tessera_mpi_openmpi.node' },
    });
    expect(r.stdout).toMatch(/started by Open MPI's mpirun but the MPI shim tessera_mpi_openmpi.node was not found/);
    expect(r.stdout).toMatch(/apt install openmpi-bin libopenmpi-dev/);
    expect(r.stdout).toMatch(/npm run build:mpi/);
  });
});
