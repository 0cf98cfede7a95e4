// ts.distribution's DeviceMesh, TensorLayout, LayoutMap, distributeTensor, DataParallel's
// meshes and ModelParallel in a world of one (no mpirun), against Keras 3.15 with JAX on
// four fake CPU devices (scripts/fixtures/make_distribution_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { blockOf } from '../../src/distribution/distribute_tensor';

const FIXTURE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras', 'distribution.json'), 'utf8'));
const { DeviceMesh, TensorLayout, LayoutMap, DataParallel, ModelParallel } = ts.distribution;
const mesh22 = () => new DeviceMesh([2, 2], ['batch', 'model'], ['d0', 'd1', 'd2', 'd3']);

describe('DeviceMesh', () => {
  test("devices reshaped row-major to the mesh's shape, as Keras's np.reshape", () => {
    const m = mesh22();
    expect({ shape: m.shape, axisNames: m.axisNames, devices: m.devices }).toEqual(FIXTURE.mesh);
    expect(
      new DeviceMesh({
        shape: [2, 2],
        axisNames: ['batch', 'model'],
        devices: [
          ['d0', 'd1'],
          ['d2', 'd3'],
        ],
      }).getConfig(),
    ).toEqual(FIXTURE.mesh);
    expect(new DeviceMesh(m.getConfig()).devices).toEqual(FIXTURE.mesh.devices);
    expect([m.size, m.axisSize('model'), String(m)]).toEqual([4, 2, "<DeviceMesh shape=[2, 2], axisNames=['batch', 'model']>"]);
    // The readers hand out copies.
    m.shape.push(9);
    (m.devices[0] as string[])[0] = 'x';
    expect(m.getConfig()).toEqual(FIXTURE.mesh);
  });

  test("devices default to the world's: listDevices() in a world of one", () => {
    const m = new DeviceMesh({ shape: [1], axisNames: ['batch'] });
    expect(m.devices).toEqual(ts.distribution.listDevices().slice(0, 1));
  });

  test('what Keras refuses, refused with errors naming the class', () => {
    expect(FIXTURE.errors).toMatchObject({ emptyShape: true, lengthMismatch: true, countMismatch: true });
    expect(() => new DeviceMesh([], ['a'], ['d0'])).toThrow(/^distribution\.DeviceMesh: shape and axisNames cannot be empty/);
    expect(() => new DeviceMesh([2], ['a', 'b'], ['d0', 'd1'])).toThrow(/^distribution\.DeviceMesh: shape and axisNames should have the same length/);
    expect(() => new DeviceMesh([3], ['a'], ['d0', 'd1'])).toThrow(/^distribution\.DeviceMesh: shape \[3\] holds 3 device\(s\) but 2 were given/);
    expect(() => new DeviceMesh([2, 2], ['a', 'a'], ['d0', 'd1', 'd2', 'd3'])).toThrow(/axis names must be unique; 'a' is named twice/);
    expect(() => new DeviceMesh([2], ['a'], ['d0', 'd0'])).toThrow(/device 'd0' is in the mesh twice/);
    expect(() => new DeviceMesh([1.5], ['a'], ['d0'])).toThrow(/expected shape\[0\] to be a positive integer, got 1\.5/);
    expect(() => new DeviceMesh([1], ['a'], 'd0' as never)).toThrow(/expected devices to be an array of device names, got 'd0'/);
    expect(() => new DeviceMesh({ shape: [1], axisNames: ['a'], device: ['d0'] } as never)).toThrow(
      /^distribution\.DeviceMesh: unknown option 'device'.*devices/,
    );
    expect(() => new DeviceMesh({ shape: [1], axisNames: ['a'] }, ['b'] as never)).toThrow(/give axisNames and devices in it/);
    expect(() => mesh22().axisSize('data')).toThrow(/^DeviceMesh\.axisSize: no axis named 'data'/);
  });
});

describe('TensorLayout', () => {
  test('axes and a mesh set once, as Keras', () => {
    const layout = new TensorLayout([null, 'model']);
    expect([layout.axes, layout.deviceMesh]).toEqual([[null, 'model'], null]);
    expect(() => layout.shardCount(1)).toThrow(/has no device mesh yet/);
    const m = mesh22();
    layout.deviceMesh = m;
    expect([layout.deviceMesh, layout.shardCount(0), layout.shardCount(1), layout.shardCount(5)]).toEqual([m, 1, 2, 1]);
    expect(FIXTURE.errors.overrideMesh).toBe(true);
    expect(() => (layout.deviceMesh = m)).toThrow(/^distribution\.TensorLayout: cannot override the device mesh/);
    expect(new TensorLayout({ axes: ['batch'], deviceMesh: m }).deviceMesh).toBe(m);
    expect(String(new TensorLayout(['batch', null]))).toBe("<TensorLayout axes=['batch', null], deviceMesh=null>");
  });

  test('axis names must be the mesh axes, each used once', () => {
    expect(FIXTURE.errors).toMatchObject({ unknownAxis: true, axisTwice: true });
    expect(() => new TensorLayout(['batch', 'nope'], mesh22())).toThrow(
      /invalid axis names for the layout: valid axis names are \['batch', 'model'\], got \['nope'\]/,
    );
    expect(() => new TensorLayout(['batch', 'batch'])).toThrow(/mesh axis 'batch' shards two dimensions/);
    expect(() => new TensorLayout([undefined] as never)).toThrow(/expected axes\[0\] to be a mesh axis name or null/);
    expect(() => new TensorLayout('batch' as never)).toThrow(/expected axes \(an array/);
    expect(() => new TensorLayout({ axes: ['batch'], mesh: mesh22() } as never)).toThrow(/unknown option 'mesh'.*deviceMesh/);
    expect(() => (new TensorLayout(['batch']).deviceMesh = {} as never)).toThrow(/expected deviceMesh to be a DeviceMesh/);
  });
});

describe('LayoutMap', () => {
  const build = () => {
    const map = new LayoutMap(mesh22());
    map.set('.*dense.*kernel', [null, 'model']);
    map.set('.*dense.*bias', ['model']);
    map.set('dense_1/kernel', new TensorLayout(['batch', null]));
    map.set('conv.*', [null, null, null, 'model']);
    map.set('.*conv2d.*', ['model']);
    return map;
  };

  test("lookups as Keras's: the exact key, else the one key matching the whole path", () => {
    const map = build();
    const keyOf = new Map(map.entries().map(([k, v]) => [v, k]));
    for (const [path, want] of Object.entries(FIXTURE.lookups)) {
      if (want === 'error') expect(() => map.get(path)).toThrow(new RegExp(`^LayoutMap\\.get: path '${path}' matches several layout keys`));
      else expect([path, map.get(path) === null ? null : keyOf.get(map.get(path)!)]).toEqual([path, want]);
    }
    expect(map.get('dense_2/kernel')!.deviceMesh).toBe(map.deviceMesh);
    expect([map.size, map.keys()[0], map.has('conv.*'), map.has('conv2d')]).toEqual([5, '.*dense.*kernel', true, false]);
    expect([...map].length).toBe(5);
    expect(map.delete('conv.*').axes).toEqual([null, null, null, 'model']);
    expect(map.get('conv3d/kernel')).toBeNull();
  });

  test('bad keys and values are errors naming the method', () => {
    const map = build();
    expect(FIXTURE.errors.duplicateKey).toBe(true);
    expect(() => map.set('conv.*', ['model'])).toThrow(/^LayoutMap\.set: 'conv\.\*' is already in the map/);
    expect(() => map.set('(', ['model'])).toThrow(/^LayoutMap\.set: key '\(' is not a valid regular expression/);
    expect(() => map.set('x', 'model' as never)).toThrow(/expected a TensorLayout or an array of axis names/);
    expect(() => map.set('y', ['data'])).toThrow(/invalid axis names for the layout/);
    expect(() => map.delete('nope')).toThrow(/^LayoutMap\.delete: no key 'nope'/);
    expect(() => map.get(3 as never)).toThrow(/^LayoutMap\.get: expected a path string/);
    expect(() => new LayoutMap({} as never)).toThrow(/^distribution\.LayoutMap: expected a DeviceMesh/);
  });
});

describe('distributeTensor', () => {
  test("each mesh place's block, as JAX's shards under Keras's distribute_tensor", () => {
    const m = new DeviceMesh([2, 2], ['batch', 'model'], ['cpu:0', 'cpu:1', 'cpu:2', 'cpu:3']);
    for (const { shape, axes, blocks } of FIXTURE.shards) {
      const layout = new TensorLayout(axes, m);
      const places = [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ];
      expect(
        places.map((p) => {
          const b = blockOf(shape, layout, p);
          return [b.begin, b.size];
        }),
      ).toEqual(blocks);
    }
  });

  test('in a world of one the tensor itself comes back; layouts that do not fit are errors', () => {
    const m = new DeviceMesh([2, 2], ['batch', 'model'], ['cpu:0', 'cpu:1', 'cpu:2', 'cpu:3']);
    const x = ts.ones([4, 6]);
    expect(ts.distribution.distributeTensor(x, new TensorLayout(['batch', 'model'], m))).toBe(x);
    const input = ts.input({ shape: [3] });
    expect(ts.distribution.distributeTensor(input, new TensorLayout(['batch'], m))).toBe(input);
    expect(FIXTURE.errors).toMatchObject({ indivisible: true, moreAxesThanRank: true });
    expect(() => ts.distribution.distributeTensor(ts.ones([3, 4]), new TensorLayout(['batch', null], m))).toThrow(
      /^distribution\.distributeTensor: dimension 0 of the tensor \(size 3, shape \[3, 4\]\) cannot be split evenly across the 2 devices of mesh axis 'batch'/,
    );
    expect(() => ts.distribution.distributeTensor(ts.ones([4]), new TensorLayout(['batch', null], m))).toThrow(/has 2 axes but the tensor has rank 1/);
    expect(() => ts.distribution.distributeTensor(x, new TensorLayout(['batch']))).toThrow(/TensorLayout that has no device mesh/);
    expect(() => ts.distribution.distributeTensor([1, 2] as never, new TensorLayout(['batch'], m))).toThrow(
      /^distribution\.distributeTensor: expected a Tensor/,
    );
    expect(() => ts.distribution.distributeTensor(x, ['batch'] as never)).toThrow(/expected layout to be a TensorLayout/);
  });
});

describe('DataParallel and ModelParallel meshes', () => {
  afterEach(() => ts.distribution.setDistribution(null));

  test("DataParallel's mesh: given, from devices, or the world's; its first axis is the batch", () => {
    const fromDevices = new DataParallel({ devices: ['d0', 'd1'] });
    expect({ shape: fromDevices.deviceMesh.shape, axisNames: fromDevices.deviceMesh.axisNames, batchDimName: fromDevices.batchDimName }).toEqual(
      FIXTURE.dataParallel,
    );
    expect(new DataParallel(['d0', 'd1']).deviceMesh.devices).toEqual(['d0', 'd1']);
    const m = new DeviceMesh([1], ['data'], ['cpu:0']);
    expect(new DataParallel({ deviceMesh: m }).batchDimName).toBe('data');
    expect(new DataParallel(m).deviceMesh).toBe(m);
    const plain = new DataParallel();
    expect([plain.deviceMesh.shape, plain.batchDimName, String(plain)]).toEqual([[1], 'batch', `<DataParallel deviceMesh=${plain.deviceMesh}>`]);
    ts.distribution.setDistribution(plain);
    expect(ts.distribution.distribution()).toBe(plain);
  });

  test('DataParallel: a mesh of several axes is warned about (Keras), wrong meshes refused', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(new DataParallel({ deviceMesh: mesh22() }).batchDimName).toBe('batch');
      expect(warn.mock.calls[0][0]).toMatch(/^distribution\.DataParallel: expected a 1D mesh.*its first axis \('batch'\) is the data-parallel one/);
    } finally {
      warn.mockRestore();
    }
    expect(() => new DataParallel({ deviceMesh: {} as never })).toThrow(/expected deviceMesh to be a DeviceMesh/);
    expect(() => new DataParallel({ deviceMesh: mesh22(), devices: ['d0'] })).toThrow(/give deviceMesh or devices, not both/);
    expect(() => new DataParallel({ devices: [['d0']] as never })).toThrow(/expected devices to be a flat array of device names/);
    expect(() => new DataParallel({ mesh: mesh22() } as never)).toThrow(/^DataParallel: unknown option 'mesh'/);
  });

  test('ModelParallel: batchDimName defaults to the first axis; options checked as Keras', () => {
    const map = new LayoutMap(mesh22());
    expect(new ModelParallel({ layoutMap: map }).batchDimName).toBe(FIXTURE.modelParallelBatchDimName);
    expect(new ModelParallel({ layoutMap: map, batchDimName: 'model' }).batchDimName).toBe('model');
    expect(FIXTURE.errors.modelParallelNoMap).toBe(true);
    expect(() => new ModelParallel(undefined as never)).toThrow(/^distribution\.ModelParallel: you must specify a layoutMap/);
    expect(() => new ModelParallel({} as never)).toThrow(/you must specify a layoutMap/);
    expect(() => new ModelParallel(map as never)).toThrow(/got a LayoutMap: write new ModelParallel\(\{ layoutMap \}\)/);
    expect(() => new ModelParallel({ layoutMap: {} as never })).toThrow(/expected layoutMap to be a LayoutMap/);
    expect(() => new ModelParallel({ layoutMap: map, batchDimName: 'data' })).toThrow(
      /expected batchDimName to be one of the mesh's axes \['batch', 'model'\], got 'data'/,
    );
  });

  const model = () => {
    ts.setSeed(1);
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3], name: 'dense' })] });
    m.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    return m;
  };

  test('ModelParallel with model axes of size 1 trains as plain data parallelism', async () => {
    const x = ts.randomNormal([8, 3], 0, 1, 'float32', 2);
    const y = ts.randomNormal([8, 2], 0, 1, 'float32', 3);
    const plain = model();
    await plain.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const map = new LayoutMap(new DeviceMesh([1, 1], ['batch', 'model'], ['cpu:0', 'cpu:1'].slice(0, 1)));
    map.set('.*kernel', [null, 'model']);
    map.set('.*bias', ['model']);
    ts.distribution.setDistribution(new ModelParallel({ layoutMap: map, batchDimName: 'batch' }));
    const mp = model();
    await mp.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    mp.weights.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(plain.weights[i].dataSync())));
  });

  test('ModelParallel that would shard weights is refused at setDistribution and at fit, naming the layout and variable', async () => {
    const sharding = new LayoutMap(new DeviceMesh([1, 2], ['batch', 'model'], ['d0', 'd1']));
    sharding.set('.*kernel', [null, 'model']);
    const refused = new ModelParallel({ layoutMap: sharding });
    expect(() => ts.distribution.setDistribution(refused)).toThrow(
      /^distribution\.setDistribution: weights sharded across processes are not supported in Tessera yet: the LayoutMap's key '\.\*kernel' lays variables out as <TensorLayout axes=\[null, 'model'\].*splitting them along mesh axis \['model'\]/,
    );
    expect(ts.distribution.distribution()).toBeNull();
    // A map changed after setDistribution: fit finds the variable it shards.
    const map = new LayoutMap(new DeviceMesh([1, 2], ['batch', 'model'], ['d0', 'd1']));
    map.set('.*bias', [null]);
    ts.distribution.setDistribution(new ModelParallel({ layoutMap: map }));
    map.set('.*dense/kernel', ['model', null]);
    const m = model();
    await expect(m.fit(ts.ones([4, 3]), ts.ones([4, 2]), { verbose: 0 })).rejects.toThrow(
      /\.fit: weights sharded across processes are not supported in Tessera yet: variable 'sequential_\d+\/dense\/kernel' \(shape \[3, 2\]\) is laid out as <TensorLayout axes=\['model', null\]/,
    );
    // A model built by its first step: its variables are checked there.
    const lazy = ts.sequential({ layers: [ts.layers.dense({ units: 2, name: 'dense' })] });
    lazy.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(lazy.fit(ts.ones([4, 3]), ts.ones([4, 2]), { verbose: 0 })).rejects.toThrow(
      /variable 'sequential_\d+\/dense\/kernel' \(shape \[3, 2\]\) is laid out as/,
    );
  });
});
