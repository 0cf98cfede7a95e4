// Runs TypeScript source in a fresh node process (for tests that must watch a whole
// process: its RSS, a crash), compiling src/ on the fly with TypeScript's transpiler.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

// CommonJS require hook: .ts files are transpiled (no type check) when first required.
const HOOK = `
const fs = require('fs'); const tsc = require('typescript');
require.extensions['.ts'] = (m, file) => m._compile(tsc.transpileModule(fs.readFileSync(file, 'utf8'),
  { compilerOptions: { module: tsc.ModuleKind.CommonJS, target: tsc.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
`;

/**
 * Runs `body` (JavaScript; `ts` is the library) in a child node with `nodeArgs`; its
 * stdout, stderr and exit status come back.
 */
export function runTsChild(body: string, nodeArgs: string[] = [], timeoutMs = 120_000): SpawnSyncReturns<string> {
  const script = `${HOOK}\nconst ts = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});\n${body}`;
  return spawnSync(process.execPath, [...nodeArgs, '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
}
