// A generated source file: written, or with --check compared with the committed one (CI and
// the tests fail on a stale file rather than build from it).
import { readFileSync, writeFileSync } from 'node:fs';

/** Writes `expected` to `outPath`; with --check, exits 1 when the file differs from it. */
export function writeOrCheckGenerated(outPath, expected, { name, command }) {
  if (!process.argv.includes('--check')) {
    writeFileSync(outPath, expected);
    return;
  }
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {}
  if (current !== expected) {
    console.error(`${name} is stale: run \`${command}\``);
    process.exit(1);
  }
}
