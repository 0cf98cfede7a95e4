// Hostile IDX files: a gzip bomb stops at the size the header declares, and Fashion-MNIST
// refuses files of another shape or type, or labels outside its classes, naming the file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as fashionMnist from '../../src/data/fashion_mnist';
import { parseIdx, readIdx } from '../../src/data';

const idx = (type: number, shape: number[], body: Uint8Array | number[]) => {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(body)]);
};

describe('gzipped IDX files', () => {
  test('one that inflates past the size its header declares is refused without inflating it all (a gzip bomb)', () => {
    // 64 MiB of zeros after a header of 6 bytes: a 64 KiB file. Inflated whole, it was the
    // header that found it wrong, after allocating everything (gigabytes for a larger bomb).
    const bomb = gzipSync(Buffer.concat([idx(0x08, [2, 3], new Uint8Array(6)), Buffer.alloc(64 * 2 ** 20)]), { level: 9 });
    expect(() => parseIdx(bomb, 'bomb.idx.gz')).toThrow(
      /readIdx: bomb\.idx\.gz inflates to more than the 18 bytes its header declares \(shape \[2, 3\] of ubyte\)/,
    );
  });

  test('one whose header declares more than a Buffer holds is refused before inflating', () => {
    expect(() => parseIdx(gzipSync(idx(0x0d, [65536, 65536], [])), 'big.idx.gz')).toThrow(
      /big\.idx\.gz declares shape \[65536, 65536\] of float \(17179869196 bytes\)/,
    );
  });

  test('a damaged gzip stream names the file', () => {
    const damaged = gzipSync(idx(0x08, [40], new Uint8Array(40).fill(7)));
    damaged[12] ^= 0xff;
    expect(() => parseIdx(damaged, 'x.idx.gz')).toThrow(/readIdx: x\.idx\.gz is a damaged gzip file/);
    expect(() =>
      parseIdx(
        gzipSync(
          idx(
            0x08,
            [4000],
            new Uint8Array(4000).map((_, i) => i * 7919),
          ),
        ).subarray(0, 200),
        'cut.idx.gz',
      ),
    ).toThrow(/readIdx: cut\.idx\.gz is a damaged gzip file \(unexpected end of file\)/);
  });

  test('a valid file still reads, gzipped or not', () => {
    const file = idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(parseIdx(gzipSync(file))).toEqual({ shape: [2, 3], data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
    expect(parseIdx(file)).toEqual({ shape: [2, 3], data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
  });
});

describe('fashionMnist.load of hostile files', () => {
  const folder = (trainImages: Buffer, trainLabels: Buffer) => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-fm-hostile-'));
    const files: [string, Buffer][] = [
      ['train-images-idx3-ubyte', trainImages],
      ['train-labels-idx1-ubyte', trainLabels],
      ['t10k-images-idx3-ubyte', idx(0x08, [1, 2, 2], [0, 0, 0, 0])],
      ['t10k-labels-idx1-ubyte', idx(0x08, [1], [3])],
    ];
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    return dir;
  };
  const images = idx(0x08, [2, 2, 2], new Uint8Array(8));

  test('images that are not [n, height, width] unsigned bytes are refused (they made a tensor of undefined dimensions)', () => {
    const flat = folder(idx(0x08, [8], new Uint8Array(8)), idx(0x08, [8], new Uint8Array(8)));
    expect(() => fashionMnist.load({ path: flat })).toThrow(
      /train-images-idx3-ubyte should hold unsigned bytes of shape \[n, height, width\], but holds uint8 of shape \[8\]/,
    );
    const floats = folder(idx(0x0d, [2, 2, 2], new Uint8Array(32)), idx(0x08, [2], [1, 2]));
    expect(() => fashionMnist.load({ path: floats })).toThrow(/but holds float32 of shape \[2, 2, 2\]/);
  });

  test('labels that are not [n] unsigned bytes of a class are refused (they loaded as they were)', () => {
    expect(() => fashionMnist.load({ path: folder(images, idx(0x08, [2, 1], [1, 2])) })).toThrow(
      /train-labels-idx1-ubyte should hold unsigned bytes of shape \[n\], but holds uint8 of shape \[2, 1\]/,
    );
    expect(() => fashionMnist.load({ path: folder(images, idx(0x08, [2], [1, 200])) })).toThrow(
      /train-labels-idx1-ubyte: label 1 is 200, but the classes are 0-9/,
    );
  });

  test('files of different lengths name both files with their folder', () => {
    const dir = folder(images, idx(0x08, [3], [1, 2, 3]));
    expect(() => fashionMnist.load({ path: dir })).toThrow(
      `${join(dir, 'train-images-idx3-ubyte')} has 2 images but ${join(dir, 'train-labels-idx1-ubyte')} has 3 labels`,
    );
  });

  test('readIdx still reads a valid file', () => {
    const dir = folder(images, idx(0x08, [2], [1, 2]));
    expect(readIdx(join(dir, 'train-labels-idx1-ubyte')).shape).toEqual([2]);
    expect(fashionMnist.load({ path: dir }).train.labels.arraySync()).toEqual([1, 2]);
  });
});
