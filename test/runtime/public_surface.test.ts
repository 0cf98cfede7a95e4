// What the package shows and installs: internals stay out of the entry's exports, and
// the methods other folders add to Model (fit from training/, save from saving/) are
// there whether a program imports the entry or models/ alone.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as ts from '../../src';
import { ROOT } from '../helpers/child';

describe('the package entry', () => {
  it('exports no internal helper of ops/ or autograd/ (export * re-exports whole files)', () => {
    const exported = new Set(Object.keys(ts));
    for (const name of ['runUnary', 'runBinary', 'binaryOperands', 'runKernel', 'setRecorder', 'isRecording', 'startTape', 'backward', 'compositeOp']) {
      expect({ name, exported: exported.has(name) }).toEqual({ name, exported: false });
    }
    expect(Object.keys(ts.constraints)).not.toContain('setConstraintOf');
    expect(typeof ts.noGrad).toBe('function');
    expect(typeof ts.constraints.constraintOf).toBe('function');
  });
});

describe("Model's methods from training/ and saving/", () => {
  const methods = ['fit', 'evaluate', 'predict', 'compile', 'save', 'saveWeights', 'loadWeights'];
  // A fresh process per entry point: in jest's, the entry was loaded long ago.
  const methodsAfterImporting = (file: string): Record<string, string> => {
    const script = `
      require(${JSON.stringify(join(ROOT, file))});
      const { Model } = require(${JSON.stringify(join(ROOT, 'src', 'models', 'model.ts'))});
      const out = {};
      for (const m of ${JSON.stringify(methods)}) out[m] = typeof Model.prototype[m];
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-r', join(ROOT, 'test', 'helpers', 'register-ts.js'), '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };
  const all = Object.fromEntries(methods.map((m) => [m, 'function']));

  it.each(['src/index.ts', 'src/models/index.ts'])('are installed by importing %s alone', (file) => {
    expect(methodsAfterImporting(file)).toEqual(all);
  });

  it('saving/ alone installs save, saveWeights and loadWeights (a model it loads can be saved)', () => {
    const got = methodsAfterImporting('src/saving/index.ts');
    expect([got.save, got.saveWeights, got.loadWeights]).toEqual(['function', 'function', 'function']);
  });

  it('the class file alone has none of them (models/model.ts imports neither folder)', () => {
    expect(methodsAfterImporting('src/models/model.ts')).toEqual(Object.fromEntries(methods.map((m) => [m, 'undefined'])));
  });
});
