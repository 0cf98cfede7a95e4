// data.imageDatasetFromDirectory: Keras 3's indexing order, labels, split and shuffles,
// decoding in workers, resizing, and bad folders and files.
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, type Tensor } from '../../src';
import { imageCodec } from '../../src/data/image_codec';
import { howItEnded, runTsBody } from '../helpers/child';
import { liveTensors } from '../helpers/memory';

const codec = imageCodec();
const FILES = join(__dirname, '..', 'fixtures', 'image', 'files');

// A picture whose every pixel is `value` (channels as given), so a batch tells which file it came from.
function writePng(path: string, value: number, channels: 1 | 3 | 4 = 3, width = 4, height = 3): void {
  writeFileSync(path, codec.encodePng({ width, height, channels, data: new Uint8Array(width * height * channels).fill(value) }));
}

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), 'tessera-image-folder-'));
  for (const c of ['cats', 'dogs', 'birds']) mkdirSync(join(root, c));
  writePng(join(root, 'cats', 'b.png'), 11);
  writePng(join(root, 'cats', 'a.png'), 10, 1, 6, 6); // grey, another size
  mkdirSync(join(root, 'cats', 'more'));
  writePng(join(root, 'cats', 'more', 'c.PNG'), 12, 4); // RGBA, nested, upper-case extension
  writePng(join(root, 'dogs', 'x.png'), 20);
  copyFileSync(join(FILES, 'rgb.bmp'), join(root, 'dogs', 'y.bmp'));
  writePng(join(root, 'birds', 'z.png'), 30);
  writeFileSync(join(root, 'birds', 'notes.txt'), 'not an image');
  mkdirSync(join(root, '.hidden'));
  writePng(join(root, '.hidden', 'h.png'), 99);
  return root;
}

const firstValues = (x: Tensor): number[] => {
  const v = x.dataSync();
  const per = x.size / x.shape[0];
  return Array.from({ length: x.shape[0] }, (_, i) => v[i * per]);
};

async function collect(ds: AsyncIterable<unknown>): Promise<[Tensor, Tensor][]> {
  const out: [Tensor, Tensor][] = [];
  for await (const e of ds) out.push(e as [Tensor, Tensor]);
  return out;
}

describe('imageDatasetFromDirectory', () => {
  const root = folder();

  it('indexes as Keras: classes alphabetical, files in sorted walk order, labels by class', async () => {
    const ds = data.imageDatasetFromDirectory(root, { shuffle: false, imageSize: [3, 4], batchSize: 10 });
    expect(ds.classNames).toEqual(['birds', 'cats', 'dogs']);
    expect(ds.filePaths.map((p) => p.slice(root.length + 1))).toEqual([
      'birds/z.png',
      'cats/a.png',
      'cats/b.png',
      'cats/more/c.PNG',
      'dogs/x.png',
      'dogs/y.bmp',
    ]);
    expect(ds.size).toBe(1);
    const [[x, y]] = await collect(ds);
    expect(x.shape).toEqual([6, 3, 4, 3]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([0, 1, 1, 1, 2, 2]);
    expect(firstValues(x).slice(0, 5)).toEqual([30, 10, 11, 12, 20]); // grey repeated, RGBA's alpha dropped
  });

  it('label modes, grayscale, batches and single elements', async () => {
    const cat = await collect(
      data.imageDatasetFromDirectory(root, { shuffle: false, imageSize: [2, 2], labelMode: 'categorical', colorMode: 'grayscale', batchSize: 4 }),
    );
    expect(cat.map(([x]) => x.shape)).toEqual([
      [4, 2, 2, 1],
      [2, 2, 2, 1],
    ]);
    expect(cat[0][1].arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    const two = await collect(
      data.imageDatasetFromDirectory(root, { shuffle: false, imageSize: [2, 2], labelMode: 'binary', classNames: ['dogs', 'birds'], batchSize: 8 }),
    );
    expect(two[0][1].shape).toEqual([3, 1]);
    expect(Array.from(two[0][1].dataSync())).toEqual([0, 0, 1]);
    const single = await collect(data.imageDatasetFromDirectory(root, { shuffle: false, imageSize: [2, 2], batchSize: null, numWorkers: 0 }));
    expect(single.length).toBe(6);
    expect(single[0][0].shape).toEqual([2, 2, 3]);
    expect(single[0][1].shape).toEqual([]);
    const unlabeled: Tensor[] = [];
    for await (const x of data.imageDatasetFromDirectory(root, { labels: null, shuffle: false, imageSize: [2, 2] })) unlabeled.push(x as Tensor);
    expect(unlabeled[0].shape).toEqual([7, 2, 2, 3]); // without inferred classes os.walk reads every folder, .hidden too
    const explicit = await collect(data.imageDatasetFromDirectory(join(root, 'cats'), { labels: [2, 0, 1], shuffle: false, imageSize: [2, 2] }));
    expect(Array.from(explicit[0][1].dataSync())).toEqual([2, 0, 1]); // a.png, b.png, more/c.PNG
  });

  it('splits after a seeded shuffle: the subsets are disjoint and cover every file; "both" gives both', async () => {
    const [train, val] = data.imageDatasetFromDirectory(root, { validationSplit: 0.34, subset: 'both', seed: 5, imageSize: [2, 2] });
    expect(val.filePaths.length).toBe(2); // int(0.34 * 6)
    expect(train.filePaths.length).toBe(4);
    expect([...train.filePaths, ...val.filePaths].sort()).toEqual(data.imageDatasetFromDirectory(root, { shuffle: false }).filePaths.slice().sort());
    const alone = data.imageDatasetFromDirectory(root, { validationSplit: 0.34, subset: 'validation', seed: 5, imageSize: [2, 2] });
    expect(alone.filePaths).toEqual(val.filePaths);
    // Each pass reshuffles the training files; every file comes once.
    const pass = async () => (await collect(train)).flatMap(([x]) => firstValues(x));
    const a = await pass(),
      b = await pass();
    expect(a.slice().sort()).toEqual(b.slice().sort());
  });

  it('resizes bilinearly (half-pixel centres) and crops to the aspect ratio', async () => {
    const [[x]] = await collect(data.imageDatasetFromDirectory(root, { shuffle: false, imageSize: [5, 5], cropToAspectRatio: true, interpolation: 'nearest' }));
    expect(x.shape).toEqual([6, 5, 5, 3]);
  });

  it("a corrupt file: 'raise' names it, 'warn' names it and skips it", async () => {
    const bad = folder();
    writeFileSync(join(bad, 'dogs', 'broken.png'), Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]));
    await expect(collect(data.imageDatasetFromDirectory(bad, { shuffle: false, imageSize: [2, 2] }))).rejects.toThrow(
      /broken.png: corrupt or unsupported PNG file.*onError: 'warn'/,
    );
    const warnings: string[] = [];
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string) => void warnings.push(w)) as never);
    const batches = await collect(data.imageDatasetFromDirectory(bad, { shuffle: false, imageSize: [2, 2], onError: 'warn', batchSize: 100 }));
    spy.mockRestore();
    expect(batches[0][0].shape[0]).toBe(6);
    expect(warnings).toEqual([expect.stringMatching(/skipping .*dogs\/broken.png: .*corrupt or unsupported PNG/)]);
  });

  it('follows links to folders only when asked', async () => {
    const linked = folder();
    const outside = mkdtempSync(join(tmpdir(), 'tessera-linked-'));
    writePng(join(outside, 'far.png'), 40);
    symlinkSync(outside, join(linked, 'cats', 'link'));
    expect(data.imageDatasetFromDirectory(linked, { shuffle: false }).filePaths.length).toBe(6);
    expect(data.imageDatasetFromDirectory(linked, { shuffle: false, followLinks: true }).filePaths.length).toBe(7);
  });

  it('leaks no tensors and stops its workers when a pass is left early', async () => {
    const before = liveTensors();
    for await (const [x, y] of data.imageDatasetFromDirectory(root, { imageSize: [2, 2], batchSize: 2, seed: 1 }) as AsyncIterable<[Tensor, Tensor]>) {
      x.dispose();
      y.dispose();
      break;
    }
    expect(liveTensors()).toBe(before);
  });

  it('bad folders and options: clear messages', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tessera-empty-'));
    expect(() => data.imageDatasetFromDirectory(join(empty, 'nope'))).toThrow(/data.imageDatasetFromDirectory: cannot read the folder .*nope/);
    expect(() => data.imageDatasetFromDirectory(empty)).toThrow(/labels 'inferred' needs class subfolders in .*, found none/);
    mkdirSync(join(empty, 'a'));
    expect(() => data.imageDatasetFromDirectory(empty)).toThrow(
      /no images found in .* \(in its class folders \['a'\]\); allowed formats: .bmp, .gif, .jpeg, .jpg, .png/,
    );
    expect(() => data.imageDatasetFromDirectory(root, { labelMode: 'binary' })).toThrow(/labelMode 'binary' needs exactly 2 classes, got 3/);
    expect(() => data.imageDatasetFromDirectory(root, { classNames: ['cats', 'fish'] })).toThrow(
      /classNames must name distinct subfolders .*expected a subset of \['birds', 'cats', 'dogs'\]/,
    );
    expect(() => data.imageDatasetFromDirectory(root, { validationSplit: 0.2, subset: 'training' })).toThrow(
      /pass a seed so that the training and validation subsets do not overlap/,
    );
    expect(() => data.imageDatasetFromDirectory(root, { validationSplit: 0.2 })).toThrow(/validationSplit needs subset/);
    expect(() => data.imageDatasetFromDirectory(root, { subset: 'training' })).toThrow(/subset 'training' \(a string\) needs validationSplit/);
    expect(() => data.imageDatasetFromDirectory(root, { validationSplit: 1, subset: 'both', seed: 1 })).toThrow(/validationSplit between 0 and 1/);
    expect(() => data.imageDatasetFromDirectory(root, { labels: [0, 1] })).toThrow(/expected as many labels as image files found .* \(7\), got 2 labels/);
    expect(() => data.imageDatasetFromDirectory(root, { labels: null, classNames: ['cats'] })).toThrow(/classNames applies only with labels 'inferred'/);
    expect(() => data.imageDatasetFromDirectory(root, { imageSize: [0, 2] })).toThrow(/imageSize to be \[height, width\]/);
    expect(() => data.imageDatasetFromDirectory(root, { interpolation: 'area' as never })).toThrow(
      /'area' is a Keras interpolation Tessera does not implement/,
    );
    expect(() => data.imageDatasetFromDirectory(root, { onError: 'ignore' as never })).toThrow(/expected onError 'raise' or 'warn'/);
    expect(() => data.imageDatasetFromDirectory(root, { batch_size: 2, imageSise: [2, 2] } as never)).toThrow(
      /unknown option 'imageSise'; did you mean 'imageSize'/,
    );
  });
});

describe('decoding workers', () => {
  it('do not keep the process alive when a pass is abandoned without return()', () => {
    const root = folder();
    const r = runTsBody(
      `(async () => {
         const it = ts.data.imageDatasetFromDirectory(${JSON.stringify(root)}, { imageSize: [2, 2], batchSize: 1, numWorkers: 2 })[Symbol.asyncIterator]();
         const first = await it.next();
         console.log('got', first.value[0].shape.join('x'));
       })();`,
      [],
      60_000,
    );
    expect({ out: r.stdout, ended: howItEnded(r) }).toEqual({ out: expect.stringContaining('got 1x2x2x3'), ended: 'exit 0' });
  });

  it("find their codecs from any working directory (their require is the library's, not the process's)", () => {
    const root = folder();
    const r = runTsBody(
      `ts.data.imageDatasetFromDirectory(${JSON.stringify(root)}, { imageSize: [2, 2], batchSize: 6, shuffle: false, numWorkers: 1 })
         .toArray().then((b) => console.log('shape', b[0][0].shape.join('x')));`,
      [],
      60_000,
      tmpdir(),
    );
    expect({ out: r.stdout, err: r.stderr, ended: howItEnded(r) }).toEqual({ out: 'shape 6x2x2x3\n', err: '', ended: 'exit 0' });
  });
});
