// Layers that hand their input's mask on as Keras 3 does (supports_masking with the default
// compute_mask): an Embedding(maskZero)'s mask reaches an LSTM through them eagerly, so the
// chain equals the LSTM given the mask explicitly, and differs from it unmasked.
import { layers, setSeed, tensor, type Tensor } from '../../src';
import { expectClose } from '../helpers/reference';

const tokens = () =>
  tensor(
    [
      [3, 1, 4, 0, 0],
      [2, 0, 5, 6, 0],
    ],
    [2, 5],
    'int32',
  );
const explicitMask = () =>
  tensor(
    [
      [true, true, true, false, false],
      [true, false, true, true, false],
    ],
    [2, 5],
    'bool',
  );

describe('mask passing, eagerly', () => {
  beforeEach(() => setSeed(11));

  test("normalization hands an Embedding's mask on to an LSTM", () => {
    const embed = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const norm = layers.normalization({ mean: [0.1, -0.2, 0.3, 0], variance: [2, 0.5, 1, 4] });
    const lstm = layers.lstm({ units: 3 });
    const normalized = norm.apply(embed.apply(tokens())) as Tensor;
    const chained = lstm.apply(normalized) as Tensor;
    const masked = lstm.apply(norm.apply(embed.apply(tokens())), { mask: explicitMask() }) as Tensor;
    expectClose(chained.dataSync(), masked.dataSync(), 0, 1e-6);
    // The mask matters: the same steps unmasked give other values.
    const plain = layers.embedding({ inputDim: 10, outputDim: 4 });
    plain.apply(tokens());
    plain.setWeights(embed.getWeights());
    const unmasked = lstm.apply(norm.apply(plain.apply(tokens()))) as Tensor;
    expect(Math.max(...Array.from(unmasked.dataSync(), (v, i) => Math.abs(v - chained.dataSync()[i])))).toBeGreaterThan(1e-3);
  });

  test("timeDistributed(dense) hands an Embedding's mask on to an LSTM", () => {
    const embed = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const td = layers.timeDistributed({ layer: layers.dense({ units: 5, activation: 'tanh' }) });
    const lstm = layers.lstm({ units: 3 });
    const chained = lstm.apply(td.apply(embed.apply(tokens()))) as Tensor;
    const masked = lstm.apply(td.apply(embed.apply(tokens())), { mask: explicitMask() }) as Tensor;
    expectClose(chained.dataSync(), masked.dataSync(), 0, 1e-6);
  });

  test('timeDistributed refuses a mask that does not match the batch and time axes, as Keras 3', () => {
    const td = layers.timeDistributed({ layer: layers.dense({ units: 2 }) });
    const x = tensor(new Array(2 * 5 * 3).fill(1), [2, 5, 3]);
    expect(() => td.apply(x, { mask: tensor([true, false], [2], 'bool') })).toThrow(/must be at least 2D.*got shape \[2\]/);
    expect(() => td.apply(x, { mask: tensor(new Array(8).fill(true), [2, 4], 'bool') })).toThrow(/must match the input's \[2, 5\], got mask shape \[2, 4\]/);
  });

  test('timeDistributed gives no mask to an inner layer that takes none (no dropped-mask warning)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const td = layers.timeDistributed({ layer: layers.conv1d({ filters: 2, kernelSize: 2 }) });
      const y = td.apply(tensor(new Array(2 * 5 * 3 * 2).fill(1), [2, 5, 3, 2]), { mask: explicitMask() }) as Tensor;
      expect(y.shape).toEqual([2, 5, 2, 2]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
