// Damaged copies of a file's bytes for the corrupted-file sweep: truncations, byte flips,
// zeroed ranges and swapped blocks, at positions drawn from a fixed seed so every run
// makes the same cases.
import { mulberry32 } from '../../../src/tensor/seeded_random';

/** One damaged version of a file. */
export interface Damage {
  /** 'truncate@120', 'flip@37^0x5a', ... */
  what: string;
  bytes: Uint8Array;
  /** The byte ranges [start, end) that differ from the original (for classifying silent loads). */
  touched: [number, number][];
}

/** A small deterministic generator: the library's own shuffling generator. */
export const seeded = mulberry32;

export interface DamageCounts {
  truncations: number;
  flips: number;
  zeroed: number;
  swaps: number;
}

/** Damaged versions of `original`; `seed` varies the positions between files. */
export function damages(original: Uint8Array, seed: number, n: DamageCounts): Damage[] {
  const rand = seeded(seed);
  const len = original.length;
  const at = (max: number) => Math.floor(rand() * max);
  const out: Damage[] = [];
  // Truncations: empty, inside the first bytes (headers), spread over the file, one short.
  const cuts = new Set([0, Math.min(8, len - 1), len - 1]);
  for (let i = 1; cuts.size < n.truncations && i < 4 * n.truncations; i++) cuts.add(Math.floor((len * i) / (n.truncations + 1)) + at(7));
  for (const c of [...cuts].filter((c) => c >= 0 && c < len).sort((a, b) => a - b))
    out.push({ what: `truncate@${c}`, bytes: original.slice(0, c), touched: [[c, len]] });
  for (let i = 0; i < n.flips; i++) {
    const p = at(len);
    const mask = 1 + at(255);
    const bytes = original.slice();
    bytes[p] ^= mask;
    out.push({ what: `flip@${p}^0x${mask.toString(16)}`, bytes, touched: [[p, p + 1]] });
  }
  for (let i = 0; i < n.zeroed; i++) {
    const size = Math.min(len, 4 + at(252));
    const p = at(len - size + 1);
    const bytes = original.slice();
    bytes.fill(0, p, p + size);
    if (bytes.every((b, j) => b === original[j])) continue;
    out.push({ what: `zero@${p}+${size}`, bytes, touched: [[p, p + size]] });
  }
  for (let i = 0; i < n.swaps; i++) {
    const size = Math.max(1, Math.min(Math.floor(len / 2), 8 + at(56)));
    const a = at(len - 2 * size + 1);
    const b = a + size + at(len - a - 2 * size + 1);
    const bytes = original.slice();
    bytes.set(original.subarray(b, b + size), a);
    bytes.set(original.subarray(a, a + size), b);
    if (bytes.every((x, j) => x === original[j])) continue;
    out.push({
      what: `swap@${a}<->${b}+${size}`,
      bytes,
      touched: [
        [a, a + size],
        [b, b + size],
      ],
    });
  }
  return out;
}
