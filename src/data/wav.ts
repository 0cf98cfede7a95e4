// A WAV (RIFF/WAVE) decoder for audioDatasetFromDirectory: PCM integers of 8, 16, 24 or 32
// bits and IEEE floats of 32 bits, any channel count, scaled to float32 in [-1, 1) as
// tf.audio.decode_wav does (int / 2^(bits-1); 8-bit is unsigned, centred on 128). Every size
// a header states is checked against the bytes present before anything is allocated, so a
// hostile header gives a clear error and never a huge allocation.

/** A decoded WAV file: frames x channels samples, interleaved as [frames, channels]. */
export interface Wav {
  /** Frames per second, from the header. */
  sampleRate: number;
  /** Channels per frame. */
  channels: number;
  /** Number of frames read. */
  frames: number;
  /** frames * channels samples, frame by frame. */
  samples: Float32Array;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * Decodes `bytes` (the whole file). `what` names the file in errors; `owner` the function.
 * With `maxFrames`, only the first maxFrames frames are converted.
 */
export function decodeWav(owner: string, what: string, bytes: Uint8Array, maxFrames: number | null = null): Wav {
  const fail = (why: string): never => {
    throw new Error(`${owner}: '${what}' is not a WAV file it can read: ${why}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE')
    fail(`expected a 'RIFF' header of type 'WAVE', got ${bytes.length < 12 ? `${bytes.length} bytes` : `'${tag(0)}' / '${tag(8)}'`}`);
  let fmt: { format: number; channels: number; rate: number; align: number; bits: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const left = bytes.length - body;
    if (id === 'fmt ') {
      if (size < 16 || size > left) fail(`its 'fmt ' chunk declares ${size} bytes (16 or more needed, ${left} present)`);
      let format = view.getUint16(body, true);
      if (format === EXTENSIBLE) {
        // WAVE_FORMAT_EXTENSIBLE: the real format code opens the sub-format GUID at byte 24.
        if (size < 40) fail(`its extensible 'fmt ' chunk declares ${size} bytes, 40 needed`);
        format = view.getUint16(body + 24, true);
      }
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        align: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (fmt === null) return fail("its 'data' chunk comes before any 'fmt ' chunk");
      return samplesOf(fail, view, body, size, left, fmt, maxFrames);
    }
    at = body + size + (size & 1); // chunks are padded to an even size
  }
  return fail(fmt === null ? "no 'fmt ' chunk" : "no 'data' chunk");
}

function samplesOf(
  fail: (why: string) => never,
  view: DataView,
  start: number,
  size: number,
  left: number,
  fmt: { format: number; channels: number; rate: number; align: number; bits: number },
  maxFrames: number | null,
): Wav {
  const { format, channels, rate, align, bits } = fmt;
  if (format !== PCM && format !== IEEE_FLOAT) fail(`format code ${format} is not supported (only PCM integers, code 1, and IEEE floats, code 3)`);
  const allowed = format === PCM ? [8, 16, 24, 32] : [32];
  if (!allowed.includes(bits))
    fail(`${bits}-bit ${format === PCM ? 'PCM' : 'float'} samples are not supported (${format === PCM ? 'PCM: 8, 16, 24 or 32 bits' : 'float: 32 bits'})`);
  if (channels < 1) fail('its header declares 0 channels');
  if (rate < 1) fail('its header declares a sampling rate of 0');
  const width = bits / 8;
  if (align !== channels * width) fail(`its block align is ${align} bytes, expected ${channels} channels x ${width} bytes = ${channels * width}`);
  if (size > left) fail(`its 'data' chunk declares ${size} bytes but only ${left} follow (truncated file?)`);
  if (size % align !== 0) fail(`its 'data' chunk holds ${size} bytes, not a whole number of ${align}-byte frames`);
  const frames = Math.min(size / align, maxFrames ?? Infinity);
  const n = frames * channels;
  const out = new Float32Array(n);
  for (let i = 0, p = start; i < n; i++, p += width) {
    if (format === IEEE_FLOAT) out[i] = view.getFloat32(p, true);
    else if (bits === 8) out[i] = (view.getUint8(p) - 128) / 128;
    else if (bits === 16) out[i] = view.getInt16(p, true) / 32768;
    else if (bits === 24) out[i] = ((view.getUint8(p + 2) << 24) | (view.getUint8(p + 1) << 16) | (view.getUint8(p) << 8)) / 2147483648;
    else out[i] = view.getInt32(p, true) / 2147483648;
  }
  return { sampleRate: rate, channels, frames, samples: out };
}
