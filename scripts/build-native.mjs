#!/usr/bin/env node
// The CMake build (through cmake-js): engine library, GoogleTest kernel tests, Google
// Benchmark microbenchmarks and, when nvcc is found, the CUDA library, in build-cmake/.
//   node scripts/build-native.mjs           configure and build
//   node scripts/build-native.mjs --test    ... then run the kernel tests (ctest)
// Environment: TESSERA_CUDA_ARCHITECTURES (default "90": one architecture builds
// quickly; the prebuilds use the full list), TESSERA_BUILD_CUDA=OFF to skip CUDA.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const out = join(root, 'build-cmake');
const jobs = String(Math.max(1, cpus().length));
const defines = {
  TESSERA_CUDA_ARCHITECTURES: process.env.TESSERA_CUDA_ARCHITECTURES ?? '90',
  TESSERA_BUILD_CUDA: process.env.TESSERA_BUILD_CUDA ?? 'ON',
};

function run(command, args, options = {}) {
  console.log(`> ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const cmakeJs = join(root, 'node_modules', '.bin', 'cmake-js');
if (existsSync(cmakeJs)) {
  const cd = Object.entries(defines).map(([k, v]) => `--CD${k}=${v}`);
  run(cmakeJs, ['build', '--out', out, '--directory', root, '--parallel', jobs, ...cd]);
} else {
  // Plain CMake works too: nothing in CMakeLists.txt needs Node's headers.
  const d = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  run('cmake', ['-S', root, '-B', out, '-DCMAKE_BUILD_TYPE=Release', ...d]);
  run('cmake', ['--build', out, '--parallel', jobs]);
}

if (process.argv.includes('--test')) {
  run('ctest', ['--test-dir', out, '--output-on-failure', '--parallel', jobs]);
}
