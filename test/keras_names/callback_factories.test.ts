// camelCase factories of every callback class (TF.js's callbacks.earlyStopping style): each
// makes its class with the same arguments and refuses more than the constructor takes.
import * as ts from '../../src';

const { callbacks } = ts;

describe('callback factories', () => {
  test.each([
    ['history', callbacks.History, []],
    ['progbarLogger', callbacks.ProgbarLogger, [{}]],
    ['modelCheckpoint', callbacks.ModelCheckpoint, [{ filepath: '/tmp/never-written.keras' }]],
    ['backupAndRestore', callbacks.BackupAndRestore, [{ backupDir: '/tmp/never-written-backup' }]],
    ['reduceLROnPlateau', callbacks.ReduceLROnPlateau, [{ factor: 0.5 }]],
    ['learningRateScheduler', callbacks.LearningRateScheduler, [(_e: number, lr: number) => lr, 1]],
    ['terminateOnNaN', callbacks.TerminateOnNaN, []],
    ['lambdaCallback', callbacks.LambdaCallback, [{ onEpochEnd: () => undefined }]],
    ['csvLogger', callbacks.CSVLogger, ['/tmp/never-written.csv', ';', true]],
    ['tensorBoard', callbacks.TensorBoard, [{ logDir: '/tmp/never-written-logs' }]],
    ['remoteMonitor', callbacks.RemoteMonitor, [{}]],
    ['swapEMAWeights', callbacks.SwapEMAWeights, [{}]],
  ] as [string, new (...a: any[]) => unknown, unknown[]][])('%s makes a %p', (name, cls, args) => {
    const factory = (callbacks as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    expect(factory(...args)).toBeInstanceOf(cls);
    expect(() => factory(...args, ...Array(4 - args.length).fill(undefined), 'extra')).toThrow(new RegExp(`callbacks.${name}: expected at most`));
  });

  test("a constructor's own errors come through", () => {
    expect(() => callbacks.learningRateScheduler(3 as never)).toThrow(/LearningRateScheduler: expected a function/);
    expect(() => callbacks.csvLogger('')).toThrow(/CSVLogger: expected a file name/);
  });

  test('modelCheckpoint works in fit (the factory is the class)', async () => {
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const seen: number[] = [];
    await model.fit(ts.ones([4, 2]), ts.ones([4, 1]), {
      epochs: 2,
      verbose: 0,
      callbacks: [callbacks.lambdaCallback({ onEpochEnd: (e: number) => void seen.push(e) })],
    });
    expect(seen).toEqual([0, 1]);
  });
});
