// Valid calls of the namespaces' functions and classes (ts.layers, ts.data, ts.metrics,
// ...) that the bad-input sweep mutates, and of the methods users call on what they make
// (key 'ns.fn#method': the function's valid call, then the method with hostile arguments).
// A namespace function without an entry here is swept from a generic call (see plan.ts).
import { join } from 'node:path';
import { F, T, TensorArg, arg, type Arg } from './args';
import type { Baseline } from './op_baselines';

const b = (...args: unknown[]): Baseline => ({ args: args.map(arg) });
/** `new cls(...args)` or `fn(...args)`, then `.method(...methodArgs)`. */
const then = (args: unknown[], method: string, ...methodArgs: unknown[]): Baseline => ({ args: args.map(arg), method, methodArgs: methodArgs.map(arg) });
const variable = (shape: number[]): Arg => new TensorArg(shape, 'float32', 'variable');
const rows = T([4, 3]);
const dataset = F('fromTensors(T[2,3])', (ts) => ts.data.fromTensors(ts.ones([2, 3])));
// The committed WAV class folders, absolute: the sweep runs in a temporary folder.
const AUDIO_CLASSES = join(__dirname, '..', 'fixtures', 'audio', 'classes');
const identity = F('x => x', () => (x: unknown) => x);
// All ones, so invertible and positive definite only as 1 x 1 matrices (a batch of two).
const one11 = T([2, 1, 1]);
const pairs = () => [[T([3]), variable([3])]];

// A Dataset method: fromTensors(T[4,3]).method(...args), its first element read.
const datasetMethod = (method: string, ...methodArgs: unknown[]) => then([rows], method, ...methodArgs);

// A layer applied: factory(options).apply(input, callOptions?).
const applied = (options: object, ...input: unknown[]) => then([options], 'apply', ...input);

// A metric updated: new Metric(options).updateState(yTrue, yPred).
const updated = (options: unknown[], ...batch: unknown[]) => then(options, 'updateState', ...batch);

export const NAMESPACE_BASELINES: Record<string, Baseline> = {
  // data
  'data.fromTensors': b(rows),
  'data.fromTensors#batch': datasetMethod('batch', 2, { dropRemainder: false }),
  'data.fromTensors#shuffle': datasetMethod('shuffle', 4, 1, true),
  'data.fromTensors#take': datasetMethod('take', 2),
  'data.fromTensors#skip': datasetMethod('skip', 1),
  'data.fromTensors#repeat': datasetMethod('repeat', 2),
  'data.fromTensors#shard': datasetMethod('shard', 2, 0),
  'data.fromTensors#prefetch': datasetMethod('prefetch', 2),
  'data.fromTensors#map': datasetMethod('map', identity),
  'data.fromTensors#filter': datasetMethod(
    'filter',
    F('() => true', () => () => true),
  ),
  'data.fromTensors#concatenate': datasetMethod('concatenate', dataset),
  'data.fromTensors#forEachAsync': datasetMethod(
    'forEachAsync',
    F('x => dispose(x)', (ts) => (x: unknown) => ts.dispose(x as never)),
  ),
  'data.fromArrays': b([1, 2, 3]),
  'data.fromArrays#batch': then([[1, 2, 3]], 'batch', 2, { smallLastBatch: true }),
  'data.fromGenerator': b(
    F(
      'function* () { yield 1 }',
      () =>
        function* () {
          yield 1;
        },
    ),
  ),
  'data.zip': b([dataset, dataset]),
  'data.parseIdx': b(F('IDX bytes', () => new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 6]))),
  'data.timeseriesDatasetFromArray': b(T([10, 2]), null, { sequenceLength: 3, batchSize: 2 }),
  // linalg: 1 x 1 matrices where the op needs an invertible or positive definite one
  'linalg.cholesky': b(one11, false),
  'linalg.choleskyInverse': b(one11, false),
  'linalg.det': b(one11),
  'linalg.inv': b(one11),
  'linalg.solve': b(one11, T([2, 1, 3])),
  'linalg.solveTriangular': b(one11, T([2, 1, 3]), true),
  'linalg.qr': b(T([4, 3]), 'reduced'),
  'linalg.svd': b(T([4, 3]), true, true),
  'linalg.eigh': b(one11),
  'linalg.luFactor': b(one11),
  'linalg.lstsq': b(T([4, 3]), T([4, 2]), null),
  'linalg.norm': b(T([3, 4]), 'fro', [0, 1], false),
  'linalg.gramSchmidt': b(T([1, 3])),
  // image
  'signal.frame': b(T([20]), 5, 3, false, 0),
  'signal.hannWindow': b(8),
  'signal.hammingWindow': b(8),
  'signal.stft': b(T([2, 64]), 16, 8, 16),
  'image.resizeBilinear': b(T([1, 4, 4, 1]), [2, 2]),
  'image.resizeNearestNeighbor': b(T([1, 4, 4, 1]), [2, 2]),
  // layers: made, then applied
  'layers.dense': b({ units: 3 }),
  'layers.dense#apply': applied({ units: 3 }, T([2, 4])),
  'layers.conv2d#apply': applied({ filters: 2, kernelSize: 3 }, T([1, 5, 5, 2])),
  'layers.maxPooling2d#apply': applied({ poolSize: 2 }, T([1, 4, 4, 2])),
  'layers.lstm#apply': applied({ units: 2 }, T([1, 3, 2])),
  'layers.gru#apply': applied({ units: 2, returnSequences: true }, T([1, 3, 2])),
  'layers.embedding#apply': applied({ inputDim: 5, outputDim: 2 }, T([2, 3], 'int32')),
  'layers.batchNormalization#apply': applied({}, T([2, 3]), { training: true }),
  'layers.layerNormalization#apply': applied({}, T([2, 3])),
  'layers.dropout#apply': applied({ rate: 0.5 }, T([2, 3]), { training: true }),
  'layers.flatten#apply': applied({}, T([2, 3, 2])),
  'layers.reshape#apply': applied({ targetShape: [6] }, T([2, 3, 2])),
  'layers.concatenate#apply': applied({ axis: -1 }, [T([2, 3]), T([2, 2])]),
  'layers.add#apply': applied({}, [T([2, 3]), T([2, 3])]),
  'layers.multiHeadAttention#apply': applied({ numHeads: 2, keyDim: 2 }, T([1, 3, 4]), { value: T([1, 3, 4]) }),
  'layers.groupQueryAttention#apply': applied({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 }, T([1, 3, 4]), { value: T([1, 3, 4]) }),
  'layers.activityRegularization#apply': applied({ l1: 0.1 }, T([2, 3])),
  'layers.pipeline#apply': then([[F('rescaling(2)', (ts) => ts.layers.rescaling({ scale: 2 }))]], 'apply', T([2, 3])),
  'layers.spectralNormalization#apply': applied({ layer: F('dense(2)', (ts) => ts.layers.dense({ units: 2 })) }, T([2, 3]), { training: true }),
  'layers.rescaling#apply': applied({ scale: 0.5 }, T([1, 2, 2, 1])),
  'layers.resizing#apply': applied({ height: 2, width: 2 }, T([1, 4, 4, 1])),
  'layers.randomFlip#apply': applied({ seed: 1 }, T([1, 4, 4, 1]), { training: true }),
  'layers.randomRotation#apply': applied({ factor: 0.1, seed: 1 }, T([1, 4, 4, 1]), { training: true }),
  'layers.randomZoom#apply': applied({ heightFactor: 0.1, seed: 1 }, T([1, 4, 4, 1]), { training: true }),
  'layers.randomCrop#apply': applied({ height: 2, width: 2, seed: 1 }, T([1, 4, 4, 1]), { training: true }),
  'layers.randomContrast#apply': applied({ factor: 0.1, seed: 1 }, T([1, 4, 4, 1]), { training: true }),
  'layers.centerCrop#apply': applied({ height: 2, width: 2 }, T([1, 4, 4, 1])),
  'layers.activation#apply': applied({ activation: 'relu' }, T([2, 3])),
  'layers.permute#apply': applied({ dims: [2, 1] }, T([2, 3, 4])),
  'layers.repeatVector#apply': applied({ n: 2 }, T([2, 3])),
  'layers.masking#apply': applied({ maskValue: 0 }, T([2, 3, 2])),
  'layers.dot#apply': applied({ axes: 1 }, [T([2, 3]), T([2, 3])]),
  'layers.conv1d#apply': applied({ filters: 2, kernelSize: 3 }, T([1, 5, 2])),
  'layers.conv2dTranspose#apply': applied({ filters: 2, kernelSize: 3, strides: 2 }, T([1, 3, 3, 2])),
  'layers.depthwiseConv2d#apply': applied({ kernelSize: 3 }, T([1, 5, 5, 2])),
  'layers.separableConv2d#apply': applied({ filters: 2, kernelSize: 3 }, T([1, 5, 5, 2])),
  'layers.upSampling2d#apply': applied({ size: 2 }, T([1, 2, 2, 1])),
  'layers.zeroPadding2d#apply': applied({ padding: 1 }, T([1, 2, 2, 1])),
  'layers.cropping2d#apply': applied({ cropping: 1 }, T([1, 4, 4, 1])),
  'layers.conv3d#apply': applied({ filters: 2, kernelSize: 2 }, T([1, 3, 3, 3, 2])),
  'layers.conv3dTranspose#apply': applied({ filters: 2, kernelSize: 2, strides: 2 }, T([1, 2, 2, 2, 2])),
  'layers.maxPooling3d#apply': applied({ poolSize: 2 }, T([1, 4, 4, 4, 1])),
  'layers.upSampling3d#apply': applied({ size: 2 }, T([1, 2, 2, 2, 1])),
  'layers.zeroPadding3d#apply': applied({ padding: 1 }, T([1, 2, 2, 2, 1])),
  'layers.cropping3d#apply': applied({ cropping: 1 }, T([1, 4, 4, 4, 1])),
  'layers.averagePooling1d#apply': applied({ poolSize: 2 }, T([1, 4, 2])),
  'layers.globalAveragePooling2d#apply': applied({}, T([1, 4, 4, 2])),
  'layers.globalMaxPooling1d#apply': applied({}, T([1, 4, 2])),
  'layers.adaptiveAveragePooling1d#apply': applied({ outputSize: 2 }, T([1, 5, 2])),
  'layers.adaptiveAveragePooling2d#apply': applied({ outputSize: 2 }, T([1, 5, 4, 2])),
  'layers.adaptiveAveragePooling3d#apply': applied({ outputSize: 2 }, T([1, 5, 4, 3, 2])),
  'layers.adaptiveMaxPooling1d#apply': applied({ outputSize: 2 }, T([1, 5, 2])),
  'layers.adaptiveMaxPooling2d#apply': applied({ outputSize: 2 }, T([1, 5, 4, 2])),
  'layers.adaptiveMaxPooling3d#apply': applied({ outputSize: 2 }, T([1, 5, 4, 3, 2])),
  'activations.celu': b(T([2, 3])),
  'activations.glu': b(T([2, 4])),
  'activations.sparsemax': b(T([2, 3])),
  'activations.threshold': b(T([2, 3])),
  'layers.timeDistributed#apply': applied({ layer: F('dense(2)', (ts) => ts.layers.dense({ units: 2 })) }, T([2, 3, 4])),
  'layers.spatialDropout2d#apply': applied({ rate: 0.5 }, T([1, 4, 4, 2]), { training: true }),
  'layers.gaussianNoise#apply': applied({ stddev: 0.1 }, T([2, 3]), { training: true }),
  'layers.leakyReLU#apply': applied({ alpha: 0.1 }, T([2, 3])),
  'layers.softmax#apply': applied({ axis: -1 }, T([2, 3])),
  'layers.prelu#apply': applied({}, T([2, 3])),
  'layers.einsumDense#apply': applied({ equation: 'ab,bc->ac', outputShape: [4] }, T([2, 3])),
  'layers.groupNormalization#apply': applied({ groups: 2 }, T([2, 4])),
  'layers.rmsNormalization#apply': applied({}, T([2, 3])),
  'layers.unitNormalization#apply': applied({}, T([2, 3])),
  'layers.positionEmbedding#apply': applied({ sequenceLength: 4 }, T([1, 4, 2])),
  'layers.rotaryEmbedding#apply': applied({}, T([1, 4, 2, 4])),
  'layers.tokenAndPositionEmbedding#apply': applied({ vocabularySize: 5, sequenceLength: 4, embeddingDim: 2 }, T([1, 4], 'int32')),
  'layers.transformerEncoder#apply': applied({ intermediateDim: 8, numHeads: 2 }, T([1, 3, 4]), {
    paddingMask: T([1, 3], 'int32'),
    attentionMask: T([1, 3, 3], 'int32'),
  }),
  'layers.transformerDecoder#apply': applied({ intermediateDim: 8, numHeads: 2 }, T([1, 3, 4]), {
    encoderSequence: T([1, 2, 4]),
    decoderPaddingMask: T([1, 3], 'int32'),
    encoderAttentionMask: T([1, 3, 2], 'int32'),
  }),
  'layers.attention#apply': applied({}, [T([1, 3, 4]), T([1, 3, 4])]),
  'layers.simpleRNN#apply': applied({ units: 2 }, T([1, 3, 2])),
  'layers.bidirectional#apply': applied({ layer: F('lstm(2)', (ts) => ts.layers.lstm({ units: 2 })) }, T([1, 3, 2])),
  'layers.hashing#apply': applied({ numBins: 3 }, T([2, 3], 'int32')),
  'layers.categoryEncoding#apply': applied({ numTokens: 4, outputMode: 'multi_hot' }, T([2, 3], 'int32')),
  'layers.discretization#apply': applied({ binBoundaries: [0, 1, 2] }, T([2, 3])),
  'layers.integerLookup#apply': applied({ vocabulary: [1, 2, 3] }, T([2, 3], 'int32')),
  // metrics: made, then updated with a batch
  'metrics.Mean#updateState': updated([], T([2, 3])),
  'metrics.Sum#updateState': updated([], T([2, 3])),
  'metrics.Accuracy#updateState': updated([], T([2, 3]), T([2, 3])),
  'metrics.SparseCategoricalAccuracy#updateState': updated([], T([2], 'int32'), T([2, 3])),
  'metrics.Precision#updateState': updated([], T([4]), T([4])),
  'metrics.AUC#updateState': updated([], T([4]), T([4])),
  'metrics.F1Score#updateState': updated([], T([2, 3]), T([2, 3])),
  'metrics.MeanIoU#updateState': updated([{ numClasses: 3 }], T([4], 'int32'), T([4], 'int32')),
  'metrics.R2Score#updateState': updated([], T([4, 1]), T([4, 1])),
  'metrics.TruePositives#updateState': updated([{ thresholds: [0.3, 0.6] }], T([4]), T([4])),
  'metrics.SensitivityAtSpecificity': b({ specificity: 0.5 }),
  'metrics.SpecificityAtSensitivity': b({ sensitivity: 0.5 }),
  'metrics.PrecisionAtRecall': b({ recall: 0.5 }),
  'metrics.RecallAtPrecision': b({ precision: 0.5 }),
  'metrics.PrecisionAtRecall#updateState': updated([{ recall: 0.5, numThresholds: 11 }], T([4]), T([4])),
  'metrics.IoU': b({ numClasses: 3, targetClassIds: [0, 2] }),
  'metrics.IoU#updateState': updated([{ numClasses: 3, targetClassIds: [1] }], T([4], 'int32'), T([4], 'int32')),
  'metrics.BinaryIoU#updateState': updated([], T([4]), T([4])),
  'metrics.OneHotIoU': b({ numClasses: 3, targetClassIds: [0] }),
  'metrics.OneHotMeanIoU': b({ numClasses: 3 }),
  'metrics.OneHotMeanIoU#updateState': updated([{ numClasses: 3 }], T([2, 3]), T([2, 3])),
  'metrics.PearsonCorrelation#updateState': updated([], T([2, 3]), T([2, 3])),
  'metrics.pearsonCorrelation': b(T([2, 3]), T([2, 3]), { axis: -1 }),
  'metrics.concordanceCorrelation': b(T([2, 3]), T([2, 3]), { axis: -1 }),
  'metrics.CategoricalCrossentropy#updateState': updated([{ labelSmoothing: 0.1 }], T([2, 3]), T([2, 3])),
  'metrics.accuracy': b(T([2, 3]), T([2, 3])),
  // losses: made, then applied to a batch
  'losses.MeanSquaredError#apply': then([], 'apply', T([2, 3]), T([2, 3])),
  'losses.SparseCategoricalCrossentropy#apply': then([{ fromLogits: true }], 'apply', T([2], 'int32'), T([2, 3])),
  'losses.meanSquaredError': b(T([2, 3]), T([2, 3])),
  'losses.categoricalFocalCrossentropy': b(T([2, 3]), T([2, 3]), { alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1 }),
  'losses.categoricalGeneralizedCrossEntropy': b(T([2], 'int32'), T([2, 3]), { q: 0.5 }),
  'losses.dice': b(T([2, 3]), T([2, 3]), { axis: 1 }),
  'losses.tversky': b(T([2, 3]), T([2, 3]), { alpha: 0.5, beta: 0.5, axis: 1 }),
  'losses.circle': b(T([3], 'int32'), T([3, 2]), { gamma: 80, margin: 0.4, removeDiagonal: true }),
  'losses.ctc': b(T([2, 3], 'int32'), T([2, 4, 3])),
  'losses.Circle#apply': then([{ gamma: 80, margin: 0.4 }], 'apply', T([3], 'int32'), T([3, 2])),
  'losses.CTC#apply': then([], 'apply', T([2, 3], 'int32'), T([2, 4, 3])),
  'losses.Dice#apply': then([{ axis: 1 }], 'apply', T([2, 3]), T([2, 3])),
  // optimizers
  'optimizers.Adam#applyGradients': then([{ learningRate: 0.01 }], 'applyGradients', pairs()),
  'optimizers.SGD#applyGradients': then([{ learningRate: 0.01, momentum: 0.9 }], 'applyGradients', pairs()),
  'optimizers.Lion#applyGradients': then([{ learningRate: 0.01 }], 'applyGradients', pairs()),
  'optimizers.Lamb#applyGradients': then([{ learningRate: 0.01 }], 'applyGradients', pairs()),
  'optimizers.Ftrl#applyGradients': then([{ learningRate: 0.01, l1RegularizationStrength: 0.01 }], 'applyGradients', pairs()),
  'optimizers.Adafactor#applyGradients': then([{ learningRate: 0.01 }], 'applyGradients', [[T([2, 3]), variable([2, 3])]]),
  'optimizers.LossScaleOptimizer': b({ innerOptimizer: 'sgd', initialScale: 8 }),
  'optimizers.LossScaleOptimizer#applyGradients': then([{ innerOptimizer: 'sgd' }], 'applyGradients', pairs()),
  'optimizers.LossScaleOptimizer#scaleLoss': then([{ innerOptimizer: 'sgd' }], 'scaleLoss', T([])),
  'optimizers.sgdUpdate': b(variable([3]), T([3]), null, { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }),
  'optimizers.adamUpdate': b(variable([3]), T([3]), variable([3]), variable([3]), null, {
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    amsgrad: false,
    step: 1,
    weightDecay: 0,
  }),
  'optimizers.clipByNorm': b(T([3]), 1),
  'optimizers.clipByGlobalNorm': b([T([3]), T([2])], 1),
  'optimizers.get': b('adam'),
  // initializers, regularizers, constraints: made, then applied
  'initializers.GlorotUniform#apply': then([{ seed: 1 }], 'apply', [3, 4], 'float32'),
  'regularizers.L2#apply': then([{ l2: 0.01 }], 'apply', T([3])),
  'regularizers.orthogonalRegularizer': b({ factor: 0.01, mode: 'columns' }),
  'regularizers.OrthogonalRegularizer#apply': then([{ factor: 0.01, mode: 'rows' }], 'apply', T([3, 2])),
  'constraints.MaxNorm#apply': then([{ maxValue: 2 }], 'apply', T([3, 2])),
  'activations.get': b('relu'),
  // TensorFlow.js's optimizer factories (positional)
  'train.sgd': b(0.1),
  'train.momentum': b(0.1, 0.9, false),
  'train.adam': b(0.01, 0.9, 0.999, 1e-7),
  'train.adamax': b(0.002, 0.9, 0.999, 1e-7, 0),
  'train.rmsprop': b(0.01, 0.9, 0, 1e-7, false),
  'train.adagrad': b(0.1, 0.1),
  'train.adadelta': b(0.01, 0.95, 1e-7),
  // schedules
  'schedules.exponentialDecay': b({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
  'schedules.learningRateAt': b(0.1, 3),
  // callbacks
  'callbacks.EarlyStopping': b({ monitor: 'loss', patience: 2 }),
  'callbacks.earlyStopping': b({ monitor: 'loss', patience: 2 }),
  'callbacks.CustomCallback#onEpochEnd': then([{ onEpochEnd: F('() => {}', () => () => {}) }], 'onEpochEnd', 0, { loss: 1 }),
  // a callback's hooks called by hand (as a user testing one does), before any setModel
  'callbacks.EarlyStopping#onEpochEnd': then([{ monitor: 'loss', patience: 2 }], 'onEpochEnd', 0, { loss: 1 }),
  'callbacks.ModelCheckpoint#onEpochEnd': {
    ...then([{ filepath: 'ckpt-{epoch}.json' }], 'onEpochEnd', 0, { loss: 1 }),
    setup: [['setModel', [F('sequential([dense(2, inputShape [3])])', (ts) => ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] }))]]],
  },
  'callbacks.CSVLogger#onEpochEnd': then(['log.csv'], 'onEpochEnd', 0, { loss: 1 }),
  'callbacks.History#onEpochEnd': then([], 'onEpochEnd', 0, { loss: 1 }),
  'callbacks.TerminateOnNaN#onTrainBatchEnd': then([], 'onTrainBatchEnd', 0, { loss: 1 }),
  'callbacks.ProgbarLogger#onTrainBatchEnd': then([{ verbose: 1, write: F('() => {}', () => () => {}) }], 'onTrainBatchEnd', 0, { loss: 1 }),
  // distribute and distribution, in a world of one (no mpirun)
  'distribute.allReduceSync': b(T([3]), 'sum'),
  'distribute.broadcastSync': b(T([3]), 0),
  'distribute.allGatherSync': b(T([3])),
  'distribute.allReduce': b(T([3]), 'mean'),
  'distribute.averageGradients': b([T([3]), null]),
  'distribute.broadcastVariables': b([variable([3])], 0),
  'distribute.distributedOptimizer': b(
    F('optimizers.get("adam")', (ts) => ts.optimizers.get('adam')),
    { bucketBytes: 1024 },
  ),
  'distribution.shardRange': b(10, true),
  'distribution.shardTensors': b(rows, 0, 2),
  'distribution.DataParallel': b({}),
  // utils.FeatureSpace: made (nothing to adapt), then applied to a dict of columns
  // utils.audioDatasetFromDirectory: the committed WAV class folders (cat 2 files, dog 3)
  'utils.audioDatasetFromDirectory': b(AUDIO_CLASSES, { batchSize: 2, outputSequenceLength: 3, samplingRate: 8000, shuffle: false }),
  'utils.FeatureSpace': b({ features: { a: 'float', b: 'string_hashed' }, crosses: null }),
  'utils.FeatureSpace#apply': then([{ features: { a: 'float', b: 'string_hashed' } }], 'apply', { a: [1, 2], b: ['x', 'y'] }),
  'utils.Feature': b({ dtype: 'float32', preprocessor: F('layers.identity()', (ts) => ts.layers.identity()), outputMode: 'float' }),
  'utils.packXYSampleWeight': b(T([2, 3]), T([2]), T([2])),
  'utils.unpackXYSampleWeight': b([T([2, 3]), T([2])]),
  'utils.isKerasTensor': b(T([2])),
  'utils.Cross': b({ featureNames: ['a', 'b'], crossingDim: 4 }),
};
