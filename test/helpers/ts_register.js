// Lets a test's child process run the TypeScript sources as ts-jest runs them in the test
// itself: `node -r ./test/helpers/ts_register.js child.ts` transpiles each .ts file as it
// is required (no type checking; tsc does that).
const fs = require('node:fs');
const ts = require('typescript');

const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: options });
  module._compile(outputText, filename);
};
