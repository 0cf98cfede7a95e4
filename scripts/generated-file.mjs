// A generated source file: written, or with --check compared with the committed one (CI and
// the tests fail on a stale file rather than build from it). The text is first formatted as
// `npm run format` would format the file (Prettier for TypeScript and JavaScript, clang-format
// for C++ and CUDA), so the lint passes on generated files and --check still holds after a format.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { clangFormatBin, nativeExtensions, prettierBin, root, scriptExtensions } from './style-files.mjs';

function formatted(outPath, text) {
  const ext = extname(outPath);
  const [command, args] = scriptExtensions.includes(ext)
    ? [process.execPath, [prettierBin, '--stdin-filepath', outPath]]
    : nativeExtensions.includes(ext)
      ? [clangFormatBin(), ['--style=file', `--assume-filename=${outPath}`]]
      : [null, null];
  if (!command) return text;
  const r = spawnSync(command, args, { cwd: root, input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`formatting the generated ${outPath} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/** Writes `expected`, formatted, to `outPath`; with --check, exits 1 when the file differs from it. */
export function writeOrCheckGenerated(outPath, expected, { name, command }) {
  const text = formatted(outPath, expected);
  if (!process.argv.includes('--check')) {
    writeFileSync(outPath, text);
    return;
  }
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // no file yet: as stale as a wrong one
  }
  if (current !== text) {
    console.error(`${name} is stale: run \`${command}\``);
    process.exit(1);
  }
}
