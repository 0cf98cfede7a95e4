#!/usr/bin/env node
// The CMake build: engine library, GoogleTest kernel tests, Google
// Benchmark microbenchmarks and, when nvcc is found, the CUDA library, in build-cmake/.
//   node scripts/build-native.mjs           configure and build
//   node scripts/build-native.mjs --test    ... then run the kernel tests
//   node scripts/build-native.mjs --sanitize [--test]
//                                           the engine and kernel tests only, under
//                                           AddressSanitizer + UndefinedBehaviorSanitizer,
//                                           in build-asan/ (any memory error or UB fails)
// Environment: TESSERA_CUDA_ARCHITECTURES (default "90": one architecture builds
// quickly; the prebuilds use the full list), TESSERA_BUILD_CUDA=OFF to skip CUDA,
// TESSERA_GTEST_FILTER (with --test) to run part of the kernel tests.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const sanitize = process.argv.includes('--sanitize');
const out = join(root, sanitize ? 'build-asan' : 'build-cmake');
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

// All kernel tests in one process: ctest would start one per test (3,500 with the CUDA
// cases' parameters), which took 3 minutes of CI's 2 cores for 10 seconds of testing.
function runKernelTests(filter, env = process.env) {
  const started = Date.now();
  run(join(out, 'tessera_tests'), ['--gtest_brief=1', ...(filter ? [`--gtest_filter=${filter}`] : [])], { env });
  console.log(`${sanitize ? 'sanitized ' : ''}kernel tests: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (sanitize) {
  // Plain CMake, the tests' target only: no CUDA (nvcc takes no sanitizer flags), no benchmarks.
  const started = Date.now();
  run('cmake', ['-S', root, '-B', out, '-DCMAKE_BUILD_TYPE=Release', '-DTESSERA_SANITIZE=ON', '-DTESSERA_BUILD_CUDA=OFF', '-DTESSERA_BUILD_BENCHMARKS=OFF']);
  run('cmake', ['--build', out, '--target', 'tessera_tests', '--parallel', jobs]);
  console.log(`sanitized build: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (process.argv.includes('--test')) {
    // This build leaves out the CUDA consistency cases (CMakeLists.txt): no filter needed.
    runKernelTests(process.env.TESSERA_GTEST_FILTER, {
      ...process.env,
      ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1',
      UBSAN_OPTIONS: 'print_stacktrace=1',
    });
  }
  process.exit(0);
}
// Plain CMake, not cmake-js: nothing in CMakeLists.txt needs Node's headers, and cmake-js
// downloads them on first use, which fails on a machine without internet.
const d = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
run('cmake', ['-S', root, '-B', out, '-DCMAKE_BUILD_TYPE=Release', ...d]);
run('cmake', ['--build', out, '--parallel', jobs]);

if (process.argv.includes('--test')) runKernelTests(process.env.TESSERA_GTEST_FILTER);
