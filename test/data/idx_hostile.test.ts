// Hostile IDX files: a gzip bomb stops at the size the header declares.
import { gzipSync } from 'node:zlib';
import { parseIdx } from '../../src/data';

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
