#!/usr/bin/env node
// Size budgets of what npm users download: the published tarball and each prebuilt
// binary. Prints every size beside its budget and exits 1 when one is over.
//   node scripts/check-size.mjs               the tarball `npm pack` would make now (dry run)
//   node scripts/check-size.mjs FILE.tgz      a packed tarball
//
// Why these budgets:
// - The addon (tessera.node, stripped): the CPU kernels, several instruction sets each;
//   1.9 MiB at first, 4.2 MiB after whole-sequence RNN kernels, multi-tensor optimizer
//   updates, flash attention and compiled-step plans (2026-12). 6 MiB leaves room for
//   that much again; past it, look at what each instruction set instantiates.
// - The CUDA library (libtessera_cuda.so, stripped): the static CUDA runtime (~1.5 MiB)
//   plus a fat binary holding every kernel six times (machine code for sm_75, 80, 86,
//   89, 90 and PTX for 90); it grows with each kernel family. 7.4 MiB today, with the
//   fat binary compressed for size (scripts/prebuilds.mjs; nvcc's default gives 44 MiB).
//   32 MiB leaves room for four times the kernels.
// - The tarball: one tarball carries every platform's prebuilds, so every user downloads
//   all of them. 24 MiB packed (64 MiB unpacked) keeps `npm install` to seconds; past
//   that, split the prebuilds into per-platform packages (optionalDependencies).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const MiB = 2 ** 20;
const BUDGETS = {
  tarball: 24 * MiB,
  unpacked: 64 * MiB,
  addon: 6 * MiB,
  cuda: 32 * MiB,
};

const rows = [];
function check(what, size, budget) {
  rows.push({ what, size, budget, ok: size <= budget });
}

function binaryBudget(path) {
  if (/cuda/.test(path)) return BUDGETS.cuda;
  if (/\.node$/.test(path)) return BUDGETS.addon;
  return undefined;
}

const tarball = process.argv[2];
if (tarball) {
  check(`tarball ${tarball}`, statSync(tarball).size, BUDGETS.tarball);
  const out = mkdtempSync(join(tmpdir(), 'tessera-size-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', out]);
    let unpacked = 0;
    const walk = (dir, rel) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const st = statSync(path);
        if (st.isDirectory()) walk(path, `${rel}${name}/`);
        else {
          unpacked += st.size;
          const budget = rel.startsWith('package/prebuilds/') ? binaryBudget(name) : undefined;
          if (budget) check(`${rel.slice('package/'.length)}${name}`, st.size, budget);
        }
      }
    };
    walk(out, '');
    check('unpacked', unpacked, BUDGETS.unpacked);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
} else {
  // --ignore-scripts: measure what is built now; `prepare` would recompile the TypeScript.
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  check(`tarball ${pack.filename} (dry run)`, pack.size, BUDGETS.tarball);
  check('unpacked', pack.unpackedSize, BUDGETS.unpacked);
  for (const f of pack.files) {
    const budget = f.path.startsWith('prebuilds/') ? binaryBudget(f.path) : undefined;
    if (budget) check(f.path, f.size, budget);
  }
}

if (!rows.some((r) => /\.node$/.test(r.what))) {
  console.warn('check-size: warning: no prebuilt addon in the tarball (run `npm run prebuilds` first)');
}
const width = Math.max(...rows.map((r) => r.what.length));
for (const r of rows) {
  const pct = ((100 * r.size) / r.budget).toFixed(0).padStart(3);
  console.log(
    `${r.what.padEnd(width)}  ${(r.size / MiB).toFixed(2).padStart(6)} MiB of ${String(r.budget / MiB).padStart(2)} MiB (${pct}%)  ${r.ok ? 'ok' : 'OVER BUDGET'}`,
  );
}
const over = rows.filter((r) => !r.ok);
if (over.length) {
  console.error(`check-size: ${over.length} over budget (budgets and their reasons: scripts/check-size.mjs)`);
  process.exit(1);
}
console.log('check-size: ok');
