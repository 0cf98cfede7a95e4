// Save then load gives bit-identical predictions, for every layer Tessera has, in both
// formats (TensorFlow.js folder and Keras 3 .keras). Adding a layer is one line.
import * as path from 'node:path';
import { input, layers, loadModel, model, sequential, tensor, type Model, type Tensor } from '../../src';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
let n = 0;

type AnyLayer = InstanceType<typeof layers.Layer>;
const values = (shape: number[], scale = 1) =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => scale * Math.sin(i * 0.9 + 0.4)),
    shape,
  );
const ids = (shape: number[], vocab: number) =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 5 + 1) % vocab),
    shape,
    'int32',
  );

/** A one-layer model over inputs of `shape` (with batch 2), fed `x`. */
const one = (layer: AnyLayer, shape: number[], x?: Tensor) => ({
  make: () => sequential({ layers: [layers.identity({ inputShape: shape }), layer] }),
  x: x ?? values([2, ...shape]),
});
/** A merge layer over two inputs of `shape`. */
const merged = (make: () => AnyLayer, shape = [3]) => ({
  make: () => {
    const a = input({ shape });
    const b = input({ shape });
    return model({ inputs: [a, b], outputs: make().apply([a, b]) as never });
  },
  x: [values([2, ...shape]), values([2, ...shape], -0.5)],
});

// [name, model factory and input]; built fresh (random weights) for each format.
const table: [string, () => { make: () => Model<any>; x: Tensor | Tensor[] }][] = [
  ['dense', () => one(layers.dense({ units: 3, activation: 'relu', kernelRegularizer: 'l2', biasConstraint: 'nonNeg' }), [4])],
  ['activation', () => one(layers.activation({ activation: 'gelu' }), [4])],
  ['dropout', () => one(layers.dropout({ rate: 0.5 }), [4])],
  ['flatten', () => one(layers.flatten(), [2, 3])],
  ['reshape', () => one(layers.reshape({ targetShape: [3, -1] }), [2, 3])],
  ['permute', () => one(layers.permute({ dims: [2, 1] }), [2, 3])],
  ['repeatVector', () => one(layers.repeatVector({ n: 3 }), [4])],
  ['identity', () => one(layers.identity(), [4])],
  ['masking', () => one(layers.masking({ maskValue: 0 }), [3, 2])],
  ['embedding', () => one(layers.embedding({ inputDim: 7, outputDim: 3 }), [4], ids([2, 4], 7))],
  ['reversibleEmbedding', () => one(layers.reversibleEmbedding({ inputDim: 7, outputDim: 3, tieWeights: false, logitSoftCap: 2 }), [4], ids([2, 4], 7))],
  ['add', () => merged(() => layers.add())],
  ['subtract', () => merged(() => layers.subtract())],
  ['multiply', () => merged(() => layers.multiply())],
  ['average', () => merged(() => layers.average())],
  ['maximum', () => merged(() => layers.maximum())],
  ['minimum', () => merged(() => layers.minimum())],
  ['concatenate', () => merged(() => layers.concatenate({ axis: -1 }))],
  ['dot', () => merged(() => layers.dot({ axes: 1, normalize: true }))],
  ['conv1d', () => one(layers.conv1d({ filters: 2, kernelSize: 2, padding: 'causal' }), [5, 3])],
  ['conv2d', () => one(layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), [5, 5, 2])],
  ['conv1dTranspose', () => one(layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), [4, 3])],
  ['conv2dTranspose', () => one(layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }), [3, 3, 2])],
  ['conv3d', () => one(layers.conv3d({ filters: 2, kernelSize: 2, strides: [1, 2, 1], padding: 'same', activation: 'relu' }), [3, 4, 3, 2])],
  ['conv3dTranspose', () => one(layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, outputPadding: [1, 0, 0] }), [2, 2, 2, 2])],
  ['depthwiseConv1d', () => one(layers.depthwiseConv1d({ kernelSize: 2, depthMultiplier: 2 }), [5, 3])],
  ['depthwiseConv2d', () => one(layers.depthwiseConv2d({ kernelSize: 2 }), [4, 4, 2])],
  ['separableConv1d', () => one(layers.separableConv1d({ filters: 3, kernelSize: 2 }), [5, 2])],
  ['separableConv2d', () => one(layers.separableConv2d({ filters: 3, kernelSize: 2 }), [4, 4, 2])],
  ['upSampling1d', () => one(layers.upSampling1d({ size: 2 }), [3, 2])],
  ['upSampling2d', () => one(layers.upSampling2d({ size: [2, 2] }), [2, 2, 1])],
  ['zeroPadding1d', () => one(layers.zeroPadding1d({ padding: 1 }), [3, 2])],
  ['zeroPadding2d', () => one(layers.zeroPadding2d({ padding: 1 }), [2, 2, 1])],
  ['upSampling3d', () => one(layers.upSampling3d({ size: [1, 2, 2] }), [2, 2, 2, 1])],
  ['zeroPadding3d', () => one(layers.zeroPadding3d({ padding: [1, 0, 1] }), [2, 2, 2, 1])],
  ['cropping3d', () => one(layers.cropping3d({ cropping: [1, 0, 1] }), [3, 2, 3, 1])],
  ['cropping1d', () => one(layers.cropping1d({ cropping: [1, 1] }), [4, 2])],
  [
    'cropping2d',
    () =>
      one(
        layers.cropping2d({
          cropping: [
            [1, 0],
            [0, 1],
          ],
        }),
        [3, 3, 1],
      ),
  ],
  ['maxPooling1d', () => one(layers.maxPooling1d({ poolSize: 2 }), [4, 2])],
  ['rescaling', () => one(layers.rescaling({ scale: [1 / 255, 2], offset: -1 }), [3, 3, 2])],
  ['resizing', () => one(layers.resizing({ height: 4, width: 2, cropToAspectRatio: true }), [3, 5, 2])],
  ['centerCrop', () => one(layers.centerCrop({ height: 2, width: 3 }), [4, 4, 1])],
  ['maxPooling2d', () => one(layers.maxPooling2d({ poolSize: 2 }), [4, 4, 1])],
  ['averagePooling1d', () => one(layers.averagePooling1d({ poolSize: 2 }), [4, 2])],
  ['averagePooling2d', () => one(layers.averagePooling2d({ poolSize: 2 }), [4, 4, 1])],
  ['maxPooling3d', () => one(layers.maxPooling3d({ poolSize: 2, padding: 'same' }), [3, 4, 4, 1])],
  ['averagePooling3d', () => one(layers.averagePooling3d({ poolSize: [1, 2, 2] }), [2, 4, 4, 1])],
  ['globalAveragePooling1d', () => one(layers.globalAveragePooling1d(), [4, 2])],
  ['globalAveragePooling2d', () => one(layers.globalAveragePooling2d(), [3, 3, 2])],
  ['globalMaxPooling1d', () => one(layers.globalMaxPooling1d(), [4, 2])],
  ['globalMaxPooling2d', () => one(layers.globalMaxPooling2d(), [3, 3, 2])],
  ['globalAveragePooling3d', () => one(layers.globalAveragePooling3d(), [2, 3, 2, 2])],
  ['globalMaxPooling3d', () => one(layers.globalMaxPooling3d({ keepdims: true }), [2, 3, 2, 2])],
  ['batchNormalization', () => one(layers.batchNormalization({ momentum: 0.9 }), [4])],
  ['layerNormalization', () => one(layers.layerNormalization({}), [4])],
  ['rnn (lstm cell)', () => one(layers.rnn({ cell: layers.lstmCell({ units: 3 }) }), [4, 2])],
  ['rnn (stacked cells)', () => one(layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2 })], returnSequences: true }), [4, 2])],
  [
    'lstm (stateful)',
    () => ({ make: () => sequential({ layers: [layers.lstm({ units: 3, stateful: true, batchInputShape: [2, 4, 2] })] }), x: values([2, 4, 2]) }),
  ],
  ['simpleRNN', () => one(layers.simpleRNN({ units: 3, returnSequences: true }), [4, 2])],
  ['lstm', () => one(layers.lstm({ units: 3 }), [4, 2])],
  ['gru', () => one(layers.gru({ units: 3, goBackwards: true }), [4, 2])],
  ['gru (resetAfter false)', () => one(layers.gru({ units: 3, resetAfter: false }), [4, 2])],
  ['bidirectional', () => one(layers.bidirectional({ layer: layers.lstm({ units: 2 }) }), [4, 2])],
  ['timeDistributed', () => one(layers.timeDistributed({ layer: layers.dense({ units: 2 }) }), [3, 4])],
  ['spatialDropout1d', () => one(layers.spatialDropout1d({ rate: 0.5 }), [3, 2])],
  ['spatialDropout2d', () => one(layers.spatialDropout2d({ rate: 0.5 }), [2, 2, 2])],
  ['spatialDropout3d', () => one(layers.spatialDropout3d({ rate: 0.5 }), [2, 2, 2, 2])],
  ['gaussianNoise', () => one(layers.gaussianNoise({ stddev: 0.1 }), [4])],
  ['gaussianDropout', () => one(layers.gaussianDropout({ rate: 0.1 }), [4])],
  ['alphaDropout', () => one(layers.alphaDropout({ rate: 0.1 }), [4])],
  ['reLU', () => one(layers.reLU({ maxValue: 0.5 }), [4])],
  ['leakyReLU', () => one(layers.leakyReLU({ negativeSlope: 0.1 }), [4])],
  ['elu', () => one(layers.elu({ alpha: 0.5 }), [4])],
  ['softmax', () => one(layers.softmax({}), [4])],
  ['prelu', () => one(layers.prelu({}), [4])],
  ['dropConnect', () => one(layers.dropConnect({ layer: layers.dense({ units: 3 }), rate: 0.4, seed: 2 }), [4])],
  ['randomFlip', () => one(layers.randomFlip({ mode: 'horizontal', seed: 3 }), [4, 4, 1])],
  ['randomRotation', () => one(layers.randomRotation({ factor: [-0.1, 0.2], fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest' }), [4, 4, 1])],
  ['randomZoom', () => one(layers.randomZoom({ heightFactor: 0.2, widthFactor: [-0.1, 0.3] }), [4, 4, 1])],
  ['randomTranslation', () => one(layers.randomTranslation({ heightFactor: 0.1, widthFactor: [0, 0.2], fillMode: 'wrap' }), [4, 4, 1])],
  ['randomCrop', () => one(layers.randomCrop({ height: 3, width: 2, seed: 1 }), [4, 4, 1])],
  ['randomShear', () => one(layers.randomShear({ xFactor: 0.2, yFactor: [0.1, 0.3], fillMode: 'wrap', seed: 1 }), [4, 4, 1])],
  ['randomPerspective', () => one(layers.randomPerspective({ factor: 0.5, scale: 0.4, interpolation: 'nearest', fillValue: 0.5 }), [4, 4, 1])],
  ['randomElasticTransform', () => one(layers.randomElasticTransform({ scale: [0.2, 0.6], fillMode: 'mirror', valueRange: [-1, 1] }), [4, 4, 1])],
  ['randomContrast', () => one(layers.randomContrast({ factor: 0.3, valueRange: [-1, 1] }), [4, 4, 1])],
  ['randomBrightness', () => one(layers.randomBrightness({ factor: [-0.2, 0.1], valueRange: [-1, 1] }), [4, 4, 1])],
  ['solarization', () => one(layers.solarization({ additionFactor: [0, 0.2], thresholdFactor: 0.5, valueRange: [-1, 1] }), [4, 4, 3])],
  ['randomPosterization', () => one(layers.randomPosterization({ factor: [2, 6], seed: 1 }), [4, 4, 3])],
  ['randomGaussianBlur', () => one(layers.randomGaussianBlur({ kernelSize: [3, 5], sigma: [0.5, 2], valueRange: [-1, 1] }), [4, 4, 3])],
  ['randomErasing', () => one(layers.randomErasing({ scale: 0.3, fillValue: [0, 0.5, 1], valueRange: [0, 1] }), [4, 4, 3])],
  ['randomColorJitter', () => one(layers.randomColorJitter({ brightnessFactor: 0.1, hueFactor: [0.1, 0.3], valueRange: [0, 1], seed: 2 }), [4, 4, 3])],
  ['autoContrast', () => one(layers.autoContrast({ valueRange: [-1, 1] }), [4, 4, 3])],
  ['equalization', () => one(layers.equalization({ bins: 32, valueRange: [-1, 1] }), [4, 4, 3])],
  [
    'contrastLimitedAdaptiveHistogramEqualization',
    () => one(layers.contrastLimitedAdaptiveHistogramEqualization({ clipLimit: 2, tileGridSize: [2, 3], valueRange: [-1, 1] }), [4, 4, 3]),
  ],
  ['mixUp', () => one(layers.mixUp({ alpha: 0.4, seed: 2 }), [4, 4, 1])],
  ['cutMix', () => one(layers.cutMix({ factor: [0.2, 0.9] }), [4, 4, 1])],
  ['randAugment', () => one(layers.randAugment({ numOps: 3, factor: [0.1, 0.6], valueRange: [0, 1], interpolation: 'nearest', seed: 2 }), [4, 4, 3])],
  ['augMix', () => one(layers.augMix({ numChains: 2, chainDepth: 4, factor: 0.4, alpha: 0.5, allOps: false, valueRange: [0, 1], seed: 2 }), [4, 4, 3])],
];

describe.each(['TensorFlow.js folder', '.keras'])('%s', (format) => {
  test.each(table)('%s', async (_name, spec) => {
    const { make, x } = spec();
    const m = make();
    const before = m.apply(x) as Tensor;
    const where = path.join(dir, `r${n++}${format === '.keras' ? '.keras' : ''}`);
    await m.save(where);
    const loaded = await loadModel(where);
    expect(loaded.getConfig()).toEqual(m.getConfig());
    expectSameBits(before, loaded.apply(x) as Tensor);
  });
});
