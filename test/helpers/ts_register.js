// Lets a test's child process run the TypeScript sources as ts-jest runs them in the test
// itself: `node -r ./test/helpers/ts_register.js child.ts` transpiles each .ts file as it
// is required (no type checking; tsc does that). Transpiled files are kept in the system's
// temporary folder, keyed by their contents, so later children start in a second or two.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');

const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
const cacheDir = path.join(os.tmpdir(), `tessera-ts-${ts.version}`);

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = path.join(cacheDir, `${crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex').slice(0, 32)}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, 'utf8');
  } catch {
    js = ts.transpileModule(source, { fileName: filename, compilerOptions: options }).outputText;
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}`;
    fs.writeFileSync(tmp, js);
    fs.renameSync(tmp, cached);
  }
  module._compile(js, filename);
};
