// A require hook for child processes and workers that tests spawn: compiles .ts files
// with TypeScript's transpileModule (no type checking, as ts-jest with diagnostics off),
// so a child can load src/ without a dist/ build. Use: node -r test/helpers/register-ts.js.
// Compiled files are cached in the OS temp folder by content hash, so the many workers
// and children a test starts (the sweeps start hundreds) compile src/ once; TypeScript
// itself is loaded only on a cache miss.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tsVersion = require('typescript/package.json').version;
let ts = null;

const cacheDir = path.join(os.tmpdir(), `tessera-ts-cache-${tsVersion}`);

function compile(source, filename) {
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  ts ??= require('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(tmp, outputText);
    fs.renameSync(tmp, cached); // atomic: a concurrent reader sees all or nothing
  } catch {
    // a read-only temp folder only costs the cache
  }
  return outputText;
}

if (!require.extensions['.ts'])
  require.extensions['.ts'] = function compileTs(module, filename) {
    module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
