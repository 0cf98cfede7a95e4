// ts.saving.KerasFileEditor (Keras 3's keras.saving.KerasFileEditor) on a .keras file made
// by Keras 3.15, against what Keras's own editor made of it (test/fixtures/keras/file_editor,
// written by scripts/fixtures/make_file_editor_fixtures.py).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';
import { fixture, tempDir } from './helpers';

type Tree = { [k: string]: Tree | number[] };
const keras = JSON.parse(fs.readFileSync(fixture('keras/file_editor/keras_file_editor.json'), 'utf8')) as {
  weights_tree: Tree;
  object_metadata: Record<string, { name: string }>;
  compare_base: { status: string; error_count: number };
  compare_wider: { status: string; error_count: number };
  compare_wider_after_add: { status: string; error_count: number };
  wider_loaded_extra: [number[][], number[]];
  tree_after_edits: Tree;
  summary: string;
};
const BASE = fixture('keras/file_editor/base.keras');
const dir = tempDir();

// The fixture's values: arange(n) * 0.01 + start in float32 steps, as NumPy computes them.
const f32 = Math.fround;
const values = (shape: number[], start: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return ts.tensor(
    Float32Array.from({ length: n }, (_, i) => f32(f32(i * f32(0.01)) + start)),
    shape,
  );
};
// The tree's shapes, keys in order (Keras's dicts keep order).
const shapes = (d: ts.saving.EditorWeightsDict): Tree =>
  Object.fromEntries(
    Object.entries(d).map(([k, v]) => [k, 'shape' in v && Array.isArray(v.shape) ? (v.shape as number[]) : shapes(v as ts.saving.EditorWeightsDict)]),
  );
const ordered = (t: Tree): unknown => Object.entries(t).map(([k, v]) => [k, Array.isArray(v) ? v : ordered(v)]);
const quietly = <T>(fn: () => T): T => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    log.mockRestore();
  }
};
const wider = async () => {
  const m = (await ts.loadModel(BASE)) as ts.Sequential;
  m.add(ts.layers.dense({ units: 5, name: 'extra' }));
  return m;
};

test("opens Keras's .keras file as Keras's editor does: the same tree, metadata and summary", async () => {
  const editor = await ts.saving.KerasFileEditor.open(BASE);
  expect(ordered(shapes(editor.weightsDict))).toEqual(ordered(keras.weights_tree));
  expect((editor.metadata as { keras_version: string }).keras_version).toBe('3.15.1');
  expect((editor.config as { class_name: string }).class_name).toBe('Sequential');
  const dense = editor.weightsDict.layers as ts.saving.EditorWeightsDict;
  expect((dense.dense as ts.saving.EditorWeightsDict)['1']).toEqual({ shape: [4], dtype: 'float32', value: values([4], 1).dataSync() });
  expect(editor.weightsSummary()).toContain("├─ dense ('hidden')");
  expect(Object.keys(keras.object_metadata)).toEqual(['/layers/batch_normalization', '/layers/dense', '/layers/dense_1']);
});

test('compare: success for the same model, one error for a model with a layer more, success once it is added', async () => {
  const editor = await ts.saving.KerasFileEditor.open(BASE);
  const base = await ts.loadModel(BASE);
  const same = quietly(() => editor.compare(base));
  // Keras 3.15 counts 18 matches for these 8 weights (its recursion adds the running count back in).
  expect([same.status, same.errorCount, same.matchCount]).toEqual([keras.compare_base.status, keras.compare_base.error_count, 8]);
  const w = await wider();
  const missing = quietly(() => editor.compare(w));
  expect([missing.status, missing.errorCount]).toEqual([keras.compare_wider.status, keras.compare_wider.error_count]);
  expect(missing.messages[0]).toBe('...Object /layers/dense_2 present in reference model, missing from saved file');
  editor.addObject('layers/dense_2', { 0: ts.tensor([1]), 1: values([5], 8) });
  const badShape = quietly(() => editor.compare(w));
  expect([badShape.status, badShape.errorCount]).toEqual(['error', 1]);
  expect(badShape.messages.join('\n')).toContain(
    '...Weight shape mismatch for /layers/dense_2/0\n    In reference model: shape=(2, 5)\n    In saved file: shape=(1,)',
  );
  editor.deleteWeight('layers/dense_2', '0');
  editor.addWeights('dense_2', { 0: values([2, 5], 7) });
  const added = quietly(() => editor.compare(w));
  expect([added.status, added.errorCount, added.matchCount]).toEqual([keras.compare_wider_after_add.status, 0, 10]);
});

test("an added layer's weights saved as .weights.h5 load into the wider model, as Keras's own edit does", async () => {
  const editor = await ts.saving.KerasFileEditor.open(BASE);
  const [kernel, bias] = [values([2, 5], 7), values([5], 8)];
  editor.addObject('layers/dense_2', { 0: kernel, 1: bias });
  const out = path.join(dir, 'edited.weights.h5');
  await editor.save(out);
  const w = await wider();
  await w.loadWeights(out);
  const extra = w.layers[w.layers.length - 1] as ts.layers.Dense;
  expect(extra.weights.map((v) => Array.from(v.dataSync()))).toEqual([Array.from(kernel.dataSync()), Array.from(bias.dataSync())]);
  expect(Array.from(extra.weights[0].dataSync())).toEqual(keras.wider_loaded_extra[0].flat().map(Math.fround));
  // The other layers keep the file's values (the fixture set weight i to values(shape, i)).
  w.weights.slice(0, 8).forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(values(v.shape, i).dataSync())));
  // Keras's editor's file of the same edit loads to the same values.
  const k = await wider();
  await k.loadWeights(fixture('keras/file_editor/keras_edited.weights.h5'));
  k.weights.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(w.weights[i].dataSync())));
  // A reopened .weights.h5 holds the same tree.
  const again = await ts.saving.KerasFileEditor.open(out);
  expect(again.metadata).toBeNull();
  expect(ordered(shapes(again.weightsDict))).toEqual(ordered(shapes(editor.weightsDict)));
  // The layer names go back on each vars group as model.save writes them (Keras's editor drops them);
  // an added object had none and gets none.
  expect(again.weightsSummary()).toBe(editor.weightsSummary());
  expect(again.weightsSummary()).toContain("├─ dense ('hidden')");
  expect(again.weightsSummary()).toMatch(/└─ dense_2\n/);
});

test("renaming, deleting and adding leave the tree Keras's editor leaves", async () => {
  const editor = await ts.saving.KerasFileEditor.open(BASE);
  editor.addObject('layers/dense_2', { 0: values([2, 5], 7), 1: values([5], 8) });
  editor.renameObject('dense_1', 'dense_renamed');
  editor.deleteWeight('batch_normalization', '3');
  editor.addWeights('batch_normalization', { 3: values([4], 9) });
  editor.deleteObject('layers/dense_2');
  expect(ordered(shapes(editor.weightsDict))).toEqual(ordered(keras.tree_after_edits));
  // Keras's summary means to name each object's layer (its metadata key has a leading '/', so it never does).
  const summary = editor.weightsSummary();
  expect(summary).toContain("└─ dense_renamed ('out')");
  expect(summary.replace(/ \('[^']*'\)/g, '')).toBe(keras.summary.trimEnd());
  const out = path.join(dir, 'renamed.weights.h5');
  await editor.resaveWeights(out);
  const again = await ts.saving.KerasFileEditor.open(out);
  const bn = (again.weightsDict.layers as ts.saving.EditorWeightsDict).batch_normalization as ts.saving.EditorWeightsDict;
  expect(Array.from((bn['3'] as ts.saving.EditorWeightInfo).value as Float32Array)).toEqual(Array.from(values([4], 9).dataSync()));
  // A renamed object keeps its layer's name through save and reopen.
  expect(again.weightsSummary()).toBe(summary);
  expect(again.weightsSummary()).toContain("└─ dense_renamed ('out')");
});

test('bad paths, names that collide and bad weights are clear errors that change nothing', async () => {
  const editor = await ts.saving.KerasFileEditor.open(BASE);
  const before = JSON.stringify(ordered(shapes(editor.weightsDict)));
  const t = ts.ones([2]);
  // Keras: "Source name 'nope' does not appear in the model", "Name '0' occurs more than once", ...
  expect(() => editor.renameObject('nope', 'x')).toThrow(/^KerasFileEditor\.renameObject: name 'nope' does not appear in the file; weightsSummary\(\) lists/);
  expect(() => editor.renameObject('0', 'x')).toThrow(/^KerasFileEditor\.renameObject: name '0' occurs 3 times in the file; pass a complete path/);
  expect(() => editor.renameObject('dense', 'a/b')).toThrow(/^KerasFileEditor\.renameObject: expected newName to be a leaf name \(no '\/'\)/);
  expect(() => editor.renameObject('dense', 'dense_1')).toThrow(/^KerasFileEditor\.renameObject: 'dense_1' is taken beside 'dense'/);
  expect(() => editor.deleteObject('layers/nope')).toThrow(
    /^KerasFileEditor\.deleteObject: path 'layers\/nope' not found in the file \(no 'nope' among 'batch_normalization', 'dense', 'dense_1'\)/,
  );
  expect(() => editor.deleteObject('nope/dense')).toThrow(
    /^KerasFileEditor\.deleteObject: path 'nope\/dense' not found in the file \(no object 'nope' among 'layers'\)/,
  );
  expect(() => editor.deleteWeight('dense', '7')).toThrow(/^KerasFileEditor\.deleteWeight: weight '7' .* not found in object 'dense'; weights found: '0', '1'/);
  expect(() => editor.deleteWeight('layers/dense/0', '0')).toThrow(/^KerasFileEditor\.deleteWeight: 'layers\/dense\/0' is a weight, not an object/);
  expect(() => editor.addObject('nope/dense_9', { 0: t })).toThrow(/^KerasFileEditor\.addObject: path 'nope' not found in the file/);
  expect(() => editor.addObject('layers/dense', { 0: t })).toThrow(/^KerasFileEditor\.addObject: 'layers\/dense' already exists; delete it first/);
  expect(() => editor.addObject('layers/x', [t] as never)).toThrow(/^KerasFileEditor\.addObject: expected weights to be an object of tensors by weight name/);
  expect(() => editor.addObject('layers/x', {})).toThrow(/^KerasFileEditor\.addObject: expected at least one weight/);
  expect(() => editor.addObject('layers/x', { 0: [1, 2] })).toThrow(/^KerasFileEditor\.addObject: expected the weight '0' to be a Tensor, got/);
  expect(() => editor.addObject('layers//x', { 0: t })).toThrow(/^KerasFileEditor\.addObject: expected objectPath to be a path/);
  expect(() => editor.addWeights('dense', { 1: t })).toThrow(/^KerasFileEditor\.addWeights: object 'dense' already has '1'; delete them first/);
  const disposed = ts.ones([2]);
  disposed.dispose();
  expect(() => editor.addWeights('dense', { 2: disposed })).toThrow(/^KerasFileEditor\.addWeights: the weight '2' is a disposed tensor/);
  expect(() => editor.compare('model' as never)).toThrow(/^KerasFileEditor\.compare: expected a model, got 'model'/);
  expect(() => (editor.deleteObject as (...a: unknown[]) => void)('dense', 2)).toThrow(/^KerasFileEditor\.deleteObject: expected at most 1 argument, got 2/);
  expect(JSON.stringify(ordered(shapes(editor.weightsDict)))).toBe(before);
  await expect(editor.save(path.join(dir, 'x.keras'))).rejects.toThrow(/^KerasFileEditor\.save: expected a \.weights\.h5 file .*got '.*x\.keras'/);
  await expect(ts.saving.KerasFileEditor.open(path.join(dir, 'none.keras'))).rejects.toThrow(/^KerasFileEditor\.open: .*none\.keras does not exist/);
  await expect(ts.saving.KerasFileEditor.open('model.h5')).rejects.toThrow(/^KerasFileEditor\.open: expected a \.keras or \.weights\.h5 file, got 'model\.h5'/);
  expect(() => new ts.saving.KerasFileEditor(BASE)).toThrow(/^KerasFileEditor: open a file with `await ts\.saving\.KerasFileEditor\.open\(filepath\)`/);
});

test('a file with an optimizer: compared as Keras does with an uncompiled model, left out (and said) with a compiled one', async () => {
  const m = await ts.loadModel(BASE);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  const out = path.join(dir, 'compiled.keras');
  await m.save(out);
  const editor = await ts.saving.KerasFileEditor.open(out);
  expect(Object.keys(editor.weightsDict)).toEqual(['layers', 'optimizer']);
  const compiled = quietly(() => editor.compare(m));
  expect([compiled.status, compiled.errorCount, compiled.matchCount]).toEqual(['success', 0, 8]);
  expect(compiled.messages).toEqual(["...Object /optimizer not compared (only the layers' weights are compared with a compiled model)"]);
  const plain = quietly(() => editor.compare(ts.sequential({ layers: [ts.input({ shape: [3] })] })));
  expect(plain.status).toBe('error');
  expect(plain.messages).toContain('...Object /optimizer present in saved file, missing from reference model');
});
