// The WAV decoder of audioDatasetFromDirectory: files written by Python's `wave` module (and
// one float file built after the RIFF layout), then hostile headers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../src/data/wav';

const DIR = join(__dirname, '..', 'fixtures', 'audio');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { rate: number; channels: number; samples: number[][] }>;
const decode = (bytes: Uint8Array, max: number | null = null) => decodeWav('test', 'x.wav', bytes, max);

// A RIFF/WAVE file from its chunks: [id, body] pairs.
function riff(chunks: [string, Uint8Array, number?][]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('WAVE')];
  for (const [id, body, declared] of chunks) {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(declared ?? body.length, 4);
    parts.push(head, Buffer.from(body));
    if (body.length % 2 === 1) parts.push(Buffer.alloc(1));
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([head, body]));
}
function fmt(format: number, channels: number, rate: number, bits: number, align = (channels * bits) / 8): Uint8Array {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(format, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE(rate * align, 8);
  b.writeUInt16LE(align, 12);
  b.writeUInt16LE(bits, 14);
  return new Uint8Array(b);
}
const pcm16 = (...values: number[]) => {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, i * 2));
  return new Uint8Array(b);
};

describe('decodeWav', () => {
  it.each(Object.keys(expected))('reads %s as Python wave wrote it, scaled as tf.audio.decode_wav', (name) => {
    const want = expected[name];
    const wav = decode(readFileSync(join(DIR, 'formats', name)));
    expect(wav.sampleRate).toBe(want.rate);
    expect(wav.channels).toBe(want.channels);
    expect(wav.frames).toBe(want.samples.length);
    expect(Array.from(wav.samples)).toEqual(want.samples.flat().map((v) => Math.fround(v)));
  });

  it('converts only the first maxFrames frames', () => {
    const wav = decode(readFileSync(join(DIR, 'formats', 'pcm16_stereo.wav')), 2);
    expect(wav.frames).toBe(2);
    expect(wav.samples).toHaveLength(4);
  });

  it('skips unknown chunks (odd sizes padded) and reads a WAVE_FORMAT_EXTENSIBLE header', () => {
    const ext = Buffer.alloc(40);
    Buffer.from(fmt(0xfffe, 1, 8000, 16)).copy(ext);
    ext.writeUInt16LE(22, 16);
    ext.writeUInt16LE(1, 24); // sub-format GUID opens with PCM's code
    const wav = decode(
      riff([
        ['LIST', new Uint8Array(3)],
        ['fmt ', new Uint8Array(ext)],
        ['data', pcm16(16384, -16384)],
      ]),
    );
    expect(Array.from(wav.samples)).toEqual([0.5, -0.5]);
  });

  it('refuses what it cannot read with a clear error', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(4), /'x\.wav' is not a WAV file it can read: expected a 'RIFF' header of type 'WAVE', got 4 bytes/],
      [new Uint8Array(Buffer.from('RIFF\0\0\0\0AVI LIST')), /'RIFF' \/ 'AVI '/],
      [riff([['data', pcm16(1)]]), /'data' chunk comes before any 'fmt ' chunk/],
      [riff([['fmt ', fmt(1, 1, 8000, 16)]]), /no 'data' chunk/],
      [riff([['LIST', new Uint8Array(2)]]), /no 'fmt ' chunk/],
      [
        riff([
          ['fmt ', fmt(1, 1, 8000, 12)],
          ['data', pcm16(1)],
        ]),
        /12-bit PCM samples are not supported \(PCM: 8, 16, 24 or 32 bits\)/,
      ],
      [
        riff([
          ['fmt ', fmt(3, 1, 8000, 64)],
          ['data', new Uint8Array(8)],
        ]),
        /64-bit float samples are not supported \(float: 32 bits\)/,
      ],
      [
        riff([
          ['fmt ', fmt(6, 1, 8000, 8)],
          ['data', new Uint8Array(2)],
        ]),
        /format code 6 is not supported/,
      ],
      [
        riff([
          ['fmt ', fmt(1, 0, 8000, 16, 2)],
          ['data', pcm16(1)],
        ]),
        /declares 0 channels/,
      ],
      [
        riff([
          ['fmt ', fmt(1, 1, 0, 16)],
          ['data', pcm16(1)],
        ]),
        /sampling rate of 0/,
      ],
      [
        riff([
          ['fmt ', fmt(1, 2, 8000, 16, 2)],
          ['data', pcm16(1)],
        ]),
        /block align is 2 bytes, expected 2 channels x 2 bytes = 4/,
      ],
      [
        riff([
          ['fmt ', fmt(1, 1, 8000, 16)],
          ['data', pcm16(1, 2), 0xffffffff],
        ]),
        /'data' chunk declares 4294967295 bytes but only 4 follow/,
      ],
      [
        riff([
          ['fmt ', fmt(1, 2, 8000, 16)],
          ['data', pcm16(1, 2, 3)],
        ]),
        /holds 6 bytes, not a whole number of 4-byte frames/,
      ],
      [
        riff([
          ['fmt ', new Uint8Array(8)],
          ['data', pcm16(1)],
        ]),
        /'fmt ' chunk declares 8 bytes \(16 or more needed/,
      ],
      [riff([['fmt ', fmt(1, 1, 8000, 16), 0x7fffffff]]), /'fmt ' chunk declares 2147483647 bytes/],
      [
        riff([
          ['fmt ', fmt(0xfffe, 1, 8000, 16)],
          ['data', pcm16(1)],
        ]),
        /extensible 'fmt ' chunk declares 16 bytes, 40 needed/,
      ],
    ];
    for (const [bytes, message] of cases) expect(() => decode(bytes)).toThrow(message);
  });

  it('walks a huge declared chunk size off the end instead of allocating', () => {
    const bytes = riff([
      ['fmt ', fmt(1, 1, 8000, 16)],
      ['junk', new Uint8Array(2), 0xfffffff0],
      ['data', pcm16(1)],
    ]);
    expect(() => decode(bytes)).toThrow(/no 'data' chunk/);
  });
});
