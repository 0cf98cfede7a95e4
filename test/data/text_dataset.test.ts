// textDatasetFromDirectory: Keras's label rules, split, shuffle and bad folders.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-textdir-'));
  for (const [cls, n] of [
    ['neg', 3],
    ['pos', 5],
  ] as const) {
    mkdirSync(join(dir, cls));
    for (let i = 0; i < n; i++) writeFileSync(join(dir, cls, `${i}.txt`), `${cls} text number ${i}`);
  }
  writeFileSync(join(dir, 'pos', 'skip.md'), 'not a .txt file');
  mkdirSync(join(dir, 'pos', 'nested'));
  writeFileSync(join(dir, 'pos', 'nested', 'deep.txt'), 'pos text deep');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(ds: ts.data.Dataset<ts.data.Element>): Promise<{ texts: string[]; labels: number[][] | number[] }> {
  const texts: string[] = [];
  const labels: (number | number[])[] = [];
  for await (const e of ds) {
    const [x, y] = e as [string[], ts.Tensor];
    texts.push(...x);
    labels.push(...(y.arraySync() as number[]));
    y.dispose();
  }
  return { texts, labels: labels as number[] };
}

describe('textDatasetFromDirectory', () => {
  it('infers classes from sorted subfolders, reads .txt files only (recursively), labels them', async () => {
    const ds = ts.data.textDatasetFromDirectory(dir, { shuffle: false, batchSize: 4 });
    expect(ds.classNames).toEqual(['neg', 'pos']);
    expect(ds.size).toBe(3);
    const { texts, labels } = await collect(ds);
    expect(texts).toHaveLength(9);
    expect(texts[0]).toBe('neg text number 0');
    expect(texts).toContain('pos text deep');
    expect(labels).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it("indexes as Keras's index_directory: hidden class folders skipped, a folder's own files before its subfolders' files, Keras's snake_case options", async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-textkeras-'));
    try {
      for (const sub of ['.ipynb_checkpoints', 'a', join('a', 'b'), 'c']) mkdirSync(join(root, sub));
      writeFileSync(join(root, '.ipynb_checkpoints', 'x.txt'), 'checkpoint');
      writeFileSync(join(root, 'a', 'a.txt'), 'a/a');
      writeFileSync(join(root, 'a', 'b', 'x.txt'), 'a/b/x');
      writeFileSync(join(root, 'a', 'c.txt'), 'a/c');
      writeFileSync(join(root, 'c', 'z.txt'), 'c/z');
      const ds = ts.data.textDatasetFromDirectory(root, { shuffle: false, batch_size: 8 } as ts.data.TextDatasetOptions);
      expect(ds.classNames).toEqual(['a', 'c']);
      const { texts, labels } = await collect(ds);
      expect(texts).toEqual(['a/a', 'a/c', 'a/b/x', 'c/z']);
      expect(labels).toEqual([0, 0, 0, 1]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('labelMode categorical and binary, classNames order, maxLength', async () => {
    const cat = await collect(ts.data.textDatasetFromDirectory(dir, { shuffle: false, labelMode: 'categorical', classNames: ['pos', 'neg'], maxLength: 3 }));
    expect(cat.labels[0]).toEqual([1, 0]);
    expect(cat.texts[0]).toBe('pos');
    const bin = await collect(ts.data.textDatasetFromDirectory(dir, { shuffle: false, labelMode: 'binary' }));
    expect(bin.labels.at(-1)).toEqual([1]);
  });

  it('validationSplit with a seed gives disjoint training and validation parts covering every file', async () => {
    const [train, val] = ts.data.textDatasetFromDirectory(dir, { validationSplit: 0.25, subset: 'both', seed: 3 });
    const a = await collect(train);
    const b = await collect(val);
    expect(b.texts).toHaveLength(2);
    expect(new Set([...a.texts, ...b.texts]).size).toBe(9);
    const again = await collect(ts.data.textDatasetFromDirectory(dir, { validationSplit: 0.25, subset: 'validation', seed: 3 }));
    expect(new Set(again.texts)).toEqual(new Set(b.texts));
  });

  it('reshuffles each epoch, reproducibly for a seed', async () => {
    const ds = ts.data.textDatasetFromDirectory(dir, { seed: 1, batchSize: null, labels: null });
    const first: string[] = [];
    for await (const e of ds) first.push(e as string);
    const second: string[] = [];
    for await (const e of ds) second.push(e as string);
    expect(new Set(second)).toEqual(new Set(first));
    expect(second).not.toEqual(first);
  });

  it('follows symbolic links below a class folder only when asked (a linked class folder is a class, as os.path.isdir says)', async () => {
    const linked = mkdtempSync(join(tmpdir(), 'tessera-textlink-'));
    try {
      symlinkSync(join(dir, 'neg'), join(linked, 'neg'));
      mkdirSync(join(linked, 'pos'));
      writeFileSync(join(linked, 'pos', 'own.txt'), 'own');
      symlinkSync(join(dir, 'pos'), join(linked, 'pos', 'more'));
      expect((await collect(ts.data.textDatasetFromDirectory(linked))).texts).toHaveLength(4);
      const { texts } = await collect(ts.data.textDatasetFromDirectory(linked, { followLinks: true }));
      expect(texts).toHaveLength(10);
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('bad input: missing or empty folder, unknown option, split without seed, wrong label count', () => {
    expect(() => ts.data.textDatasetFromDirectory(join(dir, 'nope'))).toThrow(/cannot read the folder/);
    const empty = mkdtempSync(join(tmpdir(), 'tessera-empty-'));
    expect(() => ts.data.textDatasetFromDirectory(empty)).toThrow(/labels 'inferred' needs class subfolders in .*, found none/);
    expect(() => ts.data.textDatasetFromDirectory(empty, { labels: null })).toThrow(/no .txt files found/);
    rmSync(empty, { recursive: true });
    expect(() => ts.data.textDatasetFromDirectory(dir, { batchSise: 3 } as never)).toThrow(/unknown option 'batchSise'; did you mean 'batchSize'/);
    expect(() => ts.data.textDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training' })).toThrow(/give a seed/);
    expect(() => ts.data.textDatasetFromDirectory(dir, { labels: [0, 1] })).toThrow(/expected as many labels as .txt files found in .* \(9\), got 2 labels/);
    expect(() => ts.data.textDatasetFromDirectory(dir, { classNames: ['neg', 'missing'] })).toThrow(
      /classNames must name distinct subfolders of .*: expected a subset of \['neg', 'pos'\], got \['neg', 'missing'\]/,
    );
    expect(() => ts.data.textDatasetFromDirectory(dir, { classNames: ['neg', 'neg'] })).toThrow(/classNames must name distinct subfolders/);
  });
});
