// Valid calls of a model's methods (compile, fit, evaluate, predict, the *OnBatch forms,
// weights, layers, summary, save) that the bad-input sweep mutates: a two-layer model made
// by sequential(), compiled first where the method needs it (Baseline.setup).
import { F, T, arg, type Arg } from './args';
import type { Baseline } from './op_baselines';

const model = F('[dense(4, inputShape [3]), dense(2)]', (ts) => [ts.layers.dense({ units: 4, inputShape: [3] }), ts.layers.dense({ units: 2 })]);
const compiled: [string, Arg[]][] = [['compile', [arg({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] })]]];

/** sequential({layers}), compiled when `compile`, then `.method(...methodArgs)`. */
const call = (compile: boolean, method: string, ...methodArgs: unknown[]): Baseline => ({
  args: [arg({ layers: model })],
  setup: compile ? compiled : [],
  method,
  methodArgs: methodArgs.map(arg),
});

// A callback as TensorFlow.js users write one: an object of hook functions.
const hooks = F('{ onEpochEnd() {} }', () => ({ onEpochEnd: () => {} }));
const x = T([4, 3]);
const y = T([4, 2]);

const tinyModel = F('sequential([dense(2, inputShape [3])])', (ts) => ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] }));

export const MODEL_BASELINES: Record<string, Baseline> = {
  // Every option given, so that each is replaced by wrong values in turn.
  cloneModel: {
    args: [
      tinyModel,
      arg({ recursive: false, cloneFunction: F('(layer) => layer', () => (l: unknown) => l), inputTensors: F('input([3])', (ts) => ts.input({ shape: [3] })) }),
    ],
  },
  modelFromJSON: {
    args: [F('tiny model.toJSON()', (ts) => ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] }).toJSON()), arg({ customObjects: {} })],
  },
  // a tensor's and a variable's own methods
  'tensor#to': { args: [arg([1, 2, 3, 4]), arg([2, 2])], method: 'to', methodArgs: [arg('cpu')] },
  'tensor#array': { args: [arg([1, 2, 3, 4]), arg([2, 2])], method: 'array', methodArgs: [] },
  'tensor#print': { args: [arg([1, 2, 3, 4]), arg([2, 2])], method: 'print', methodArgs: [arg(false)] },
  'tensor#toString': { args: [arg([1, 2, 3, 4]), arg([2, 2])], method: 'toString', methodArgs: [arg(false)] },
  'variable#assign': { args: [T([2, 3])], method: 'assign', methodArgs: [T([2, 3])] },
  'sequential#compile': call(false, 'compile', { optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] }),
  // No epochs: fit({epochs: 2 ** 31}) trains that long, as asked (not a hang to report).
  // Every plain option given, so that each is replaced by wrong values in turn.
  'sequential#fit': call(true, 'fit', x, y, {
    batchSize: 2,
    verbose: 0,
    shuffle: false,
    callbacks: [hooks],
    yieldEvery: 'batch',
    validationSplit: 0.5,
    validationBatchSize: 1,
    validationFreq: 1,
    validationSteps: 1,
    initialEpoch: 0,
    stepsPerEpoch: 1,
    classWeight: { 0: 1, 1: 2 },
  }),
  'sequential#evaluate': call(true, 'evaluate', x, y, { batchSize: 2, verbose: 0, steps: 1, callbacks: [hooks] }),
  'sequential#predict': call(false, 'predict', x, { batchSize: 2, verbose: 0, steps: 1, callbacks: [hooks] }),
  'sequential#trainOnBatch': call(true, 'trainOnBatch', x, y),
  'sequential#testOnBatch': call(true, 'testOnBatch', x, y),
  'sequential#predictOnBatch': call(false, 'predictOnBatch', x),
  'sequential#setWeights': call(false, 'setWeights', [T([3, 4]), T([4]), T([4, 2]), T([2])]),
  'sequential#getLayer': call(false, 'getLayer', 0),
  'sequential#toJSON': call(false, 'toJSON', null, false),
  'sequential#summary': call(
    false,
    'summary',
    80,
    [0.4, 0.7, 1],
    F('() => {}', () => () => {}),
  ),
  // The TensorFlow.js format: the .keras writer's WebAssembly HDF5 reserves more address space than the sweep's cap.
  'sequential#save': call(false, 'save', 'model.json'),
};
