// KerasFileEditor edits that HDF5 cannot hold as given: names HDF5 reads otherwise ('' and
// '.' were lost on save with HDF5's errors printed), bool weights (h5wasm threw a plain
// string), and a weight of another shape than the model's (caught by compare and load).
import * as path from 'node:path';
import * as ts from '../../src';
import { tempDir } from '../saving/helpers';

const dir = tempDir();
const model = (): ts.Sequential => ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [2] }), ts.layers.dense({ units: 1 })] });
const quietly = <T>(fn: () => T): T => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    log.mockRestore();
  }
};

describe('KerasFileEditor names HDF5 would lose', () => {
  let file: string;
  beforeAll(async () => {
    const m = model();
    file = path.join(dir, 'base.weights.h5');
    await m.saveWeights(file);
    m.dispose();
  });

  it.each(['', '.'])('a weight named %j is refused by addWeights and addObject', async (name) => {
    const editor = await ts.saving.KerasFileEditor.open(file);
    const w = ts.ones([1]);
    expect(() => editor.addWeights('dense_1', { [name]: w })).toThrow(
      `KerasFileEditor.addWeights: a weight name cannot be empty or '.' or hold '/', got '${name}'`,
    );
    expect(() => editor.addObject('layers/extra', { [name]: w })).toThrow('KerasFileEditor.addObject: a weight name cannot be empty');
    w.dispose();
    expect(Object.keys(editor.weightsDict.layers)).toEqual(['dense', 'dense_1']);
  });

  it("an object path with an empty or '.' part, and a newName '.', are refused", async () => {
    const editor = await ts.saving.KerasFileEditor.open(file);
    const w = ts.ones([1]);
    for (const p of ['layers/.', 'layers//x', './x'])
      expect(() => editor.addObject(p, { 0: w })).toThrow(
        `KerasFileEditor.addObject: expected objectPath to be a path such as 'layers/dense_2' (no empty or '.' part), got '${p}'`,
      );
    expect(() => editor.renameObject('dense_1', '.')).toThrow(
      "KerasFileEditor.renameObject: expected newName to be a leaf name (no '/'), not a full path name, nor empty or '.'",
    );
    w.dispose();
  });

  it("other odd names ('..', spaces, unicode) survive save and reopen", async () => {
    const editor = await ts.saving.KerasFileEditor.open(file);
    const w = ts.tensor([7]);
    editor.addWeights('dense_1', { '..': w, 'a b': w, é: w });
    editor.addObject('layers/..', { 0: w });
    w.dispose();
    const out = path.join(dir, 'odd.weights.h5');
    await editor.save(out);
    const back = (await ts.saving.KerasFileEditor.open(out)).weightsDict.layers as ts.saving.EditorWeightsDict;
    expect(Object.keys(back['dense_1']).sort()).toEqual(['..', '0', '1', 'a b', 'é']);
    expect(Array.from((back['..'] as ts.saving.EditorWeightsDict)['0'].value as Float32Array)).toEqual([7]);
  });
});

describe('bool weights', () => {
  it('KerasFileEditor saves a bool weight as uint8 and reads it back (h5wasm refused the dtype with a thrown string)', async () => {
    const m = model();
    const file = path.join(dir, 'b.weights.h5');
    await m.saveWeights(file);
    m.dispose();
    const editor = await ts.saving.KerasFileEditor.open(file);
    const flags = ts.tensor([1, 0, 1], [3], 'bool');
    editor.addWeights('dense', { 2: flags });
    flags.dispose();
    const out = path.join(dir, 'bool.weights.h5');
    await editor.save(out);
    const w = (await ts.saving.KerasFileEditor.open(out)).weightsDict.layers as ts.saving.EditorWeightsDict;
    const flag = (w['dense'] as ts.saving.EditorWeightsDict)['2'] as ts.saving.EditorWeightInfo;
    expect(flag.dtype).toBe('uint8');
    expect(Array.from(flag.value as Uint8Array)).toEqual([1, 0, 1]);
  });

  it('a model with a bool weight saves and loads its weights (saveWeights threw "|u1 is not a recognized dtype")', async () => {
    class Flagged extends ts.layers.Layer {
      static override className = 'Hostile4Flagged';
      flag!: ts.Variable;
      override build(shape: ts.Shape | ts.Shape[]): void {
        this.flag = this.addWeight('flag', [2], 'bool', 'ones', undefined, false);
        super.build(shape);
      }
      override call(x: ts.Tensor | ts.Tensor[]): ts.Tensor | ts.Tensor[] {
        return x;
      }
    }
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [2] }), new Flagged({})] });
    const file = path.join(dir, 'flagged.weights.h5');
    await m.saveWeights(file);
    const layer = m.layers[1] as Flagged;
    layer.flag.assign(ts.tensor([0, 0], [2], 'bool'));
    await m.loadWeights(file);
    expect(Array.from(layer.flag.dataSync())).toEqual([1, 1]);
    m.dispose();
  });
});

describe('a weight of another shape than the model has', () => {
  it('is never silent: compare reports it and loadWeights refuses it naming layer, weight and both shapes', async () => {
    // Keras's add_weights checks no shape either: adapting a file to a changed layer needs new shapes.
    const m = model();
    const file = path.join(dir, 'shape.weights.h5');
    await m.saveWeights(file);
    const editor = await ts.saving.KerasFileEditor.open(file);
    editor.deleteWeight('dense', '0');
    const wrong = ts.ones([5, 5]);
    editor.addWeights('dense', { 0: wrong });
    wrong.dispose();
    const report = quietly(() => editor.compare(m));
    expect(report).toMatchObject({ status: 'error', errorCount: 1, matchCount: 3 });
    expect(report.messages).toEqual([
      '...Weight shape mismatch for /layers/dense/0',
      '    In reference model: shape=(2, 3)',
      '    In saved file: shape=(5, 5)',
    ]);
    const edited = path.join(dir, 'shape_edited.weights.h5');
    await editor.save(edited);
    await expect(m.loadWeights(edited)).rejects.toThrow(/weight '\w+\/kernel' of layer '\w+' has shape \[2, 3\], but .* has \[5, 5\] for it/);
    m.dispose();
  });
});
