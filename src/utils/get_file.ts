// Keras's keras.utils.get_file: a file from a URL (http, https; file:// and local paths are
// copied), cached under ~/.tessera/datasets, checked against a sha256 or md5 hash, and
// extracted when asked. The cache is Tessera's own folder (TESSERA_HOME, else ~/.tessera;
// /tmp/.tessera when that cannot be written, as Keras falls back to /tmp/.keras), so that
// Tessera never writes into Keras's ~/.keras.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkBoolean, checkString } from '../options/check_args';
import { describe } from '../tensor/shape';
import { extractArchive, type ArchiveFormat } from './archive';
import { printProgress } from './io_utils';

/** Options of getFile (Keras's names, camelCase). */
export interface GetFileOptions {
  /** The file's expected sha256 or md5 hash (hex); a download that does not match is deleted and refused. */
  fileHash?: string | null;
  /** 'sha256', 'md5' or 'auto' (default: sha256 for a 64-character hash, else md5). */
  hashAlgorithm?: 'auto' | 'sha256' | 'md5';
  /** Extract the archive (.tar, .tar.gz, .tgz, .zip) into a folder, and resolve to the folder (default false). */
  extract?: boolean;
  /** The archive kinds to try: 'auto' (default: tar, then zip), 'tar' or 'zip'. */
  archiveFormat?: ArchiveFormat;
  /** The cache's folder (default: TESSERA_HOME, else ~/.tessera). */
  cacheDir?: string | null;
  /** The folder under cacheDir (default 'datasets'); an absolute path is used as is. */
  cacheSubdir?: string;
  /** Download again even when the file is in the cache (default false). */
  forceDownload?: boolean;
}

const OP = 'utils.getFile';

function cacheHome(): string {
  const home = process.env.TESSERA_HOME ?? path.join(os.homedir(), '.tessera');
  try {
    fs.mkdirSync(home, { recursive: true });
    fs.accessSync(home, fs.constants.W_OK);
    return home;
  } catch {
    return path.join(fs.existsSync('/tmp') ? '/tmp' : os.tmpdir(), '.tessera');
  }
}

function hashOf(file: string, algorithm: 'sha256' | 'md5'): string {
  return createHash(algorithm).update(fs.readFileSync(file)).digest('hex');
}

/** A URL's scheme and what getFile reads: an http(s) URL, or a local file. */
function sourceOf(origin: string): { url: string } | { file: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(origin)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { url: origin };
  if (scheme === 'file') return { file: fileURLToPath(origin) };
  if (scheme !== undefined && scheme.length > 1)
    throw new Error(`${OP}: origin '${origin}' is a ${scheme}: URL; getFile reads http(s) URLs, file:// URLs and local paths`);
  return { file: origin };
}

async function download(origin: string, target: string): Promise<void> {
  const src = sourceOf(origin);
  if ('file' in src) {
    if (!fs.statSync(src.file, { throwIfNoEntry: false })?.isFile()) throw new Error(`${OP}: origin '${origin}' is not a file`);
    fs.copyFileSync(src.file, target);
    return;
  }
  let res: Response;
  try {
    res = await fetch(src.url);
  } catch (e) {
    throw new Error(`${OP}: URL fetch failure on ${origin}: ${(e as Error).message}${(e as Error).cause ? ` (${String((e as Error).cause)})` : ''}`, {
      cause: e,
    });
  }
  // Keras's message: URL fetch failure on <origin>: <code> -- <reason>.
  if (!res.ok) throw new Error(`${OP}: URL fetch failure on ${origin}: ${res.status} -- ${res.statusText}`);
  fs.writeFileSync(target, new Uint8Array(await res.arrayBuffer()));
}

/**
 * Downloads a file from `origin` into the cache unless it is there already (and matches
 * fileHash, when given), resolving to its path; with `extract`, to the folder it was
 * extracted into (`<name>_extracted` beside it, as Keras 3 names it). `fname` null: the
 * last part of origin's path. Downloads are written to `<name>.part` and renamed once
 * complete and checked, so the cache never holds a partial or mismatching file.
 * @example const file = await ts.utils.getFile('mnist.npz', 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz', { fileHash: '731c...' });
 */
export async function getFile(fname: string | null, origin: string, options?: GetFileOptions | null): Promise<string> {
  if (arguments.length > 3) throw tooManyArguments(OP, 3, arguments.length);
  const o = checkOptions(OP, options, OP);
  if (origin === undefined || origin === null) throw new Error(`${OP}: specify the origin (the URL of the file to download)`);
  checkString(OP, 'origin', origin);
  const fileHash = o.fileHash ?? null;
  if (fileHash !== null && (typeof fileHash !== 'string' || !/^[0-9a-f]+$/i.test(fileHash))) {
    throw new Error(`${OP}: expected fileHash to be a hex string, got ${describe(fileHash)}`);
  }
  const requested = o.hashAlgorithm ?? 'auto';
  if (!['auto', 'sha256', 'md5'].includes(requested)) throw new Error(`${OP}: expected hashAlgorithm 'auto', 'sha256' or 'md5', got ${describe(requested)}`);
  const algorithm = requested === 'sha256' || (requested === 'auto' && fileHash?.length === 64) ? 'sha256' : 'md5';
  const extract = checkBoolean(OP, 'extract', o.extract ?? false);
  const archiveFormat = o.archiveFormat ?? 'auto';
  if (!['auto', 'tar', 'zip'].includes(archiveFormat)) throw new Error(`${OP}: expected archiveFormat 'auto', 'tar' or 'zip', got ${describe(archiveFormat)}`);
  const forceDownload = checkBoolean(OP, 'forceDownload', o.forceDownload ?? false);
  const cacheDir = o.cacheDir === undefined || o.cacheDir === null ? cacheHome() : checkString(OP, 'cacheDir', o.cacheDir).replace(/^~(?=$|\/)/, os.homedir());
  const dataDir = path.resolve(cacheDir, checkString(OP, 'cacheSubdir', o.cacheSubdir ?? 'datasets'));
  sourceOf(origin); // an unreadable scheme is refused before anything is written

  let name = fname;
  if (name === null || name === undefined || name === '') {
    name = path.posix.basename(/^https?:/i.test(origin) ? new URL(origin).pathname : origin);
    if (!name) throw new Error(`${OP}: cannot read a file name from the origin '${origin}'; give fname`);
  } else if (typeof name !== 'string') throw new Error(`${OP}: expected fname to be a file name (a string) or null, got ${describe(name)}`);
  else if (name.includes('/') || name.includes(path.sep)) {
    throw new Error(`${OP}: fname must be a file name, not a path (give the folder as cacheDir), got '${name}'`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  // Keras 3's layout: a given name with a suffix is the archive and <stem>_extracted the
  // folder; otherwise the name is the folder and <name>_archive the archive.
  const named = extract && fname !== null && fname !== undefined && fname !== '' && name.includes('.');
  const target = path.join(dataDir, !extract || named ? name : `${name}_archive`);
  const extractDir = path.join(dataDir, named ? `${name.slice(0, name.indexOf('.'))}_extracted` : name);

  let fetchIt = forceDownload || !fs.existsSync(target);
  if (!fetchIt && fileHash !== null && hashOf(target, algorithm) !== fileHash.toLowerCase()) {
    printProgress(
      `A local file was found, but it seems to be incomplete or outdated because the ${algorithm} file hash does not match the original value of ${fileHash} so we will re-download the data.\n`,
    );
    fetchIt = true;
  }
  if (fetchIt) {
    printProgress(`Downloading data from ${origin}\n`);
    const part = `${target}.part`;
    try {
      await download(origin, part);
      if (fileHash !== null) {
        const got = hashOf(part, algorithm);
        if (got !== fileHash.toLowerCase()) {
          throw new Error(
            `${OP}: incomplete or corrupted file from ${origin}: its ${algorithm} hash ${got} does not match fileHash ${fileHash}; the download was deleted`,
          );
        }
      }
      fs.renameSync(part, target);
    } finally {
      fs.rmSync(part, { force: true });
    }
  }
  if (!extract) return target;
  if (!extractArchive(OP, target, extractDir, archiveFormat)) {
    throw new Error(
      `${OP}: ${target} is not a ${archiveFormat === 'auto' ? 'tar, tar.gz or zip' : archiveFormat} archive, so it cannot be extracted; leave extract false to get the file`,
    );
  }
  return extractDir;
}
