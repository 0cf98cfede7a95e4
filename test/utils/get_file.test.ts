// utils.getFile: downloads from a local http server (and file:// / local paths) into a
// temporary cache, hash checks (hashes by Python's hashlib), and extraction of archives
// made by Python's tarfile / zipfile (scripts/fixtures/make_get_file_fixtures.py).
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from '../../src';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'get_file');
const REF = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'hashes.json'), 'utf8')) as {
  files: Record<string, string>;
  hashes: Record<string, { sha256: string; md5: string }>;
};

let server: Server;
let base = '';
let requests: string[] = [];
let cache = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(FIXTURES, path.basename(req.url ?? ''));
    if (req.url === '/broken') {
      res.statusCode = 404;
      res.statusMessage = 'Not Found';
      return res.end();
    }
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  requests = [];
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-getfile-'));
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(cache, { recursive: true, force: true });
});

describe('utils.getFile', () => {
  it('downloads into cacheDir/datasets once, then reads the cache (unless forceDownload)', async () => {
    const p = await ts.utils.getFile('a.zip', `${base}/data.zip`, { cacheDir: cache });
    expect(p).toBe(path.join(cache, 'datasets', 'a.zip'));
    expect(fs.readFileSync(p)).toEqual(fs.readFileSync(path.join(FIXTURES, 'data.zip')));
    await ts.utils.getFile('a.zip', `${base}/data.zip`, { cacheDir: cache, fileHash: REF.hashes['data.zip'].sha256 });
    expect(requests).toEqual(['/data.zip']);
    await ts.utils.getFile('a.zip', `${base}/data.zip`, { cacheDir: cache, forceDownload: true });
    expect(requests).toHaveLength(2);
    // fname null: the origin's last path part.
    expect(await ts.utils.getFile(null, `${base}/data.zip`, { cacheDir: cache, cacheSubdir: 'sub' })).toBe(path.join(cache, 'sub', 'data.zip'));
  });

  it('checks sha256 and md5 hashes: a mismatch is refused and deleted; a mismatching cached file is fetched again', async () => {
    const { sha256, md5 } = REF.hashes['data.tar.gz'];
    await ts.utils.getFile('t.tgz', `${base}/data.tar.gz`, { cacheDir: cache, fileHash: md5 });
    await ts.utils.getFile('t.tgz', `${base}/data.tar.gz`, { cacheDir: cache, fileHash: sha256, hashAlgorithm: 'sha256' });
    expect(requests).toHaveLength(1);
    await expect(ts.utils.getFile('u.tgz', `${base}/data.zip`, { cacheDir: cache, fileHash: sha256 })).rejects.toThrow(
      new RegExp(
        `utils.getFile: incomplete or corrupted file from ${base}/data.zip: its sha256 hash ${REF.hashes['data.zip'].sha256} does not match fileHash ${sha256}; the download was deleted`,
      ),
    );
    expect(fs.readdirSync(path.join(cache, 'datasets')).sort()).toEqual(['t.tgz']);
    fs.writeFileSync(path.join(cache, 'datasets', 't.tgz'), 'stale');
    await ts.utils.getFile('t.tgz', `${base}/data.tar.gz`, { cacheDir: cache, fileHash: sha256 });
    expect(requests).toHaveLength(3);
    expect(fs.readFileSync(path.join(cache, 'datasets', 't.tgz'))).toEqual(fs.readFileSync(path.join(FIXTURES, 'data.tar.gz')));
  });

  it('extracts .tar.gz and .zip into <stem>_extracted (Keras 3 layout), long tar names too', async () => {
    for (const [fname, file] of [
      ['t.tar.gz', 'data.tar.gz'],
      ['z.zip', 'data.zip'],
    ]) {
      const dir = await ts.utils.getFile(fname, `${base}/${file}`, { cacheDir: cache, extract: true });
      expect(dir).toBe(path.join(cache, 'datasets', `${fname.split('.')[0]}_extracted`));
      for (const [name, text] of Object.entries(REF.files)) expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(text);
    }
    // No fname: the archive is <name>_archive and the folder <name>.
    const dir = await ts.utils.getFile(null, `${base}/long.tar`, { cacheDir: cache, extract: true });
    expect(dir).toBe(path.join(cache, 'datasets', 'long.tar'));
    expect(fs.existsSync(path.join(cache, 'datasets', 'long.tar_archive'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'd', `${'n'.repeat(120)}.txt`), 'utf8')).toBe('long\n');
  });

  it('reads file:// URLs and local paths; does not write members outside the folder, nor links (with a warning)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const dir = await ts.utils.getFile('unsafe.tar', pathToFileURL(path.join(FIXTURES, 'unsafe.tar')).href, { cacheDir: cache, extract: true });
    expect(fs.readFileSync(path.join(dir, 'data', 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(fs.existsSync(path.join(dir, 'data', 'link'))).toBe(false);
    expect(fs.existsSync(path.join(cache, 'datasets', 'outside.txt'))).toBe(false);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/utils.getFile: member '..\/outside.txt' of .*unsafe.tar would be written outside/),
      expect.stringMatching(/utils.getFile: member 'data\/link' of .*unsafe.tar is a link or a special file; it is not extracted/),
    ]);
    expect(await ts.utils.getFile('copy.zip', path.join(FIXTURES, 'data.zip'), { cacheDir: cache })).toBe(path.join(cache, 'datasets', 'copy.zip'));
  });

  it('refuses bad arguments, failed downloads and extracting a non-archive', async () => {
    await expect(ts.utils.getFile('x', `${base}/broken`, { cacheDir: cache })).rejects.toThrow(
      `utils.getFile: URL fetch failure on ${base}/broken: 404 -- Not Found`,
    );
    expect(fs.readdirSync(path.join(cache, 'datasets'))).toEqual([]);
    await expect(ts.utils.getFile('x', 'ftp://host/x', { cacheDir: cache })).rejects.toThrow(/origin 'ftp:\/\/host\/x' is a ftp: URL/);
    await expect(ts.utils.getFile('a/b', `${base}/data.zip`, { cacheDir: cache })).rejects.toThrow(/fname must be a file name, not a path/);
    await expect(ts.utils.getFile('x', `${base}/data.zip`, { cacheDir: cache, fileHash: 'zz' })).rejects.toThrow(
      /expected fileHash to be a hex string, got 'zz'/,
    );
    await expect(ts.utils.getFile('x', `${base}/data.zip`, { cacheDir: cache, hashAlgorithm: 'sha1' as never })).rejects.toThrow(/expected hashAlgorithm/);
    await expect(ts.utils.getFile('x', `${base}/data.zip`, { cache_dir: cache, untar: true } as never)).rejects.toThrow(/untar/);
    await expect(ts.utils.getFile('h.json', `${base}/hashes.json`, { cacheDir: cache, extract: true })).rejects.toThrow(
      /is not a tar, tar.gz or zip archive, so it cannot be extracted/,
    );
    await expect(ts.utils.getFile('z.zip', `${base}/data.zip`, { cacheDir: cache, extract: true, archiveFormat: 'tar' })).rejects.toThrow(
      /is not a tar archive/,
    );
  });
});
