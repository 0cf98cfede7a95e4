// The factories (layers.dense, initializers.heNormal, regularizers.l2, schedules.cosineDecay,
// callbacks.earlyStopping, ...) take one options object: a second argument was dropped
// without a word (`layers.dense({units: 8}, 'relu')` made a linear layer) and is refused
// now; a bare value where Keras puts its positional argument says how to write it here.
import * as ts from '../../src';

// Every factory of the namespaces: their lower-case functions, less the ones that are not
// factories (lookups, serialization, registration; layers.input is ts.input, with its own arity check).
const NOT_FACTORIES = new Set([
  'registerLayer',
  'serializeLayer',
  'deserializeLayer',
  'get',
  'serialize',
  'deserialize',
  'learningRateAt',
  'constraintOf',
  'input',
  // layers.operation(op, args, options) builds a Keras op node: three arguments by design.
  'operation',
]);
const factories = (['layers', 'initializers', 'regularizers', 'constraints', 'schedules'] as const).flatMap((ns) =>
  Object.entries(ts[ns] as Record<string, unknown>)
    .filter(([name, f]) => typeof f === 'function' && /^[a-z]/.test(name) && !/^register/.test(name) && !NOT_FACTORIES.has(name) && !/^class /.test(String(f)))
    .map(([name, f]) => [`${ns}.${name}`, f as (...args: unknown[]) => unknown] as const),
);

it('finds the factories', () => {
  expect(factories.length).toBeGreaterThan(100);
});

it.each(factories)('%s refuses a second argument', (_, f) => {
  expect(() => f(undefined, 'relu')).toThrow(
    /(expected one options object, got 2 arguments \(the second: 'relu' \(a string\)\)|takes no options, got undefined)/,
  );
});

it('callbacks.earlyStopping refuses a second argument', () => {
  expect(() => (ts.callbacks.earlyStopping as (...a: unknown[]) => unknown)({ patience: 2 }, 3)).toThrow(
    /EarlyStopping: expected one options object, got 2 arguments/,
  );
});

it('a factory of a class without options refuses any argument', () => {
  expect(() => (ts.initializers.zeros as (...a: unknown[]) => unknown)({ value: 1 })).toThrow(
    /Zeros: takes no options, got \{ value: 1 \}|Zeros: takes no options/,
  );
  expect(ts.initializers.ones()).toBeInstanceOf(ts.initializers.Ones);
});

it.each([
  [
    () => ts.layers.dense(64 as never),
    /Dense: expected an options object, got 64; Keras's positional Dense\(64, \.\.\.\) is written with named options here: \{ units: 64, \.\.\. \}/,
  ],
  [() => (ts.layers.dense as (...a: unknown[]) => unknown)(10, 'softmax'), /\{ units: 10, activation: 'softmax', \.\.\. \}/],
  [
    () => (ts.layers.conv2d as (...a: unknown[]) => unknown)(32, [3, 3], { activation: 'relu' }),
    /Conv2D\(32, \[3, 3\], \.\.\.\) .*\{ filters: 32, kernelSize: \[3, 3\], \.\.\. \}/,
  ],
  [() => (ts.layers.embedding as (...a: unknown[]) => unknown)(1000, 64), /\{ inputDim: 1000, outputDim: 64, \.\.\. \}/],
  [() => ts.layers.dropout(0.5 as never), /\{ rate: 0.5, \.\.\. \}/],
  [() => ts.layers.lstm(32 as never), /LSTM: .*\{ units: 32, \.\.\. \}/],
  [() => new ts.layers.Dense(64 as never), /Dense: .*\{ units: 64, \.\.\. \}/],
  [() => ts.layers.reshape([7, 7] as never), /\{ targetShape: \[7, 7\], \.\.\. \}/],
  [() => ts.layers.leakyReLU(0.2 as never), /LeakyReLU: .*\{ negativeSlope: 0.2, \.\.\. \}/],
  [() => ts.layers.randomFlip('horizontal' as never), /RandomFlip: .*\{ mode: 'horizontal', \.\.\. \}/],
  [
    () => ts.layers.bidirectional(ts.layers.lstm({ units: 4, name: 'enc' }) as never),
    /Bidirectional: expected an options object, got a LSTM; .*\{ layer: <enc>, \.\.\. \}/,
  ],
])("Keras's positional habit %#: the options form in the error", (call, message) => {
  expect(call).toThrow(message);
});

it("Sequential.add takes one layer (and Keras's rebuild flag); a second layer was dropped", () => {
  const m = ts.sequential();
  m.add(ts.layers.dense({ units: 2, inputShape: [3] }), false);
  expect(() => m.add(ts.layers.dense({ units: 2 }), ts.layers.dense({ units: 1 }) as never)).toThrow(
    /sequential(_\d+)?\.add: adds one layer \(call add for each\); the second argument is Keras's rebuild flag, true or false, got a Dense/,
  );
  expect(m.layers.length).toBe(1);
});
