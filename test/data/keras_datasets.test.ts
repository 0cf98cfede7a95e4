// ts.datasets' Keras loaders read tiny files in the exact formats of Keras's downloads
// (scripts/fixtures/make_keras_datasets_fixtures.py) and return what Keras 3's own
// loaders return for the same files (expected.json). getFile is the real one, serving the
// fixture from a file:// URL into a temporary cache: no network in tests.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from '../../src';
import type { GetFileOptions } from '../../src/utils/get_file';

jest.mock('../../src/utils/get_file', () => ({ getFile: jest.fn() }));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the mocked module, read after jest.mock replaced it
const { getFile } = require('../../src/utils/get_file') as { getFile: jest.Mock };
const realGetFile = (jest.requireActual('../../src/utils/get_file') as typeof import('../../src/utils/get_file')).getFile;

const FIXTURES = join(__dirname, '..', 'fixtures', 'keras_datasets');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const KERAS = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';
let cache: string;

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'tessera-keras-datasets-'));
  getFile.mockReset();
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

// getFile fetches `fixture` instead of Keras's URL; a Keras hash is swapped for the
// fixture's own unless `keepHash` (the wrong-hash case).
function serve(fixture: (fname: string) => string, keepHash = false): void {
  getFile.mockImplementation(async (fname: string, _origin: string, options: GetFileOptions) => {
    const file = fixture(fname);
    const fileHash = options.fileHash && !keepHash ? sha256(file) : options.fileHash;
    return realGetFile(fname, pathToFileURL(file).href, { ...options, fileHash, cacheDir: cache });
  });
}

type Expected = { shape: number[]; data?: number[]; sum?: number; weighted?: number; head?: number[] };

// A tensor against Keras's array: its shape, and its values (or their digest).
function same(t: ts.Tensor, e: Expected, dtype: string): void {
  expect(t.shape).toEqual(e.shape);
  expect(t.dtype).toBe(dtype);
  const v = Array.from(t.dataSync() as ArrayLike<number>);
  if (e.data !== undefined) {
    if (dtype === 'float32') v.forEach((x, i) => expect(x).toBeCloseTo(e.data![i], 2));
    else expect(v).toEqual(e.data);
  } else {
    expect(v.reduce((a, b) => a + b, 0)).toBeCloseTo(e.sum!, 0);
    expect(v.reduce((a, b, i) => a + b * ((i % 9973) + 1), 0)).toBeCloseTo(e.weighted!, dtype === 'float32' ? -3 : 0);
    expect(v.slice(0, 16).map(Math.floor)).toEqual(e.head);
  }
  t.dispose();
}

function sameSplits(got: [[ts.Tensor, ts.Tensor], [ts.Tensor, ts.Tensor]], want: Expected[][], xDtype: string, yDtype = 'int32'): void {
  same(got[0][0], want[0][0], xDtype);
  same(got[0][1], want[0][1], yDtype);
  same(got[1][0], want[1][0], xDtype);
  same(got[1][1], want[1][1], yDtype);
}

test("mnist.loadData: Keras's file, URL and hash; Keras's arrays, uint8 as int32", async () => {
  serve(() => join(FIXTURES, 'mnist.npz'));
  sameSplits(await ts.datasets.mnist.loadData(), expected.mnist, 'int32');
  expect(getFile).toHaveBeenCalledWith('mnist.npz', `${KERAS}mnist.npz`, { fileHash: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1' });
});

test('mnist.loadData({path}): a name below the datasets folder, or an absolute path, as os.path.join reads it', async () => {
  serve(() => join(FIXTURES, 'mnist.npz'));
  const hash = '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1';
  (await ts.datasets.mnist.loadData({ path: 'mine/m.npz' })).flat().forEach((t) => t.dispose());
  expect(getFile).toHaveBeenLastCalledWith('m.npz', `${KERAS}mnist.npz`, { fileHash: hash, cacheSubdir: 'datasets/mine' });
  (await ts.datasets.mnist.loadData({ path: join(cache, 'abs', 'm.npz') })).flat().forEach((t) => t.dispose());
  expect(getFile).toHaveBeenLastCalledWith('m.npz', `${KERAS}mnist.npz`, { fileHash: hash, cacheSubdir: join(cache, 'abs') });
  expect(readFileSync(join(cache, 'abs', 'm.npz'))).toEqual(readFileSync(join(FIXTURES, 'mnist.npz')));
});

test("a download that does not match Keras's hash is refused and deleted", async () => {
  serve(() => join(FIXTURES, 'mnist.npz'), true);
  await expect(ts.datasets.mnist.loadData()).rejects.toThrow(/sha256 hash [0-9a-f]+ does not match fileHash 731c5ac6.*the download was deleted/);
});

describe('fashionMnist.loadData', () => {
  const saved = process.env.TESSERA_FASHION_MNIST;
  afterEach(() => {
    if (saved === undefined) delete process.env.TESSERA_FASHION_MNIST;
    else process.env.TESSERA_FASHION_MNIST = saved;
  });

  test('reads the local files when $TESSERA_FASHION_MNIST holds them, without downloading', async () => {
    process.env.TESSERA_FASHION_MNIST = join(FIXTURES, 'fashion-mnist');
    sameSplits(await ts.datasets.fashionMnist.loadData(), expected.fashion_mnist, 'int32');
    expect(getFile).not.toHaveBeenCalled();
  });

  test("downloads Keras's four files into datasets/fashion-mnist otherwise", async () => {
    process.env.TESSERA_FASHION_MNIST = join(cache, 'nothing-here');
    serve((fname) => join(FIXTURES, 'fashion-mnist', fname));
    sameSplits(await ts.datasets.fashionMnist.loadData(), expected.fashion_mnist, 'int32');
    expect(getFile.mock.calls.map((c) => c.slice(0, 3))).toEqual(
      ['train-labels-idx1-ubyte', 'train-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 't10k-images-idx3-ubyte'].map((f) => [
        `${f}.gz`,
        `${KERAS}${f}.gz`,
        { cacheSubdir: 'datasets/fashion-mnist' },
      ]),
    );
  });
});

test.each([
  ['default', {}],
  ['split', { testSplit: 0.35, seed: 7 }],
  ['nosplit', { testSplit: 0, seed: 0 }],
])('bostonHousing.loadData %s: float64, shuffled and split as Keras', async (key, options) => {
  serve(() => join(FIXTURES, 'boston_housing.npz'));
  sameSplits(await ts.datasets.bostonHousing.loadData(options), expected.boston_housing[key], 'float64', 'float64');
  expect(getFile).toHaveBeenCalledWith('boston_housing.npz', `${KERAS}boston_housing.npz`, {
    fileHash: 'f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5',
  });
});

test.each([
  ['large', {}],
  ['small', { version: 'small' as const, testSplit: 0.1, seed: 42 }],
])('californiaHousing.loadData %s: the float32 file, shuffled and split as Keras', async (key, options) => {
  serve(() => join(FIXTURES, 'california_housing.npz'));
  sameSplits(await ts.datasets.californiaHousing.loadData(options), expected.california_housing[key], 'float32', 'float32');
  expect(getFile).toHaveBeenCalledWith('california_housing.npz', `${KERAS}california_housing.npz`, {
    fileHash: '1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f',
  });
});

const SEQ_CASES: [string, Record<string, unknown>][] = [
  ['default', {}],
  ['vocab', { numWords: 12, skipTop: 5, seed: 3 }],
  ['maxlen', { maxlen: 8, startChar: null, oovChar: null, indexFrom: 0 }],
  ['nooov', { numWords: 15, oovChar: null, startChar: 7, indexFrom: 1 }],
];

function sameSequences(got: [[number[][], ts.Tensor], [number[][], ts.Tensor]], want: [[number[][], Expected], [number[][], Expected]]): void {
  expect(got[0][0]).toEqual(want[0][0]);
  expect(got[1][0]).toEqual(want[1][0]);
  same(got[0][1], want[0][1], 'int32');
  same(got[1][1], want[1][1], 'int32');
}

test.each(SEQ_CASES)("imdb.loadData %s: np.savez's object arrays, reindexed as Keras", async (key, options) => {
  serve(() => join(FIXTURES, 'imdb.npz'));
  sameSequences(await ts.datasets.imdb.loadData(options), expected.imdb[key]);
  expect(getFile).toHaveBeenCalledWith('imdb.npz', `${KERAS}imdb.npz`, { fileHash: '69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f' });
});

test.each([...SEQ_CASES, ['split', { testSplit: 0.5, seed: 9 }] as [string, Record<string, unknown>]])(
  'reuters.loadData %s: a Python 2 pickle inside the npz, split as Keras',
  async (key, options) => {
    serve(() => join(FIXTURES, 'reuters.npz'));
    sameSequences(await ts.datasets.reuters.loadData(options), expected.reuters[key]);
    expect(getFile).toHaveBeenCalledWith('reuters.npz', `${KERAS}reuters.npz`, {
      fileHash: 'd6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916',
    });
  },
);

test('imdb.loadData: a maxlen that keeps nothing is an error, as in Keras', async () => {
  serve(() => join(FIXTURES, 'imdb.npz'));
  await expect(ts.datasets.imdb.loadData({ maxlen: 1 })).rejects.toThrow(/no sequence was kept. Increase maxlen/);
  serve(() => join(FIXTURES, 'reuters.npz'));
  await expect(ts.datasets.reuters.loadData({ maxlen: 1 })).rejects.toThrow(/no sequence was kept/);
});

test("getWordIndex: Keras's JSON (md5-checked) as a Map; getLabelNames: the 46 topics", async () => {
  serve((fname) => join(FIXTURES, fname));
  const index = await ts.datasets.imdb.getWordIndex();
  expect(index).toEqual(
    new Map([
      ['the', 1],
      ['and', 2],
      ['a', 3],
      ['of', 4],
      ['__proto__', 5],
    ]),
  );
  expect(index.get('__proto__')).toBe(5);
  expect(getFile).toHaveBeenLastCalledWith('imdb_word_index.json', `${KERAS}imdb_word_index.json`, { fileHash: 'bfafd718b763782e994055a2d397834f' });
  expect((await ts.datasets.reuters.getWordIndex()).get('of')).toBe(4);
  expect(getFile).toHaveBeenLastCalledWith('reuters_word_index.json', `${KERAS}reuters_word_index.json`, { fileHash: '4d44cc38712099c9e383dc6e5f11a921' });
  const names = ts.datasets.reuters.getLabelNames();
  expect([names.length, names[0], names[3], names[45]]).toEqual([46, 'cocoa', 'earn', 'lead']);
});

test('cifar10.loadData: the Toronto tar.gz extracted, its Python 2 pickles read, NHWC as Keras', async () => {
  serve(() => join(FIXTURES, 'cifar-10-python.tar.gz'));
  sameSplits(await ts.datasets.cifar10.loadData(), expected.cifar10, 'int32');
  expect(getFile).toHaveBeenCalledWith('cifar-10-batches-py-target', 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz', {
    extract: true,
    fileHash: '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce',
  });
});

test.each(['fine', 'coarse'] as const)('cifar100.loadData labelMode %s', async (labelMode) => {
  serve(() => join(FIXTURES, 'cifar-100-python.tar.gz'));
  sameSplits(await ts.datasets.cifar100.loadData(labelMode === 'fine' ? {} : { labelMode }), expected.cifar100[labelMode], 'int32');
  expect(getFile).toHaveBeenCalledWith('cifar-100-python-target', 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz', {
    extract: true,
    fileHash: '85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7',
  });
});

test('cifar10.loadData under channelsFirst: [n, 3, 32, 32], the file rows as they are', async () => {
  serve(() => join(FIXTURES, 'cifar-10-python.tar.gz'));
  const before = ts.config.imageDataFormat();
  ts.config.setImageDataFormat('channelsFirst');
  try {
    const [[x, y], [xt, yt]] = await ts.datasets.cifar10.loadData();
    expect(x.shape).toEqual([10, 3, 32, 32]);
    const nhwc = ts.transpose(x, [0, 2, 3, 1]);
    x.dispose();
    same(nhwc, expected.cifar10[0][0], 'int32');
    [y, xt, yt].forEach((t) => t.dispose());
  } finally {
    ts.config.setImageDataFormat(before);
  }
});

// Options are checked before anything is downloaded.
// A public function called with arguments its type does not allow.
const loose = (f: unknown) => f as (...args: unknown[]) => unknown;

test.each([
  [() => ts.datasets.mnist.loadData({ pth: 'x' } as never), /datasets.mnist.loadData: unknown option 'pth'/],
  [() => ts.datasets.mnist.loadData({ path: 3 } as never), /datasets.mnist.loadData: expected path to be a string/],
  [() => loose(ts.datasets.mnist.loadData)({}, 1), /datasets.mnist.loadData.*2/],
  [() => loose(ts.datasets.fashionMnist.loadData)(1), /datasets.fashionMnist.loadData/],
  [() => ts.datasets.bostonHousing.loadData({ testSplit: 1 }), /bostonHousing.loadData: expected testSplit to be a number from 0 to 1 \(1 excluded\), got 1/],
  [() => ts.datasets.bostonHousing.loadData({ seed: -1 }), /bostonHousing.loadData: expected seed to be an integer from 0 to 2\^32 - 1/],
  [
    () => ts.datasets.californiaHousing.loadData({ version: 'medium' as never }),
    /californiaHousing.loadData: expected version 'small' or 'large', got 'medium'/,
  ],
  [() => ts.datasets.californiaHousing.loadData({ seed: 1.5 }), /californiaHousing.loadData: expected seed/],
  [() => ts.datasets.imdb.loadData({ numWords: 0 }), /imdb.loadData: expected numWords to be an integer of at least 1 or null, got 0/],
  [() => ts.datasets.imdb.loadData({ skipTop: -1 }), /imdb.loadData: expected skipTop/],
  [() => ts.datasets.imdb.loadData({ numWord: 5 } as never), /imdb.loadData: unknown option 'numWord'/],
  [() => ts.datasets.imdb.loadData({ startChar: 'a' as never }), /imdb.loadData: expected startChar/],
  [() => ts.datasets.reuters.loadData({ testSplit: -0.1 }), /reuters.loadData: expected testSplit/],
  [() => ts.datasets.reuters.loadData({ maxlen: 2.5 }), /reuters.loadData: expected maxlen/],
  [() => ts.datasets.imdb.getWordIndex({ path: 3 as never }), /imdb.getWordIndex: expected path/],
  [() => ts.datasets.reuters.getWordIndex({ x: 1 } as never), /reuters.getWordIndex: unknown option 'x'/],
  [() => loose(ts.datasets.cifar10.loadData)(1), /cifar10.loadData/],
  [() => ts.datasets.cifar100.loadData({ labelMode: 'fin' as never }), /cifar100.loadData: expected labelMode 'fine' or 'coarse', got 'fin'/],
  [async () => loose(ts.datasets.reuters.getLabelNames)(1), /reuters.getLabelNames/],
])('bad options %#: %s', async (call, message) => {
  await expect(call()).rejects.toThrow(message);
  expect(getFile).not.toHaveBeenCalled();
});
