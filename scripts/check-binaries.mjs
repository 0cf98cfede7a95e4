#!/usr/bin/env node
// Checks what the shipped Linux binaries need from the system they land on: the addon
// and the CUDA library may link only the C/C++ runtime (no libcudart, no libcuda: the
// CUDA runtime is linked statically and finds the driver at run time), and the CUDA
// library must export its entry point. Prints the newest GLIBC (and GLIBCXX) symbol
// version each needs: the oldest distribution the prebuild runs on.
//   node scripts/check-binaries.mjs              prebuilds/<platform>-<arch>/*.node, *.so
//   node scripts/check-binaries.mjs FILE...      those files
// Needs readelf and objdump (binutils).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const ALLOWED = [
  /^libc\.so\.6$/,
  /^libm\.so\.6$/,
  /^libdl\.so\.2$/,
  /^libpthread\.so\.0$/,
  /^librt\.so\.1$/,
  /^libstdc\+\+\.so\.6$/,
  /^libgcc_s\.so\.1$/,
  /^ld-linux-x86-64\.so\.2$/,
  /^ld-linux-aarch64\.so\.1$/,
];
const CUDA_ENTRY_POINT = 'tk_cuda_open';

function files() {
  const args = process.argv.slice(2);
  if (args.length) return args;
  const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const found = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => /\.(node|so)$/.test(n))
        .map((n) => join(dir, n))
    : [];
  if (!found.length) {
    console.error(`check-binaries: no binaries in ${relative(root, dir)}/: run \`npm run prebuilds\` first`);
    process.exit(1);
  }
  return found;
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}

// The newest version of one symbol family (GLIBC, GLIBCXX, CXXABI) and the symbols that need it.
function newest(dynamicSymbols, family) {
  const re = new RegExp(`\\(${family}_([0-9.]+)\\)\\s+(\\S+)`);
  let best;
  const symbols = new Map();
  for (const line of dynamicSymbols.split('\n')) {
    if (!/\*UND\*/.test(line)) continue;
    const m = re.exec(line);
    if (!m) continue;
    const [, version, symbol] = m;
    if (!symbols.has(version)) symbols.set(version, []);
    symbols.get(version).push(symbol);
    if (!best || compareVersions(version, best) > 0) best = version;
  }
  return best && { version: best, symbols: symbols.get(best) };
}

let failures = 0;
for (const file of files()) {
  const name = relative(process.cwd(), file) || basename(file);
  const dynamic = execFileSync('readelf', ['-d', '-W', file], { encoding: 'utf8' });
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const unexpected = needed.filter((lib) => !ALLOWED.some((re) => re.test(lib)));
  const symbols = execFileSync('objdump', ['-T', '-w', file], { encoding: 'utf8', maxBuffer: 64 << 20 });

  console.log(`${name}`);
  console.log(`  NEEDED   ${needed.join(' ')}`);
  if (unexpected.length) {
    failures++;
    console.log(`  FAIL     links ${unexpected.join(', ')}: only the C/C++ runtime may be linked (CUDA is loaded at run time)`);
  }
  for (const family of ['GLIBC', 'GLIBCXX', 'CXXABI']) {
    const n = newest(symbols, family);
    if (n) console.log(`  ${family.padEnd(8)} ${n.version} (for ${n.symbols.slice(0, 3).join(', ')}${n.symbols.length > 3 ? ', ...' : ''})`);
  }
  if (/cuda/.test(basename(file))) {
    const exported = symbols
      .split('\n')
      .filter((l) => /\sg\s/.test(l) && !/\*UND\*/.test(l))
      .map((l) => l.trim().split(/\s+/).pop());
    if (!exported.includes(CUDA_ENTRY_POINT)) {
      failures++;
      console.log(`  FAIL     does not export ${CUDA_ENTRY_POINT}, the loader's entry point`);
    } else {
      console.log(`  exports  ${exported.join(' ')}`);
    }
  }
}
if (failures) {
  console.error(`check-binaries: ${failures} problem(s)`);
  process.exit(1);
}
console.log('check-binaries: ok');
