// Lets a plain `node` child process require the TypeScript sources (src/, test/sweeps/) the
// way ts-jest runs them: each .ts file is transpiled without type checking, and the output
// is cached on disk by content hash, so the sweep's many child processes start in well under
// a second instead of each loading the TypeScript compiler.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), `tessera-ts-cache-${process.getuid ? process.getuid() : 'user'}`);
let ts = null; // loaded on the first cache miss only

function transpile(source, filename) {
  const key = createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // a miss: transpile below
  }
  ts ??= require('typescript');
  const output = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
      sourceMap: false,
    },
  }).outputText;
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written under a unique name, then renamed: parallel children never read half a file.
  const tmp = `${cached}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, output);
  fs.renameSync(tmp, cached);
  return output;
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function loadTs(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
}
