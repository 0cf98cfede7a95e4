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
});
