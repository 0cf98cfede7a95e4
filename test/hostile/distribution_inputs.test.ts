// ts.distribution given what it cannot use: a devices array holding itself (a stack
// overflow), a disposed tensor (handed back as is in a world of one), a layout on another
// mesh than its LayoutMap's (kept, so variables were sharded by a mesh the map lacks).
import * as ts from '../../src';

const D = ts.distribution;

describe('distribution on hostile inputs', () => {
  it('DeviceMesh refuses devices that hold themselves or nest past the limit', () => {
    const cyclic: unknown[] = ['cpu:0'];
    cyclic.push(cyclic);
    expect(() => new D.DeviceMesh([2], ['batch'], cyclic as never)).toThrow(
      'distribution.DeviceMesh: devices nests more than 1000 levels deep; does it hold itself?',
    );
    let deep: unknown = ['cpu:0'];
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => new D.DeviceMesh([1], ['batch'], deep as never)).toThrow('distribution.DeviceMesh: devices nests more than');
    const sparse: string[] = new Array<string>(2);
    sparse[1] = 'cpu:0';
    expect(() => new D.DeviceMesh([2], ['batch'], sparse)).toThrow('distribution.DeviceMesh: devices holds a sparse array');
  });

  it('distributeTensor refuses a disposed tensor', () => {
    const mesh = new D.DeviceMesh([1], ['batch'], ['cpu:0']);
    const t = ts.ones([2, 2]);
    t.dispose();
    expect(() => D.distributeTensor(t, new D.TensorLayout(['batch', null], mesh))).toThrow(
      'distribution.distributeTensor: the tensor (shape [2, 2]) is disposed',
    );
  });

  it('LayoutMap.set refuses a layout on another mesh, and takes one on an equal mesh', () => {
    const mesh = new D.DeviceMesh([2, 1], ['batch', 'model'], ['cpu:0', 'gpu:0']);
    const other = new D.DeviceMesh([1], ['x'], ['cpu:0']);
    const map = new D.LayoutMap(mesh);
    expect(() => map.set('dense/kernel', new D.TensorLayout(['x'], other))).toThrow(
      "LayoutMap.set: the layout for 'dense/kernel' is on <DeviceMesh shape=[1], axisNames=['x']>, but the map's mesh is <DeviceMesh shape=[2, 1], axisNames=['batch', 'model']>",
    );
    expect(map.keys()).toEqual([]);
    const twin = new D.DeviceMesh([2, 1], ['batch', 'model'], ['cpu:0', 'gpu:0']);
    map.set('dense/kernel', new D.TensorLayout([null, 'model'], twin));
    expect(map.get('dense/kernel')!.axes).toEqual([null, 'model']);
  });
});
