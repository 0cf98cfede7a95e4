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

  it('follows symbolic links only when asked', async () => {
    const linked = mkdtempSync(join(tmpdir(), 'tessera-textlink-'));
    try {
      symlinkSync(join(dir, 'neg'), join(linked, 'neg'));
      expect(() => ts.data.textDatasetFromDirectory(linked)).toThrow(/no .txt files found/);
      const { texts } = await collect(ts.data.textDatasetFromDirectory(linked, { followLinks: true }));
      expect(texts).toHaveLength(3);
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('bad input: missing or empty folder, unknown option, split without seed, wrong label count', () => {
    expect(() => ts.data.textDatasetFromDirectory(join(dir, 'nope'))).toThrow(/cannot read the folder/);
    const empty = mkdtempSync(join(tmpdir(), 'tessera-empty-'));
    expect(() => ts.data.textDatasetFromDirectory(empty)).toThrow(/no .txt files found/);
    rmSync(empty, { recursive: true });
    expect(() => ts.data.textDatasetFromDirectory(dir, { batchsize: 3 } as never)).toThrow(/unknown option 'batchsize'/);
    expect(() => ts.data.textDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training' })).toThrow(/give a seed/);
    expect(() => ts.data.textDatasetFromDirectory(dir, { labels: [0, 1] })).toThrow(/got 2 labels for 9 .txt files/);
    expect(() => ts.data.textDatasetFromDirectory(dir, { classNames: ['neg', 'missing'] })).toThrow(/'missing', which is not a subfolder/);
  });
});
