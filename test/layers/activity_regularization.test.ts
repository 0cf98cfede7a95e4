// activityRegularization: the identity whose input's l1/l2 penalty (over the batch size, as
// Keras 3) joins the losses; in a model's training loss; config as Keras writes it; errors.
import { layers, sequential, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose } from '../helpers/reference';

describe('activityRegularization', () => {
  it('returns its input and adds (l1 sum|x| + l2 sum x^2) / batch to its losses', () => {
    const layer = layers.activityRegularization({ l1: 0.5, l2: 0.25 });
    const x = tensor([
      [1, -2],
      [3, 0],
    ]);
    const y = layer.apply(x) as Tensor;
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 0]);
    // (0.5 * 6 + 0.25 * 14) / 2
    expectClose(
      layer.losses.map((l) => l.dataSync()[0]),
      [3.25],
    );
    expect(layers.activityRegularization().losses).toEqual([]);
  });

  it("adds its penalty to a model's training loss", async () => {
    const build = (penalty: boolean) => {
      const m = sequential({
        layers: [
          layers.dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'ones', inputShape: [2] }),
          ...(penalty ? [layers.activityRegularization({ l2: 0.1 })] : []),
        ],
      });
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      return m;
    };
    const x = tensor([
      [1, 2],
      [0, 1],
    ]);
    const yTrue = tensor([
      [0, 0],
      [0, 0],
    ]);
    const plain = (await build(false).evaluate(x, yTrue, { verbose: 0 })) as unknown as number;
    const penalized = (await build(true).evaluate(x, yTrue, { verbose: 0 })) as unknown as number;
    // Outputs [[4, 4], [2, 2]]: 0.1 * (32 + 8) / 2 more.
    expectClose([penalized - plain], [2], 1e-5, 1e-5);
  });

  it("has Keras's config (l1, l2; no activityRegularizer) and round-trips", () => {
    const layer = layers.activityRegularization({ l1: 0.01, name: 'reg' });
    const config = layer.getConfig();
    expect(config).toMatchObject({ name: 'reg', l1: 0.01, l2: 0 });
    expect(config).not.toHaveProperty('activityRegularizer');
    expectConfigRoundTrip(layer);
    expect(layers.serializeLayer(layer).className).toBe('ActivityRegularization');
  });

  it('says what is wrong with its options', () => {
    expect(() => layers.activityRegularization({ l1: -1 })).toThrow(/ActivityRegularization: expected l1 to be a non-negative number, got -1/);
    expect(() => layers.activityRegularization({ l2: 'big' as never })).toThrow(/expected l2 to be a non-negative number/);
    expect(() => layers.activityRegularization({ activityRegularizer: 'l2' } as never)).toThrow(/activityRegularizer/);
    expect(() => (layers.activityRegularization as unknown as (...a: unknown[]) => unknown)(0.01)).toThrow(/\{ l1: 0.01/);
  });
});
