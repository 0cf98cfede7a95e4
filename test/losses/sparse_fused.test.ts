// SparseCategoricalCrossentropy from logits with int32 labels runs the fused kernels
// (softmax_cross_entropy_sparse and its backward) instead of the one-hot composite: the
// same values and gradients, the same errors, and the composite where the fused pair
// cannot serve (float labels, ignoreClass, probabilities).
import { cast, floor, grad, layers, losses, randomUniform, sequential, setSeed, sum, tensor, tidy, tile, type Tensor } from '../../src';
import * as fused from '../../src/ops/losses_fused';
import { Tensor as TensorClass } from '../../src/tensor/tensor';
import { gradcheck } from '../helpers/gradcheck';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, randomTensor } from '../helpers/reference';

const fromLogits = () => new losses.SparseCategoricalCrossentropy({ fromLogits: true });

// The reference: the composite of one-hot labels, log-softmax, product and sums.
function composite(labels: number[], logits: Tensor, sampleWeight?: Tensor): Tensor {
  const k = logits.shape[logits.rank - 1];
  const oneHot = tensor(
    labels.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))),
    logits.shape,
    logits.dtype,
  );
  return new losses.CategoricalCrossentropy({ fromLogits: true }).apply(oneHot, logits, sampleWeight);
}

describe('SparseCategoricalCrossentropy from logits, fused', () => {
  afterEach(() => jest.restoreAllMocks());

  for (const [dtype, rtol] of [
    ['float32', 1e-5],
    ['float64', 1e-12],
  ] as const) {
    it(`equals the composite in value and gradient (${dtype}; labels [n], [n, 1] and [b, t])`, () => {
      const spy = jest.spyOn(fused, 'sparseSoftmaxCrossEntropyWithLogits');
      const cases: [number[], number[], number[]][] = [
        [[6, 5], [0, 4, 2, 2, 1, 3], [6]],
        [
          [6, 5],
          [4, 0, 1, 3, 2, 2],
          [6, 1],
        ],
        [
          [2, 3, 4],
          [0, 3, 1, 2, 2, 0],
          [2, 3],
        ],
      ];
      for (const [shape, labels, labelShape] of cases) {
        tidy(() => {
          const logits = randomTensor(shape, 3, dtype, -4, 4);
          const y = tensor(labels, labelShape, 'int32');
          const got = grad((z) => fromLogits().apply(y, z))(logits);
          const want = grad((z) => composite(labels, z))(logits);
          expectClose(got.dataSync(), want.dataSync(), rtol, rtol);
          expectClose(fromLogits().apply(y, logits).dataSync(), composite(labels, logits).dataSync(), rtol, rtol);
        });
      }
      expect(spy).toHaveBeenCalledTimes(cases.length * 2);
    });
  }

  it('weights samples as the composite does, for every reduction', () => {
    tidy(() => {
      const logits = randomTensor([5, 4], 9, 'float64', -3, 3);
      const labels = [3, 0, 1, 1, 2];
      const w = tensor([0.5, 2, 0, 1, 3], [5], 'float64');
      for (const reduction of ['sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'] as const) {
        const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true, reduction });
        const ref = new losses.CategoricalCrossentropy({ fromLogits: true, reduction });
        const oneHot = tensor(
          labels.flatMap((c) => [0, 1, 2, 3].map((j) => (j === c ? 1 : 0))),
          [5, 4],
          'float64',
        );
        // 'none' gives per-sample losses: their sum is the scalar differentiated.
        const got = grad((z) => sum(loss.apply(tensor(labels, [5], 'int32'), z, w)))(logits);
        const want = grad((z) => sum(ref.apply(oneHot, z, w)))(logits);
        expectClose(loss.apply(tensor(labels, [5], 'int32'), logits, w).dataSync(), ref.apply(oneHot, logits, w).dataSync(), 1e-12, 1e-12);
        expectClose(got.dataSync(), want.dataSync(), 1e-12, 1e-12);
      }
    });
  });

  it('passes finite differences', () => {
    const y = tensor([2, 0, 1], [3], 'int32');
    gradcheck((z) => fromLogits().apply(y, z), [randomTensor([3, 4], 5, 'float64', -2, 2)]);
  });

  it('keeps the composite for float labels, ignoreClass and probabilities', () => {
    const spy = jest.spyOn(fused, 'sparseSoftmaxCrossEntropyWithLogits');
    tidy(() => {
      const logits = randomTensor([4, 3], 2);
      const labels = [2, 0, 1, 1];
      const asFloat = fromLogits().apply(tensor(labels, [4], 'float32'), logits);
      expectClose(asFloat.dataSync(), composite(labels, logits).dataSync(), 1e-5, 1e-6);
      new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 1 }).apply(tensor(labels, [4], 'int32'), logits);
      new losses.SparseCategoricalCrossentropy().apply(tensor(labels, [4], 'int32'), tile(tensor([0.2, 0.3, 0.5], [1, 3]), [4, 1]));
    });
    expect(spy).not.toHaveBeenCalled();
  });

  // The kernel range-checks the labels; the loss reads them back only to name a bad one.
  it('reads no labels back on the fused path', () => {
    tidy(() => {
      const logits = randomTensor([5, 4], 3);
      const labels = tensor([0, 3, 1, 2, 2], [5], 'int32');
      const reads = jest.spyOn(TensorClass.prototype, 'dataSync');
      try {
        fromLogits().apply(labels, logits);
        fromLogits().apply(tensor([0, 3, 1, 2, 2], [5, 1], 'int32'), logits);
        expect(reads).not.toHaveBeenCalled();
      } finally {
        reads.mockRestore();
      }
    });
  });

  it('names bad labels as the composite did', () => {
    tidy(() => {
      const logits = randomTensor([3, 4], 1);
      expect(() => fromLogits().apply(tensor([0, 4, 1], [3], 'int32'), logits)).toThrow(
        /sparse_categorical_crossentropy|sparseCategoricalCrossentropy: label 4 at index 1 is not a class index in \[0, 4\)/,
      );
      expect(() => fromLogits().apply(tensor([0, -1, 1], [3], 'int32'), logits)).toThrow(/label -1 at index 1 is not a class index in \[0, 4\)/);
      expect(() => fromLogits().apply(tensor([0, 1], [2], 'int32'), logits)).toThrow(
        /yTrue of shape \[2\] does not match yPred of shape \[3, 4\]; expected integer labels of shape \[3\]/,
      );
    });
  });

  it('leaks nothing', () => {
    const logits = randomTensor([4, 3], 2);
    const y = tensor([2, 0, 1, 1], [4], 'int32');
    expectNoLeaks(() => tidy(() => void grad((z) => fromLogits().apply(y, z))(logits)));
    logits.dispose();
    y.dispose();
  });

  it('trains an MLP to the weights the composite gives (int32 against float labels)', async () => {
    const train = async (labelDType: 'int32' | 'float32') => {
      setSeed(7);
      const model = sequential({ layers: [layers.dense({ units: 16, activation: 'relu', inputShape: [12] }), layers.dense({ units: 5 })] });
      model.compile({ optimizer: 'adam', loss: fromLogits() });
      const x = randomUniform([96, 12]);
      const y = cast(floor(randomUniform([96], 0, 5)), labelDType);
      const history = await model.fit(x, y, { batchSize: 32, epochs: 3, verbose: 0, shuffle: false });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      [x, y].forEach((t) => t.dispose());
      model.dispose();
      return { loss: history.history.loss as number[], weights };
    };
    const spy = jest.spyOn(fused, 'sparseSoftmaxCrossEntropyWithLogits');
    const viaFused = await train('int32');
    expect(spy).toHaveBeenCalled();
    spy.mockClear();
    const viaComposite = await train('float32');
    expect(spy).not.toHaveBeenCalled();
    expectClose(viaFused.loss, viaComposite.loss, 1e-5, 1e-6);
    viaFused.weights.forEach((w, i) => expectClose(w, viaComposite.weights[i], 1e-4, 1e-5));
  });
});
