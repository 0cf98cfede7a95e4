// spectralNormalization: against Keras 3's SpectralNormalization written out in PyTorch (u set
// explicitly; two training calls then inference; dense and conv2d), the gradient reaching the
// kernel, an all-zero kernel, embeddings, training in a model, config and .keras round trips.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { input, layers, loadModel, model, sequential, sum, tensor, variableGrads, zeros, type SymbolicTensor, type Tensor } from '../../src';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

type Wrapped = { kernel: Tensor & { assign(t: Tensor): void }; bias: Tensor & { assign(t: Tensor): void } };

function runCase(c: FixtureCase): void {
  const a = c.attrs;
  const inner =
    a.layer === 'dense'
      ? layers.dense({ units: a.units as number, dtype: 'float64' })
      : layers.conv2d({ filters: a.units as number, kernelSize: a.kernelSize as number[], dtype: 'float64' });
  const sn = layers.spectralNormalization({ layer: inner, powerIterations: a.powerIterations as number, dtype: 'float64' });
  const x = fromFixture(c.inputs.x);
  sn.apply(x);
  const w = inner as unknown as Wrapped;
  w.kernel.assign(fromFixture(c.inputs.kernel));
  w.bias.assign(fromFixture(c.inputs.bias));
  sn.vectorU!.assign(fromFixture(c.inputs.u));
  const o = c.outputs;
  for (const step of ['1', '2']) {
    const y = sn.apply(x, { training: true }) as Tensor;
    expectTensor(y, o[`y${step}`].shape, o[`y${step}`].data, 1e-6, 1e-7);
    expectTensor(sn.vectorU!, o[`u${step}`].shape, o[`u${step}`].data, 1e-6, 1e-7);
    expectTensor(w.kernel, o[`kernel${step}`].shape, o[`kernel${step}`].data, 1e-6, 1e-7);
  }
  // Inference runs on the stored kernel and changes nothing.
  expectTensor(sn.apply(x) as Tensor, o.inference.shape, o.inference.data, 1e-6, 1e-7);
  expectTensor(w.kernel, o.kernel2.shape, o.kernel2.data, 1e-6, 1e-7);
  expectTensor(sn.vectorU!, o.u2.shape, o.u2.data, 1e-6, 1e-7);
}

describe('spectralNormalization against a PyTorch reference (Keras 3 SpectralNormalization)', () => {
  it.each(loadFixture('spectral_normalization', 'layers').map((c) => [c.name, c] as const))('%s', (_, c) => runCase(c));
});

describe('spectralNormalization', () => {
  it('adds a non-trainable vector_u [1, units] and leaves the kernel to train', () => {
    const sn = layers.spectralNormalization({ layer: layers.dense({ units: 3 }) });
    expect((sn.apply(randomTensor([2, 4])) as Tensor).shape).toEqual([2, 3]);
    expect(sn.vectorU!.shape).toEqual([1, 3]);
    expect(sn.vectorU!.trainable).toBe(false);
    expect(sn.nonTrainableWeights).toEqual([sn.vectorU]);
    expect(sn.trainableWeights.map((v) => v.shape)).toEqual([[4, 3], [3]]);
  });

  it('the gradient reaches the kernel as if unwrapped (the normalization is an assignment)', () => {
    const inner = layers.dense({ units: 2, useBias: false, dtype: 'float64' });
    const sn = layers.spectralNormalization({ layer: inner, dtype: 'float64' });
    const x = tensor(
      [
        [1, 2, 3],
        [-1, 0, 2],
      ],
      [2, 3],
      'float64',
    );
    sn.apply(x);
    const kernel = inner.kernel!;
    const { value, grads } = variableGrads(() => sum(sn.apply(x, { training: true }) as Tensor), [kernel]);
    value.dispose();
    // d sum(x W) / dW = xᵀ 1.
    expectClose(grads[kernel.name].dataSync(), [0, 0, 2, 2, 5, 5]);
  });

  it('keeps an all-zero kernel (and u) as they are', () => {
    const inner = layers.dense({ units: 2, kernelInitializer: 'zeros' });
    const sn = layers.spectralNormalization({ layer: inner });
    sn.apply(randomTensor([1, 3]));
    const u = Array.from(sn.vectorU!.dataSync());
    sn.apply(randomTensor([1, 3]), { training: true });
    expect(Array.from(inner.kernel!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(sn.vectorU!.dataSync())).toEqual(u);
  });

  it('normalizes embeddings and keeps integer ids working', () => {
    const embed = layers.embedding({ inputDim: 5, outputDim: 3 });
    const sn = layers.spectralNormalization({ layer: embed, powerIterations: 2 });
    const y = sn.apply(tensor([[1, 2]], [1, 2], 'int32'), { training: true }) as Tensor;
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([1, 2, 3]);
    expect(sn.vectorU!.shape).toEqual([1, 3]);
  });

  it('trains in a model, round-trips its config and saves to .keras with vector_u', async () => {
    const m = sequential({ layers: [layers.spectralNormalization({ layer: layers.dense({ units: 2 }), inputShape: [3] }), layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await m.fit(randomTensor([8, 3], 1), randomTensor([8, 1], 2), { epochs: 1, batchSize: 4, verbose: 0 });
    expect(Number.isFinite(history.history.loss[0] as number)).toBe(true);
    const sn = m.layers[0] as InstanceType<typeof layers.SpectralNormalization>;
    expect(sn.getConfig()).toMatchObject({ powerIterations: 1, layer: { className: 'Dense' } });
    expectConfigRoundTrip(layers.spectralNormalization({ layer: layers.conv2d({ filters: 2, kernelSize: 3 }), power_iterations: 4 } as never));
    expect(layers.serializeLayer(sn).className).toBe('SpectralNormalization');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-'));
    try {
      const x = input({ shape: [3] });
      const f = model({ inputs: x, outputs: layers.spectralNormalization({ layer: layers.dense({ units: 2 }), name: 'sn' }).apply(x) as SymbolicTensor });
      const file = path.join(dir, 'sn.keras');
      await f.save(file);
      const loaded = await loadModel(file);
      const u = (l: unknown) => Array.from((l as { vectorU: Tensor }).vectorU.dataSync());
      expect(u(loaded.getLayer('sn'))).toEqual(u(f.getLayer('sn')));
      const q = randomTensor([2, 3], 5);
      expect(Array.from((loaded.predict(q) as Tensor).dataSync())).toEqual(Array.from((f.predict(q) as Tensor).dataSync()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with its arguments', () => {
    expect(() => layers.spectralNormalization({ layer: layers.dense({ units: 2 }), powerIterations: 0 })).toThrow(/powerIterations/);
    expect(() => layers.spectralNormalization({ layer: 'dense' as never })).toThrow(/expected layer to be a Layer/);
    const noKernel = layers.spectralNormalization({ layer: layers.flatten({ name: 'flat' }) });
    expect(() => noKernel.apply(zeros([1, 2]))).toThrow(/wrapped layer flat to have a kernel or embeddings weight, it has neither/);
    const dense = layers.dense({ units: 2, name: 'd' });
    expect(() => (layers.spectralNormalization as unknown as (...a: unknown[]) => unknown)(dense)).toThrow(/\{ layer: <d>/);
  });
});
