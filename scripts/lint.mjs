#!/usr/bin/env node
// The style checks (npm run lint), or with --fix the formatters (npm run format):
//   prettier   the TypeScript and JavaScript of src/, test/, bench/, examples/, scripts/ (prettier.config.mjs)
//   eslint     the same files (eslint.config.mjs); --fix leaves its findings to a person
//   clang-format  the C++ and CUDA of native/ and bench/native/ (.clang-format)
//   disables   every eslint-disable comment names its rules and gives a reason after `--`
//   types      TypeScript's type check of src/, test/, examples/ and bench/ (tsconfig.json):
//              jest's ts-jest transpiles tests without checking their types
// Prints each check's time and the files that fail; exits 1 when any check fails.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clangFormatBin, nativeFiles, prettierBin, root, scriptFiles } from './style-files.mjs';

const fix = process.argv.includes('--fix');
const scripts = scriptFiles();
const natives = nativeFiles();

// The checks run side by side (the whole lint is about a minute of wall time on 2 busy cores).
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function prettier() {
  const r = await run(process.execPath, [prettierBin, fix ? '--write' : '--check', '--log-level', 'warn', ...scripts]);
  const files = [...r.stderr.matchAll(/^\[warn\] (?!Code style issues)(.+)$/gm)].map((m) => m[1]);
  if (r.status === 0) return { ok: true, note: fix ? 'formatted' : `${scripts.length} files` };
  return { ok: false, files, text: files.length ? '' : r.stdout + r.stderr };
}

async function eslint() {
  if (fix) return { ok: true, note: 'skipped (fix its findings by hand)' };
  const r = await run(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', ...scripts]);
  return r.status === 0 ? { ok: true, note: `${scripts.length} files` } : { ok: false, text: r.stdout + r.stderr };
}

async function clangFormat() {
  const files = new Set();
  let text = '';
  for (let i = 0; i < natives.length; i += 50) {
    const r = await run(clangFormatBin(), [fix ? '-i' : '--dry-run', '-Werror', '--style=file', ...natives.slice(i, i + 50)]);
    for (const m of r.stderr.matchAll(/^(.+?):\d+:\d+: (?:error|warning): code should be clang-formatted/gm)) files.add(m[1]);
    if (r.status !== 0 && !/code should be clang-formatted/.test(r.stderr)) text += r.stdout + r.stderr;
  }
  if (files.size === 0 && !text) return { ok: true, note: fix ? 'formatted' : `${natives.length} files` };
  return { ok: false, files: [...files], text };
}

// ESLint's own syntax for a reason: `// eslint-disable-next-line rule-name -- why`.
async function disables() {
  const bad = [];
  for (const file of scripts) {
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = /(?:\/\/|\/\*)\s*eslint-disable(?:-next-line|-line)?\b(.*)$/.exec(line);
        if (m && !/^\s+[@\w/-]+(?:\s*,\s*[@\w/-]+)*\s+--\s+\S/.test(m[1].replace(/\*\/.*$/, ''))) bad.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  return bad.length
    ? { ok: false, text: `an eslint-disable needs its rules and a reason: \`// eslint-disable-next-line rule -- why\`\n${bad.join('\n')}` }
    : { ok: true, note: 'all give a reason' };
}

async function types() {
  if (fix) return { ok: true, note: 'skipped (fix its findings by hand)' };
  const r = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')]);
  return r.status === 0 ? { ok: true, note: 'src, test, examples, bench' } : { ok: false, text: r.stdout + r.stderr };
}

const checks = { prettier, eslint, 'clang-format': clangFormat, disables, types };
const results = await Promise.all(
  Object.values(checks).map(async (check) => {
    const start = process.hrtime.bigint();
    const result = await check();
    return { ...result, seconds: (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1) };
  }),
);
let failed = 0;
Object.keys(checks).forEach((name, i) => {
  const result = results[i];
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${name} (${result.seconds} s)${result.ok ? `: ${result.note}` : ''}`);
  if (!result.ok) {
    failed++;
    for (const f of result.files ?? []) console.log(`       ${f}`);
    if (result.text) console.log(result.text.trimEnd().replace(/^/gm, '       '));
  }
});
if (failed) {
  console.log(`\n${failed} check(s) failed; \`npm run format\` fixes Prettier's and clang-format's (ESLint's need a person).`);
  process.exit(1);
}
