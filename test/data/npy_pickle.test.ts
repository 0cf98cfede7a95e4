// The readers under Keras's data set loaders: .npy / .npz, the safe pickle reader (it
// rebuilds numpy arrays, lists, dicts and numbers, and refuses any other global or opcode
// with an error, never running anything), and numpy's RandomState shuffle.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { readNpy, readNpz } from '../../src/data/keras/npy';
import { PickledArray, readPickle } from '../../src/data/keras/pickle';
import { RandomState, shuffledIndices } from '../../src/data/keras/random_state';
import { loadBatch } from '../../src/data/keras/cifar';

const FIXTURES = join(__dirname, '..', 'fixtures', 'keras_datasets');
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-npy-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A version 1.0 .npy file: magic, header dict padded to 64 bytes, data.
function npy(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const padded = header.padEnd(64 - 10 - 1) + '\n';
  const head = bytes(`\x93NUMPY${String.fromCharCode(version)}\x00${String.fromCharCode(padded.length)}\x00${padded}`);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

describe('readNpy', () => {
  test('reads numeric arrays of either byte order', () => {
    const le = readNpy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, ), }", Uint8Array.of(1, 0, 0, 0, 255, 255, 255, 255)), 'a.npy');
    expect(le).toEqual({ dtype: 'int32', shape: [2], data: Int32Array.of(1, -1) });
    const be = readNpy(npy("{'descr': '>u2', 'fortran_order': False, 'shape': (), }", Uint8Array.of(1, 2)), 'b.npy');
    expect(be).toEqual({ dtype: 'uint16', shape: [], data: Uint16Array.of(0x0102) });
  });

  test.each([
    [bytes('PK\x03\x04not npy at all'), /a.npy: not a .npy file/],
    [npy("{'descr': '<u1', 'fortran_order': False, 'shape': (2,), }", undefined, 4), /format version 4.0 is not one Tessera reads/],
    [npy("{'descr': '<u1', 'fortran_order': False}"), /lacks its descr, fortran_order or shape/],
    [
      npy("{'descr': '<u1', 'fortran_order': False, 'shape': (2, 3), }", Uint8Array.of(1, 2, 3)),
      /shape \[2, 3\] and dtype uint8 needs 6 bytes, but 3 are there/,
    ],
    [npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16)), /dtype '<c16' is not one Tessera reads/],
    [npy("{'descr': '<u1', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(4)), /Fortran-ordered/],
    [
      npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", bytes('\x80\x02]q\x00.')),
      /holds an object array \(a pickle\), which this loader does not expect/,
    ],
    [bytes('\x93NUMPY\x01\x00\xff\x00{'), /truncated in its header/],
  ])('refuses a bad file (%#)', (file, message) => {
    expect(() => readNpy(file, 'a.npy')).toThrow(message);
  });
});

describe('readNpz', () => {
  test('a truncated or damaged .npz is an error naming the loader and the file', () => {
    const whole = readFileSync(join(FIXTURES, 'mnist.npz'));
    writeFileSync(join(dir, 'cut.npz'), whole.subarray(0, whole.length >> 1));
    expect(() => readNpz(join(dir, 'cut.npz'), 'datasets.mnist.loadData')).toThrow(
      /datasets.mnist.loadData: .*cannot read .*cut.npz as an .npz file \(a zip of .npy files\): it is a damaged zip archive: .*truncated/,
    );
    const damaged = Uint8Array.from(whole);
    for (let i = 200; i < 400; i++) damaged[i] ^= 0x5a;
    writeFileSync(join(dir, 'bad.npz'), damaged);
    expect(() => readNpz(join(dir, 'bad.npz'), 'datasets.mnist.loadData')).toThrow(
      /datasets.mnist.loadData: .*bad.npz, member x_train.npy: it is a damaged zip archive: entry 'x_train.npy' cannot be inflated/,
    );
  });

  test('an object array whose pickle names another global is refused, even where objects are allowed', () => {
    const evil = npy(
      "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
      bytes('\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.'),
    );
    writeFileSync(join(dir, 'evil.npz'), zipSync({ 'x.npy': evil }));
    expect(() => readNpz(join(dir, 'evil.npz'), 'datasets.reuters.loadData', true)).toThrow(
      /datasets.reuters.loadData: .*evil.npz, member x.npy: refusing to load the global 'posix.system'.*only rebuilds numpy arrays.*corrupted or malicious/,
    );
  });
});

describe('readPickle', () => {
  test('reads numbers, strings, bytes, lists and dicts (bytes keys as text), as Python does', () => {
    const p = bytes(
      '\x80\x03}q\x00C\x01kq\x01]q\x02(K\x01J\xfe\xff\xff\xffM,\x01Jp\x11\x01\x00\x8a\x06\x00\x00\x00\x00\x00\x01N\x88G?\xf8\x00\x00\x00\x00\x00\x00X\x02\x00\x00\x00\xc3\xa9q\x03es.',
    );
    expect(readPickle(p, 'p')).toEqual(new Map([['k', [1, -2, 300, 70000, 2 ** 40, null, true, 1.5, 'é']]]));
  });

  test("rebuilds a numpy array (numpy 2's protocol 4 pickle)", () => {
    const p = bytes(
      '\x80\x04\x95\x8b\x00\x00\x00\x00\x00\x00\x00\x8c\x16numpy._core.multiarray\x94\x8c\x0c_reconstruct\x94\x93\x94\x8c\x05numpy\x94\x8c\x07ndarray\x94\x93\x94K\x00\x85\x94C\x01b\x94\x87\x94R\x94(K\x01K\x02\x85\x94h\x03\x8c\x05dtype\x94\x93\x94\x8c\x02u1\x94\x89\x88\x87\x94R\x94(K\x03\x8c\x01|\x94NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94b\x89C\x02\x01\x02\x94t\x94b.',
    );
    const a = readPickle(p, 'p') as PickledArray;
    expect(a).toBeInstanceOf(PickledArray);
    expect([a.descr, a.shape, Array.from(a.data as Uint8Array)]).toEqual(['|u1', [2], [1, 2]]);
  });

  test.each([
    ['\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.', /refusing to load the global 'os.system'/],
    ['\x80\x04\x8c\x08builtins\x8c\x04eval\x93.', /refusing to load the global 'builtins.eval'/],
    // Python 3's protocol 2 writes bytes as a call of _codecs.encode: refused as Keras refuses it.
    ['\x80\x02c_codecs\nencode\nq\x00X\x02\x00\x00\x00abq\x01X\x06\x00\x00\x00latin1q\x02\x86q\x03Rq\x04.', /refusing to load the global '_codecs.encode'/],
    ['\x80\x02cnumpy\nndarray\n)\x81.', /the pickle opcode NEWOBJ at byte 18 is not one Tessera's safe reader allows.*corrupted or malicious/],
    ['\x80\x02cnumpy\nndarray\n(K\x00tR.', /calls numpy.ndarray directly/],
    ['\x80\x02\xff.', /the pickle opcode 0xff at byte 2/],
    ['\x80\x02X\xff\x00\x00\x00ab', /the pickle is truncated/],
    ['\x80\x02]q\x00', /the pickle is truncated \(its opcode at byte 5/],
    ['', /truncated/],
    ['\x80\x02h\x05.', /reads memo 5, never stored/],
    ['\x80\x02K\x01K\x02.', /stops with other than one value/],
    ['\x80\x02cnumpy\nndarray', /truncated \(its GLOBAL has no end of line\)/],
  ])('refuses %j', (p, message) => {
    expect(() => readPickle(bytes(p), 'f.pkl')).toThrow(message);
  });
});

test("a CIFAR batch that is not Keras's dict of data and labels is an error naming the file", () => {
  writeFileSync(join(dir, 'list_batch'), bytes('\x80\x02]q\x00.'));
  expect(() => loadBatch('datasets.cifar10.loadData', join(dir, 'list_batch'), 'labels')).toThrow(
    /cifar10.loadData: .*list_batch should hold a dict of data and labels/,
  );
  writeFileSync(join(dir, 'evil_batch'), bytes('\x80\x02}q\x00U\x04dataq\x01csubprocess\nPopen\nq\x02s.'));
  expect(() => loadBatch('datasets.cifar10.loadData', join(dir, 'evil_batch'), 'labels')).toThrow(/evil_batch: refusing to load the global 'subprocess.Popen'/);
  expect(() => loadBatch('datasets.cifar10.loadData', join(dir, 'missing'), 'labels')).toThrow(/cifar10.loadData: cannot read the batch .*missing/);
});

test.each(['cifar_batch_protocol0.pkl', 'cifar_batch_protocol1.pkl'])(
  "a batch pickled with Python 2's text protocols (%s): Keras's load_batch values",
  (name) => {
    const want = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')).cifar_batch_protocols[name];
    const { pixels, labels } = loadBatch('datasets.cifar10.loadData', join(FIXTURES, name), 'labels');
    const v = Array.from(pixels);
    expect([v.length, v.reduce((a, b) => a + b, 0), v.reduce((a, b, i) => a + b * ((i % 9973) + 1), 0)]).toEqual([3072, want.x.sum, want.x.weighted]);
    expect(labels).toEqual(want.y);
    const d = readPickle(readFileSync(join(FIXTURES, name)), name) as Map<string, unknown>;
    expect([new TextDecoder().decode(d.get('batch_label') as Uint8Array), d.get('scale')]).toEqual(['it\'s "quoted"\n', 0.5]);
  },
);

test.each([
  ["(S'abc\n", /a STRING that is not quoted/],
  ["S'\\q'\n.", /the escape \\q in a STRING/],
  ['I12x\n.', /INT '12x' is not an integer/],
  ['L99999999999999999999L\n.', /beyond 2\^53/],
  ['g7\n.', /reads memo 7, never stored/],
])('refuses a damaged text-protocol pickle %j', (p, message) => {
  expect(() => readPickle(bytes(p), 'f.pkl')).toThrow(message);
});

test("RandomState(seed).shuffle: numpy's permutations (printed by numpy 2.4)", () => {
  const r = new RandomState(113);
  expect(Array.from(shuffledIndices(10, r))).toEqual([9, 3, 6, 1, 0, 7, 4, 8, 2, 5]);
  expect(Array.from(shuffledIndices(7, r))).toEqual([5, 1, 0, 3, 6, 4, 2]); // the same generator, continued
  expect(Array.from(shuffledIndices(1000, new RandomState(4294967295)).subarray(0, 8))).toEqual([94, 405, 819, 632, 217, 169, 449, 275]);
});
