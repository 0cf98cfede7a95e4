// Zip archives (a .keras file is one) through fflate, with errors that name the file.
import { unzipSync, zipSync } from 'fflate';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/** The entries of the zip archive in `bytes`. */
export function readZip(source: string, bytes: Uint8Array): Map<string, Uint8Array> {
  if (!ZIP_SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error(`${source} is not a zip archive (a .keras file is one); it is another kind of file or it is damaged`);
  try {
    return new Map(Object.entries(unzipSync(bytes)));
  } catch (e) {
    throw new Error(`${source} is a damaged zip archive: ${(e as Error).message}`);
  }
}

/** A zip archive of `entries` (stored uncompressed, as weights barely compress). */
export function writeZip(entries: Map<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(entries), { level: 0 });
}
