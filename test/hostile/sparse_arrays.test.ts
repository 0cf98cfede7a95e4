/* eslint-disable no-sparse-arrays -- sparse arrays are what these tests feed */
// Sparse arrays ([3, , 3]) as shapes, axes, lists of tensors, layers, weights or callbacks:
// every() / some() / map() / forEach() skip a hole, so a check written with them passed the
// list with an entry missing (stridedSlice sliced with begin [0, ], stack named concat).
// Each is refused by the function it was given to, naming the argument.
import * as ts from '../../src';

const SPARSE = 'is a sparse array with no entry at';

describe('sparse arrays given to ops', () => {
  it('shapes: reshape, ones, broadcastTo, truncatedNormal name the missing entry', () => {
    expect(() => ts.reshape(ts.ones([6]), [2, , 3] as never)).toThrow('reshape: expected shape entries to be non-negative integers, got undefined at index 1');
    expect(() => ts.ones([2, , 3] as never)).toThrow('ones: expected shape entries to be non-negative integers, got undefined at index 1');
    expect(() => ts.broadcastTo(ts.ones([3]), [, 3] as never)).toThrow('broadcastTo: expected shape entries');
    expect(() => ts.truncatedNormal([2, , 3] as never)).toThrow('truncatedNormal: expected shape entries');
  });

  it('axis lists: sum, mean, max, reverse, squeeze (all went through map or a loop that read undefined)', () => {
    const x = ts.ones([1, 3, 1]);
    expect(() => ts.sum(x, [0, , 1] as never)).toThrow(`sum: axis ${SPARSE} axis[1] ([0, , 1]); write every entry`);
    expect(() => ts.mean(x, [, 1] as never)).toThrow(`mean: axis ${SPARSE} axis[0]`);
    expect(() => ts.max(x, [, 1] as never)).toThrow(`max: axis ${SPARSE} axis[0]`);
    expect(() => ts.reverse(x, [0, , 1] as never)).toThrow(`reverse: axis ${SPARSE} axis[1]`);
    // It read 'cannot squeeze axis undefined of size undefined'.
    expect(() => ts.squeeze(x, [0, , 2] as never)).toThrow(`squeeze: axes ${SPARSE} axes[1]`);
    expect(() => ts.ops.expandDims(ts.ones([3]), [0, , 1] as never)).toThrow(`expandDims: axis ${SPARSE} axis[1]`);
    // moveaxis moved axes 0 and 2 and returned a tensor.
    expect(() => ts.ops.moveaxis(x, [0, , 2] as never, [1, 2, 0])).toThrow(`moveaxis: source ${SPARSE} source[1]`);
  });

  it('transpose perm with a hole is no permutation', () => {
    expect(() => ts.transpose(ts.ones([2, 3]), [1, ,] as never)).toThrow('transpose: expected perm to be a permutation of 0..1, got [1, ]');
  });

  it('stridedSlice begin, end and strides (a hole sliced nothing and returned a [2, 0] tensor)', () => {
    const x = ts.ones([3, 3]);
    expect(() => ts.stridedSlice(x, [0, ,] as never, [2, 2], [1, 1])).toThrow('stridedSlice: expected begin to be an array of integers, got [0, ]');
    expect(() => ts.stridedSlice(x, [0, 0], [2, ,] as never, [1, 1])).toThrow('stridedSlice: expected end to be an array of integers');
    expect(() => ts.stridedSlice(x, [0, 0], [2, 2], [1, ,] as never)).toThrow('stridedSlice: expected strides to be an array of integers');
  });

  it('pairs and size lists checked with every(): mirrorPad, spaceToBatchND, image resize and crop', () => {
    expect(() => ts.mirrorPad(ts.ones([3]), [[1, ,]] as never, 'reflect')).toThrow('mirrorPad: expected paddings[0] to be [before, after] integers');
    expect(() =>
      ts.spaceToBatchND(ts.ones([1, 2, 2, 1]), [2, ,] as never, [
        [0, 0],
        [0, 0],
      ]),
    ).toThrow('spaceToBatchND: expected blockShape to be a non-empty array of positive integers, got [2, ]');
    expect(() => ts.image.resizeBilinear(ts.ones([1, 2, 2, 1]), [2, ,] as never)).toThrow('image.resizeBilinear: expected size to be [newHeight, newWidth]');
    const boxes = ts.tensor2d([[0, 0, 1, 1]]);
    expect(() => ts.image.cropAndResize(ts.ones([1, 2, 2, 1]), boxes, ts.tensor1d([0], 'int32'), [2, ,] as never)).toThrow(
      'image.cropAndResize: expected cropSize to be [height, width]',
    );
    expect(() => ts.ops.image.resize(ts.ones([2, 2, 1]), [2, ,] as never)).toThrow('image.resize: expected size to be [height, width]');
  });

  it('values and index lists: tensor, gather, ops.take name the op and the argument', () => {
    expect(() => ts.tensor([1, , 3] as never)).toThrow('tensor: expected numbers or booleans, got undefined at [1]');
    expect(() =>
      ts.tensor([
        [1, 2],
        [, 3],
      ] as never),
    ).toThrow('at [1][0]');
    // Both read 'tensor: ...', naming no gather.
    expect(() => ts.gather(ts.ones([3]), [0, , 1] as never)).toThrow(`gather: argument 'indices' ${SPARSE} indices[1] ([0, , 1])`);
    expect(() => ts.ops.take(ts.ones([3]), [0, , 1] as never)).toThrow(`take: argument 'indices' ${SPARSE} indices[1]`);
    expect(() => ts.add(ts.ones([2]), [1, ,] as never)).toThrow(`add: argument 'b' ${SPARSE} b[1]`);
  });

  it('lists of tensors: stack (which named concat), concat, viewAsReal, jvp', () => {
    const a = ts.ones([2]);
    expect(() => ts.stack([a, , a] as never)).toThrow(`stack: tensors ${SPARSE} tensors[1]`);
    expect(() => ts.concat([a, , a] as never)).toThrow('concat: expected input 1 to be a Tensor, got undefined');
    expect(() => ts.viewAsReal([a, ,] as never)).toThrow('viewAsReal: expected [real, imag], a pair of tensors');
    expect(() => ts.jvp((x: ts.Tensor) => x, [a, ,] as never, [a, a])).toThrow('jvp: expected primals to be an array of tensors');
  });

  it('utils.padSequences: a missing sequence (a TypeError from inside before)', () => {
    expect(() => ts.utils.padSequences([[1, 2], , [3]] as never)).toThrow(`utils.padSequences: sequences ${SPARSE} sequences[1]`);
    expect(() => ts.utils.padSequences([[1, , 2]] as never)).toThrow(`utils.padSequences: sequences ${SPARSE} sequences[0][1]`);
  });
});

describe('sparse arrays in structures (tree, Dataset.batch)', () => {
  it('tree functions refuse a hole at any depth (flatten dropped it: [1, , 2] gave 2 leaves)', () => {
    expect(() => ts.tree.flatten([1, , 2])).toThrow('tree.flatten: the structure holds a sparse array with no entry at [1] ([1, , 2]); write every entry');
    expect(() => ts.tree.mapStructure((x: number) => x, { a: [[1, ,]] })).toThrow(
      'tree.mapStructure: structures[0] holds a sparse array with no entry at .a[0][1]',
    );
    expect(() => ts.tree.packSequenceAs([1, 2], [1, ,])).toThrow('tree.packSequenceAs: flatSequence holds a sparse array with no entry at [1]');
    expect(ts.tree.flatten([1, [2, 3]])).toEqual([1, 2, 3]);
  });

  it('Dataset.batch refuses an element holding a hole', async () => {
    await expect(
      ts.data
        .array([{ a: [1, 2] }, { a: [1, ,] }] as never[])
        .batch(2)
        .toArray(),
    ).rejects.toThrow('Dataset.batch: element 1 holds a sparse array with no entry at .a[1]');
  });
});

describe('sparse arrays given to layers and models', () => {
  it('input shapes and layer options', () => {
    expect(() => ts.layers.input({ shape: [3, , 2] as never })).toThrow(`InputLayer: option 'shape' ${SPARSE} shape[1]`);
    expect(() => ts.layers.dense({ units: 2, inputShape: [, 2] as never })).toThrow(`Dense: option 'inputShape' ${SPARSE} inputShape[0]`);
    expect(() => ts.layers.permute({ dims: [2, , 1] as never })).toThrow(`Permute: option 'dims' ${SPARSE} dims[1]`);
  });

  it('lists of layers, inputs and weights', () => {
    const dense = () => ts.layers.dense({ units: 1 });
    expect(() => ts.sequential({ layers: [dense(), , dense()] as never })).toThrow(`Sequential: option 'layers' ${SPARSE} layers[1]`);
    const a = ts.input({ shape: [2] });
    expect(() => ts.layers.concatenate().apply([a, , a] as never)).toThrow('concatenate: expected a Tensor or SymbolicTensor at index 1, got undefined');
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => m.setWeights([, ts.ones([1])] as never)).toThrow(`${m.name}.setWeights: values ${SPARSE} values[0]`);
  });

  it('setVocabulary of the lookup layers and textVectorization (a hole became a null token)', () => {
    const strings = ts.layers.stringLookup({});
    expect(() => strings.setVocabulary(['a', , 'b'] as never)).toThrow(`${strings.name}: the vocabulary ${SPARSE} vocabulary[1]`);
    const ints = ts.layers.integerLookup({});
    expect(() => ints.setVocabulary([1, , 2] as never)).toThrow(`${ints.name}: the vocabulary ${SPARSE} vocabulary[1]`);
    const text = ts.layers.textVectorization({});
    expect(() => text.setVocabulary(['a', , 'b'] as never)).toThrow(`${text.name}: expected the vocabulary to be an array of strings, got ['a', , 'b']`);
    expect(strings.getVocabulary()).toEqual(['[UNK]']);
  });

  it('a subclassed model built on a list of shapes with a hole', () => {
    class Pass extends ts.Model {
      override call(x: ts.Tensor): ts.Tensor {
        return x;
      }
    }
    const m = new Pass();
    expect(() => m.build([[null, 2], , [null, 2]] as never)).toThrow(`${m.name}.build: inputShape ${SPARSE} inputShape[1]`);
  });

  it('fit callbacks and compile metrics lists', async () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae', , 'mse'] as never })).toThrow(`option 'metrics' ${SPARSE} metrics[1]`);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const cb = { onEpochEnd: () => undefined };
    await expect(m.fit(ts.ones([4, 2]), ts.ones([4, 1]), { callbacks: [cb, , cb] as never, verbose: 0 })).rejects.toThrow(
      `option 'callbacks' ${SPARSE} callbacks[1]`,
    );
  });
});

describe('sparse arrays met by map / forEach / slice (the second audit)', () => {
  it('data.zip and Dataset.zip of a list with a hole (a TypeError from inside before)', () => {
    const r = ts.data.range(3);
    expect(() => ts.data.zip([r, , r] as never)).toThrow(`data.zip: datasets ${SPARSE} datasets[1]`);
    expect(() => ts.data.Dataset.zip([r, , r] as never)).toThrow(`data.zip: datasets ${SPARSE} datasets[1]`);
  });

  it('build(inputShape) with a hole (Dense built, and computeOutputSpec later read undefined)', () => {
    const d = ts.layers.dense({ units: 2 });
    expect(() => d.build([null, , 2] as never)).toThrow(`${d.name}.build: inputShape ${SPARSE} inputShape[1]`);
    expect(d.built).toBe(false);
  });

  it('adapt of an array or a Dataset element with a hole (discretization adapted on the rest in silence)', async () => {
    const disc = ts.layers.discretization({ numBins: 2 });
    expect(() => disc.adapt([1, , 2] as never)).toThrow(`${disc.name}.adapt: the data ${SPARSE} data[1]`);
    const text = ts.layers.textVectorization({});
    // It was 'TypeError: tokens is not iterable'.
    expect(() => text.adapt(['a b', , 'c'] as never)).toThrow(`${text.name}.adapt: the data ${SPARSE} data[1]`);
    const lookup = ts.layers.stringLookup({});
    await expect(lookup.adapt(ts.data.array([['a', , 'b']] as never))).rejects.toThrow(`${lookup.name}.adapt: the data ${SPARSE} data[1]`);
    const norm = ts.layers.normalization({});
    expect(() => norm.adapt([[1], , [2]] as never)).toThrow(`${norm.name}.adapt: the data ${SPARSE} data[1]`);
  });

  it('strings with a hole applied to stringLookup, hashing, textVectorization (errors named tensor, or NaN values)', () => {
    const lookup = ts.layers.stringLookup({ vocabulary: ['a', 'b'] });
    expect(() => lookup.apply(['a', , 'b'] as never)).toThrow(`${lookup.name}: inputs ${SPARSE} inputs[1]`);
    const hashing = ts.layers.hashing({ numBins: 3 });
    expect(() => hashing.apply(['a', , 'b'] as never)).toThrow(`${hashing.name}: inputs ${SPARSE} inputs[1]`);
    const text = ts.layers.textVectorization({ vocabulary: ['a', 'b'] });
    expect(() => text.apply([['a'], , ['b']] as never)).toThrow(`${text.name}: inputs ${SPARSE} inputs[1]`);
  });

  it('a CallbackList of a list with a hole (its hooks met an undefined callback)', () => {
    class Noop extends ts.callbacks.Callback {}
    const cb = new Noop();
    expect(() => new ts.callbacks.CallbackList([cb, , cb] as never)).toThrow(`CallbackList: callbacks ${SPARSE} callbacks[1]`);
    expect(() => new ts.callbacks.CallbackList(cb as never)).toThrow('CallbackList: expected an array of callbacks, got');
  });

  it('batchToSpaceND crops and spaceToBatchND paddings with a missing pair (read as no crop: a [1, 2, 2, 1] result)', () => {
    expect(() => ts.batchToSpaceND(ts.ones([4, 1, 1, 1]), [2, 2], [[0, 0], ,] as never)).toThrow(`batchToSpaceND: crops ${SPARSE} crops[1]`);
    expect(() => ts.spaceToBatchND(ts.ones([1, 2, 2, 1]), [2, 2], [, [0, 0]] as never)).toThrow(`spaceToBatchND: paddings ${SPARSE} paddings[0]`);
  });

  it("an optimizer's gradients or variables with a hole (a hole was a null gradient: its variable skipped in silence)", () => {
    const v = ts.variable(ts.ones([2]));
    const w = ts.variable(ts.ones([2]));
    const sgd = new ts.optimizers.SGD();
    expect(() => sgd.apply([ts.ones([2]), ,] as never, [v, w])).toThrow(`${sgd.name}.applyGradients: grads ${SPARSE} grads[1]`);
    expect(() => sgd.applyGradients([[ts.ones([2]), v], ,] as never)).toThrow(`${sgd.name}.applyGradients: gradsAndVars ${SPARSE} gradsAndVars[1]`);
    expect(Array.from(w.dataSync())).toEqual([1, 1]);
  });

  it('timeseriesDatasetFromArray data or targets with a hole (the error named tensor)', () => {
    expect(() => ts.data.timeseriesDatasetFromArray([1, , 2, 3] as never, null, { sequenceLength: 2 })).toThrow(
      `data.timeseriesDatasetFromArray: data ${SPARSE} data[1]`,
    );
    expect(() => ts.data.timeseriesDatasetFromArray([1, 2, 3, 4], [0, , 1, 1] as never, { sequenceLength: 2 })).toThrow(
      `data.timeseriesDatasetFromArray: targets ${SPARSE} targets[1]`,
    );
  });

  it("fit's validationData with a hole (read as no targets: 'evaluate: the data has no targets')", async () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(ts.ones([4, 2]), ts.ones([4, 1]), { verbose: 0, validationData: [ts.ones([4, 2]), , ts.ones([4, 1])] as never })).rejects.toThrow(
      `${m.name}.fit: option 'validationData' ${SPARSE} validationData[1]`,
    );
  });
});
