// Values that fight back: arrays inside themselves, sparse arrays, hostile option objects.
// Each ends in an error naming the function (never a hang, a stack overflow or V8's own
// TypeError from inside Tessera).
import * as ts from '../../src';
import { describe as describeValue } from '../../src/tensor/shape';
import { checkSymbolicShape } from '../../src/layers/layer';
import { howItEnded, runTsBody } from '../helpers/child';

const cyclicTail = (): unknown[] => {
  const a: unknown[] = [1, 2];
  a.push(a);
  return a;
};

describe('cyclic arrays', () => {
  it('tensor(), util.inferDtype and predict of an array inside itself throw (they looped forever)', () => {
    // In a child: a loop that never ends would hang jest itself, past any test timeout.
    const body = `
      const a = []; a.push(a);
      const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
      for (const f of [() => ts.tensor(a), () => ts.tensor2d(a), () => ts.util.inferDtype(a), () => m.predict(a)]) {
        try { f(); console.log('returned'); } catch (e) { console.log(e.message.split(';')[0]); }
      }`;
    const r = runTsBody(body, [], 60_000);
    expect(howItEnded(r)).toBe('exit 0');
    expect(r.stdout.trim().split('\n')).toEqual([
      'tensor: nested arrays deeper than 8 levels (the most a tensor has)',
      'tensor2d: nested arrays deeper than 8 levels (the most a tensor has)',
      'util.inferDtype: nested arrays deeper than 8 levels (the most a tensor has)',
      expect.stringMatching(/^sequential(_\d+)?\.predict: expected x to be a Tensor or nested arrays/),
    ]);
  });

  it('deep but finite nesting is refused the same way, not by a stack overflow', () => {
    let a: unknown = [1];
    for (let i = 0; i < 100_000; i++) a = [a];
    expect(() => ts.tensor(a as never)).toThrow('tensor: nested arrays deeper than 8 levels');
  });

  it('util.flatten refuses a cycle (a stack overflow before)', () => {
    expect(() => ts.util.flatten(cyclicTail())).toThrow('util.flatten: an array holds itself');
    // The same array twice, side by side, is no cycle.
    const shared = [1, 2];
    expect(ts.util.flatten([shared, shared])).toEqual([1, 2, 1, 2]);
  });

  it('error messages describe a cyclic array without recursing', () => {
    expect(describeValue(cyclicTail())).toMatch(/^\[1, 2, \[1, 2, \[.*\[\.\.\.\]/);
    expect(() => ts.zeros(cyclicTail() as never)).toThrow(/^zeros: expected shape entries to be non-negative integers/);
    expect(() => ts.tensor([1, 2], cyclicTail() as never)).toThrow(/^tensor: /);
    expect(() => ts.layers.dense({ units: 1, inputShape: cyclicTail() as never })).toThrow(/expected inputShape to be an array/);
    expect(() => ts.layers.conv2d({ filters: 1, kernelSize: cyclicTail() as never })).toThrow(/^conv2d/);
  });
});

describe('sparse arrays and odd objects', () => {
  it("a hole in an op's tensor list is named, not read as a tensor", () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the hostile input under test
    const list = [ts.ones([1]), , ts.ones([1])] as ts.Tensor[];
    expect(() => ts.concat(list)).toThrow('concat: expected input 1 to be a Tensor, got undefined');
    ts.dispose(list.filter((t) => t !== undefined));
  });

  it('a hole in an inputShape or a shape is not a null dimension', () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the hostile input under test
    expect(() => ts.layers.dense({ units: 1, inputShape: [2, , 3] as number[] })).toThrow(
      "Dense: option 'inputShape' is a sparse array with no entry at inputShape[1]",
    );
    // eslint-disable-next-line no-sparse-arrays -- the hole is the hostile input under test
    expect(() => checkSymbolicShape('input', [2, , 3], 'shape')).toThrow('input: expected shape to be an array of non-negative integers or null, got [2, , 3]');
    expect(ts.layers.dense({ units: 1, inputShape: [null, 3] as never }).units).toBe(1);
  });

  /* eslint-disable no-sparse-arrays -- the holes are the hostile inputs under test */
  it('a hole in an option list is refused (kernelSize [3, , ] built a layer; the hole read as a default)', () => {
    expect(() => ts.layers.conv2d({ filters: 1, kernelSize: [3, ,] as number[] })).toThrow(
      "Conv2D: option 'kernelSize' is a sparse array with no entry at kernelSize[1]",
    );
    expect(() => ts.layers.conv2d({ filters: 1, kernelSize: 3, strides: [1, ,] as number[] })).toThrow("option 'strides' is a sparse array");
    expect(() => ts.layers.reshape({ targetShape: [2, , 2] as number[] })).toThrow(
      "Reshape: option 'targetShape' is a sparse array with no entry at targetShape[1]",
    );
    expect(() => ts.layers.permute({ dims: [[2], [1, , 3]] as never })).toThrow('no entry at dims[1][1]');
  });

  it('a hole in an op\'s list argument is refused (slice and split read it as a default, pad said "expected 5 attribute(s)")', () => {
    const x = ts.ones([2, 2]);
    expect(() => ts.slice(x, [0, ,] as number[], [1, 1])).toThrow('slice: begin is a sparse array with no entry at begin[1]');
    expect(() => ts.split(x, [1, , 1] as number[])).toThrow('split: numOrSizes is a sparse array with no entry at numOrSizes[1]');
    expect(() => ts.pad(x, [[1, 1], ,] as number[][])).toThrow('pad: paddings is a sparse array with no entry at paddings[1]');
    expect(() => ts.tile(x, [1, ,] as number[])).toThrow('tile: reps is a sparse array with no entry at reps[1]');
    x.dispose();
  });

  it("a hole in a list of tensors or variables is refused (V8's TypeError from inside, or a weight silently left alone)", () => {
    const x = ts.ones([2]);
    expect(() => ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.add(a, b))([x, , x] as ts.Tensor[])).toThrow('grads: xs is a sparse array with no entry at xs[1]');
    const v = ts.variable(ts.ones([2]));
    expect(() => ts.variableGrads(() => ts.sum(v), [v, , v] as ts.Variable[])).toThrow('variableGrads: varList is a sparse array');
    const layer = ts.layers.dense({ units: 1 });
    ts.dispose(layer.apply(ts.ones([1, 2])) as ts.Tensor);
    const kernel = ts.ones([2, 1]);
    expect(() => layer.setWeights([kernel, ,] as ts.Tensor[])).toThrow(/dense(_\d+)?\.setWeights: values is a sparse array with no entry at values\[1\]/);
    ts.dispose([x, v, kernel]);
    layer.dispose();
  });

  it("a hole in a model's list of inputs is named by fit and predict (V8's TypeError before)", async () => {
    const [a, b] = [ts.input({ shape: [2] }), ts.input({ shape: [2] })];
    const m = ts.model({ inputs: [a, b], outputs: ts.layers.add().apply([a, b]) as never });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = ts.ones([4, 2]);
    expect(() => m.predict([x, , x] as ts.Tensor[])).toThrow(/\.predict: expected x to be a Tensor or nested arrays/);
    await expect(m.fit([x, , x] as ts.Tensor[], x, { epochs: 1, verbose: 0 })).rejects.toThrow(/\.fit: expected x to be/);
    x.dispose();
    m.dispose();
  });
  /* eslint-enable no-sparse-arrays */

  it('an object with a constructor key is described as data, not as a class', () => {
    expect(describeValue({ constructor: 1 })).toBe('an object');
    expect(describeValue(JSON.parse('{"constructor": {"name": "Evil"}}'))).toBe('an object');
  });

  it('frozen options work; array-likes are refused', () => {
    expect(ts.layers.dense(Object.freeze({ units: 2, use_bias: false })).useBias).toBe(false);
    expect(() => ts.tensor({ length: 1e9 } as never)).toThrow('tensor: expected a number, boolean, array or typed array');
    expect(() => ts.zeros({ length: 1e9 } as never)).toThrow('zeros: expected shape to be an array of integers');
  });
});

describe('deeply nested configs', () => {
  const nested = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it('modelFromJSON and deserializeKerasObject refuse them as file loads do (stack overflow before)', () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    const json = JSON.parse(m.toJSON() as string);
    m.dispose();
    json.config.layers[0].config.bogus = nested(100_000);
    expect(() => ts.modelFromJSON(json)).toThrow("modelFromJSON: the model's config nests more than 256 levels deep; it is damaged or hostile");
    expect(() => ts.saving.deserializeKerasObject(nested(100_000))).toThrow('utils.deserializeKerasObject: the config nests more than 256 levels deep');
  });
});

describe('structures that hold themselves', () => {
  const selfHolding = (): Record<string, unknown> => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  };

  it('every ts.tree walk refuses them by name (a stack overflow before)', () => {
    const cyclic = selfHolding();
    const says = (op: string, what = 'the structure') => `${op}: ${what} nests more than 1000 levels deep; does it hold itself?`;
    expect(() => ts.tree.flatten(cyclic)).toThrow(says('tree.flatten'));
    expect(() => ts.tree.flattenWithPath(cyclic)).toThrow(says('tree.flattenWithPath'));
    expect(() => ts.tree.mapStructure((x: unknown) => x, cyclic)).toThrow(says('tree.mapStructure', 'structures[0]'));
    expect(() => ts.tree.mapStructureUpTo(cyclic, (x: unknown) => x, cyclic)).toThrow(says('tree.mapStructureUpTo', 'shallowStructure'));
    expect(() => ts.tree.packSequenceAs(cyclic, [1])).toThrow(says('tree.packSequenceAs'));
    expect(() => ts.tree.assertSameStructure({}, cyclic)).toThrow(says('tree.assertSameStructure', 'b'));
    expect(() => ts.tree.assertSamePaths(cyclic, {})).toThrow(says('tree.assertSamePaths', 'a'));
    expect(() => ts.tree.traverse(() => undefined, cyclic)).toThrow(says('tree.traverse'));
    expect(() => ts.tree.listsToTuples(cyclic)).toThrow(says('tree.listsToTuples'));
    expect(() => ts.tree.mapShapeStructure((x: unknown) => x, cyclic)).toThrow(says('tree.mapShapeStructure'));
    // The same subtree twice is no cycle.
    const shared = { b: 2 };
    expect(ts.tree.flatten({ x: shared, y: shared })).toEqual([2, 2]);
  });

  it('Dataset.batch refuses such an element (a stack overflow before)', async () => {
    const cyclic = selfHolding();
    await expect(
      ts.data
        .array([cyclic, cyclic] as never[])
        .batch(2)
        .toArray(),
    ).rejects.toThrow('Dataset.batch: element 0 nests more than 1000 levels deep');
  });
});
