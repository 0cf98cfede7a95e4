// layers.rescaling, resizing and centerCrop: Keras 3's values and shapes, integer inputs,
// gradients, symbolic shapes, configs, and bad options.
import { grads, input, layers, model, range, reshape, sum, tensor, type Tensor } from '../../src';
import { image } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';
import { mul } from '../../src';

const grid = (h: number, w: number, c = 1): Tensor => reshape(range(0, h * w * c), [1, h, w, c]);

describe('rescaling', () => {
  it('x * scale + offset, per channel too, integer pixels cast to float', () => {
    const y = layers.rescaling({ scale: 1 / 127.5, offset: -1 }).apply(tensor([0, 255, 127.5], [1, 3])) as Tensor;
    expectClose(y.dataSync(), [-1, 1, 0]);
    const pixels = tensor([0, 255, 51, 102], [1, 1, 2, 2], 'int32');
    const z = layers.rescaling({ scale: [1 / 255, 1 / 51], offset: [0, 1] }).apply(pixels) as Tensor;
    expect(z.dtype).toBe('float32');
    expectClose(z.dataSync(), [0, 6, 0.2, 3]);
    expectConfigRoundTrip(layers.rescaling({ scale: [1, 2], offset: 0.5 }));
    expectFlatMemory(layers.rescaling({ scale: 2 }), tensor([1, 2], [1, 2]));
  });

  it("passes an embedding's padding mask on to an LSTM, as Keras's Rescaling does", () => {
    const embedding = layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true });
    const rescale = layers.rescaling({ scale: 0.5 });
    const lstm = layers.lstm({ units: 2 });
    const padded = lstm.apply(rescale.apply(embedding.apply(tensor([[3, 1, 4, 0, 0]], [1, 5], 'int32')))) as Tensor;
    const unpadded = lstm.apply(rescale.apply(embedding.apply(tensor([[3, 1, 4]], [1, 3], 'int32')))) as Tensor;
    expectClose(padded.dataSync(), unpadded.dataSync(), 1e-6, 1e-7);
    // In a functional model too: the mask comes through the layer.
    const ids = input({ shape: [5], dtype: 'int32' });
    const m = model({ inputs: ids, outputs: lstm.apply(rescale.apply(embedding.apply(ids))) });
    expectClose((m.predict(tensor([[3, 1, 4, 0, 0]], [1, 5], 'int32')) as Tensor).dataSync(), unpadded.dataSync(), 1e-6, 1e-7);
  });

  it('rejects a missing or bad scale', () => {
    expect(() => layers.rescaling({} as never)).toThrow(
      /rescaling.*: expected scale to be a finite number or an array of them \(one per channel\), got undefined/,
    );
    expect(() => layers.rescaling({ scale: 1, offset: 'x' as never })).toThrow(/expected offset to be a finite number/);
  });
});

describe('resizing', () => {
  it('bilinear with half-pixel centres (tf.image.resize), batches and single images', () => {
    const x = grid(4, 4);
    const y = layers.resizing({ height: 2, width: 2 }).apply(x) as Tensor;
    expect(y.shape).toEqual([1, 2, 2, 1]);
    // 4 -> 2 with half-pixel centres samples 0.5 and 2.5: the means of 2x2 blocks.
    expectClose(y.dataSync(), [2.5, 4.5, 10.5, 12.5]);
    expect((layers.resizing({ height: 3, width: 5 }).apply(reshape(x, [4, 4, 1])) as Tensor).shape).toEqual([3, 5, 1]);
    const nearest = layers.resizing({ height: 8, width: 8, interpolation: 'nearest' }).apply(x) as Tensor;
    expect(nearest.dataSync()[0]).toBe(0);
    expect(nearest.dataSync()[2]).toBe(1);
  });

  it("cropToAspectRatio crops Keras's smart_resize window first", () => {
    // [2, 6] to [2, 2]: the centred 2x2 window, columns 2 and 3, resized to itself.
    const x = grid(2, 6);
    const y = layers.resizing({ height: 2, width: 2, cropToAspectRatio: true }).apply(x) as Tensor;
    expect(Array.from(y.dataSync())).toEqual([2, 3, 8, 9]);
    const same = image.resizeBilinear(x, [2, 2], { halfPixelCenters: true });
    expect(Array.from(same.dataSync())).not.toEqual([2, 3, 8, 9]);
  });

  it('is differentiable and gives symbolic shapes', () => {
    const x = tensor(
      Array.from({ length: 18 }, (_, i) => i / 7),
      [1, 3, 3, 2],
      'float64',
    );
    const layer = layers.resizing({ height: 5, width: 4, dtype: 'float64' });
    const [g] = grads((t: Tensor) => sum(layer.apply(t) as Tensor))([x]);
    expect(sum(g).dataSync()[0]).toBeCloseTo(5 * 4 * 2, 10); // bilinear weights sum to 1 per output
    const inp = input({ shape: [null, null, 3] as never });
    const m = model({ inputs: inp, outputs: layers.resizing({ height: 7, width: 9 }).apply(inp) as never });
    expect(m.outputs[0].shape).toEqual([null, 7, 9, 3]);
    expectConfigRoundTrip(layers.resizing({ height: 2, width: 3, interpolation: 'nearest', cropToAspectRatio: true }));
  });

  it("takes keras.ops.image.resize's interpolations, antialias and padding to the aspect ratio (Keras 3's Resizing)", () => {
    const x = mul(randomTensor([2, 9, 6, 3], 4, 'float32', 0, 1), 255);
    const cases = [
      { interpolation: 'bicubic' as const },
      { interpolation: 'lanczos3' as const, antialias: true },
      { interpolation: 'area' as const },
      { interpolation: 'bilinear' as const, padToAspectRatio: true, fillValue: 7 },
      { interpolation: 'bilinear' as const, antialias: true, cropToAspectRatio: true },
    ];
    for (const c of cases) {
      const layer = layers.resizing({ height: 4, width: 5, ...c });
      const want = image.resize(x, [4, 5], c);
      expect(Array.from((layer.apply(x) as Tensor).dataSync())).toEqual(Array.from(want.dataSync()));
      expectConfigRoundTrip(layer);
    }
  });

  it('rejects what it does not do', () => {
    expect(() => layers.resizing({ height: 2 } as never)).toThrow(/expected width to be an integer >= 1, got undefined/);
    expect(() => layers.resizing({ height: 2, width: 2, interpolation: 'cubic' as never })).toThrow(
      /expected interpolation one of 'bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5', 'area', got 'cubic'/,
    );
    expect(() => layers.resizing({ height: 2, width: 2, padToAspectRatio: true, cropToAspectRatio: true })).toThrow(
      /give only one of cropToAspectRatio and padToAspectRatio/,
    );
    expect(() => layers.resizing({ height: 2, width: 2, fillMode: 'reflect' as never })).toThrow(/expected fillMode 'constant'/);
    expect(() => layers.resizing({ height: 2, width: 2, dataFormat: 'NCHW' as 'channelsFirst' })).toThrow(
      /expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCHW'/,
    );
    expect(() => layers.resizing({ height: 2, width: 2 }).apply(tensor([1, 2], [1, 2]))).toThrow(/resizing/);
  });
});

describe('centerCrop', () => {
  it('takes the central window (floor of half the difference), resizes images smaller than it', () => {
    const x = grid(5, 4);
    const y = layers.centerCrop({ height: 2, width: 2 }).apply(x) as Tensor;
    // rows start at floor(3 / 2) = 1, columns at 1.
    expect(Array.from(y.dataSync())).toEqual([5, 6, 9, 10]);
    const up = layers.centerCrop({ height: 6, width: 6 }).apply(x) as Tensor;
    expect(up.shape).toEqual([1, 6, 6, 1]);
    // smaller than the target: smart_resize crops [5, 4] to the centred 4x4 then resizes.
    const ref = image.resizeBilinear(tensor(Array.from(grid(5, 4).dataSync()).slice(0, 16), [1, 4, 4, 1]), [6, 6], { halfPixelCenters: true });
    expectClose(up.dataSync(), ref.dataSync());
    expectConfigRoundTrip(layers.centerCrop({ height: 3, width: 1 }));
    expect(() => layers.centerCrop({ height: 0, width: 1 })).toThrow(/expected height to be an integer >= 1, got 0/);
  });
});
