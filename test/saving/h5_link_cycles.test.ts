// HDF5 files whose groups loop (a hard link to a group's own parent) or nest absurdly
// deep: the walks over a file's groups stop at MAX_GROUP_DEPTH with an error naming the
// file, instead of following the loop until the process hung. The reader's worker reads
// each object once (by its address), so links that double the tree at each level are
// read as quickly as one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { layers, loadModel, sequential } from '../../src';
import { ensureGroup, MAX_GROUP_DEPTH, writeH5 } from '../../src/saving/h5';
import { tempDir } from './helpers';

const dir = tempDir();
const mlp = () => sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] });

// A Keras 3 weights file of mlp() with `extra` added to it.
const weightsFile = (extra: (file: Parameters<Parameters<typeof writeH5>[0]>[0]) => void) =>
  writeH5((file) => {
    const vars = ensureGroup(file, 'layers/dense/vars');
    vars.create_dataset({ name: '0', data: new Float32Array(6), shape: [3, 2], dtype: '<f' });
    vars.create_dataset({ name: '1', data: new Float32Array(2), shape: [2], dtype: '<f' });
    extra(file);
  });

test('groups nested deeper than the limit are refused, naming the file (loadWeights)', async () => {
  const file = path.join(dir, 'deep.weights.h5');
  fs.writeFileSync(
    file,
    await weightsFile((f) =>
      ensureGroup(
        f,
        Array(MAX_GROUP_DEPTH + 2)
          .fill('g')
          .join('/'),
      ),
    ),
  );
  await expect(mlp().loadWeights(file)).rejects.toThrow(`${file}: its groups nest more than ${MAX_GROUP_DEPTH} levels deep`);
});

test('a hard link to a parent group is refused, in a .weights.h5 and inside a .keras', async () => {
  const bytes = await weightsFile((f) =>
    (f as unknown as { create_hard_link(target: string, name: string): void }).create_hard_link('/layers', 'layers/dense/loop'),
  );
  const file = path.join(dir, 'loop.weights.h5');
  fs.writeFileSync(file, bytes);
  await expect(mlp().loadWeights(file)).rejects.toThrow(/loop\.weights\.h5: its groups nest more than 64 levels deep \(at 'layers\/dense\/loop\/dense\/loop/);
  const keras = path.join(dir, 'm.keras');
  await mlp().save(keras);
  const entries = unzipSync(new Uint8Array(fs.readFileSync(keras)));
  fs.writeFileSync(keras, zipSync({ ...entries, 'model.weights.h5': bytes }, { level: 0 }));
  await expect(loadModel(keras)).rejects.toThrow(`${keras} (model.weights.h5): its groups nest more than ${MAX_GROUP_DEPTH} levels deep`);
});

test('two links back to a parent (a tree that doubles at each level) are refused as one is', async () => {
  const bytes = await weightsFile((f) => {
    const link = f as unknown as { create_hard_link(target: string, name: string): void };
    link.create_hard_link('/layers', 'layers/dense/a');
    link.create_hard_link('/layers', 'layers/dense/b');
  });
  const file = path.join(dir, 'twice.weights.h5');
  fs.writeFileSync(file, bytes);
  await expect(mlp().loadWeights(file)).rejects.toThrow(/twice\.weights\.h5: its groups nest more than 64 levels deep \(at 'layers\/dense\/a\/dense\/a/);
});
