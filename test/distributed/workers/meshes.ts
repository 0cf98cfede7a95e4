// Under mpirun -np 2: ts.distribution's meshes across the ranks (test/distributed/meshes_mpi.test.ts).
//   meshes <out.json>  writes out.rank<R>.json: the world's default mesh, each rank's shard
//                      of distributeTensor for several layouts and meshes, the errors for
//                      meshes that do not fit the world, and the weights after fitting under
//                      DataParallel and under ModelParallel with a model axis of size 1
import { writeFileSync } from 'node:fs';
import * as ts from '../../../src';

const { DeviceMesh, TensorLayout, LayoutMap, DataParallel, ModelParallel } = ts.distribution;
const [out] = process.argv.slice(2);
const { rank, size } = ts.distribute.init();

function errorOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const x = ts.tensor(
  Array.from({ length: 24 }, (_, i) => i),
  [4, 6],
  'float32',
);
const shard = (layout: InstanceType<typeof TensorLayout>) => {
  const s = ts.distribution.distributeTensor(x, layout);
  return { same: s === x, shape: s.shape, values: Array.from(s.dataSync()) };
};
const world = new DeviceMesh({ shape: [2], axisNames: ['batch'] });
const grid = new DeviceMesh([1, 2], ['batch', 'model']);
const reversed = new DeviceMesh([2], ['batch'], [...world.getConfig().devices].reverse() as string[]);
const shards = {
  rows: shard(new TensorLayout(['batch', null], world)),
  whole: shard(new TensorLayout([null, null], world)),
  columns: shard(new TensorLayout([null, 'model'], grid)),
  unitAxis: shard(new TensorLayout(['batch', null], grid)),
  reversed: shard(new TensorLayout(['batch'], reversed)),
};
const errors = {
  threeDevices: errorOf(() => ts.distribution.distributeTensor(x, new TensorLayout(['batch'], new DeviceMesh([1], ['batch'], ['cpu:0'])))),
  foreignDevices: errorOf(() => ts.distribution.distributeTensor(x, new TensorLayout(['batch'], new DeviceMesh([2], ['batch'], ['a', 'b'])))),
  dataParallelOneDevice: errorOf(() => ts.distribution.setDistribution(new DataParallel({ devices: ['cpu:0'] }))),
  modelParallelBatchOfOne: errorOf(() => ts.distribution.setDistribution(new ModelParallel({ layoutMap: new LayoutMap(grid) }))),
};

async function fitUnder(distribution: InstanceType<typeof DataParallel> | InstanceType<typeof ModelParallel>): Promise<number[][]> {
  ts.distribution.setDistribution(distribution);
  ts.setSeed(5);
  const model = ts.sequential({ layers: [ts.layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }), ts.layers.dense({ units: 1 })] });
  model.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  const xs = ts.randomNormal([16, 4], 0, 1, 'float32', 11);
  const ys = ts.randomNormal([16, 1], 0, 1, 'float32', 12);
  await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  ts.distribution.setDistribution(null);
  return model.weights.map((w) => Array.from(w.dataSync()));
}

async function main(): Promise<void> {
  const dataParallel = await fitUnder(new DataParallel());
  const map = new LayoutMap(new DeviceMesh([2, 1], ['data', 'model']));
  map.set('.*kernel', [null, 'model']);
  map.set('.*bias', ['model']);
  const modelParallel = await fitUnder(new ModelParallel({ layoutMap: map, batchDimName: 'data' }));
  const result = {
    rank,
    size,
    defaultMesh: world.getConfig(),
    dataParallelMesh: new DataParallel().deviceMesh.getConfig(),
    shards,
    errors,
    dataParallel,
    modelParallel,
  };
  writeFileSync(out.replace('.json', `.rank${rank}.json`), JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
