#!/usr/bin/env node
// Builds this platform's prebuilt binaries into prebuilds/<platform>-<arch>/, which
// node-gyp-build loads at require time (so installing needs no compiler and no install
// script): the CPU addon (prebuildify, N-API: one binary for every Node version,
// stripped) and, on Linux when nvcc is found, the CUDA backend library beside it.
//   npm run prebuilds
// Environment: TESSERA_CUDA_ARCHITECTURES (default: CMakeLists.txt's full list, machine
// code for 75, 80, 86, 89 and 90 plus PTX for 90; CI may pass one to save time),
// TESSERA_BUILD_CUDA=OFF for a CPU-only prebuild, TESSERA_REQUIRE_CUDA=1 to fail
// rather than ship a prebuild without the CUDA library (releases).
//
// Everything is built in a temporary copy of the sources: prebuildify runs
// `node-gyp rebuild`, which would replace the development build in build/, and the
// CMake file puts the CUDA library in <source>/build-cmake/, the development one.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const tuple = `${process.platform}-${process.arch}`;
const dest = join(root, 'prebuilds', tuple);
const jobs = String(Math.max(1, cpus().length));
const cudaLibrary = 'libtessera_cuda.so';

function run(command, args, options = {}) {
  console.log(`> ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${command} failed (${r.error?.message ?? `exit ${r.status}`})`);
}

function timed(label, fn) {
  const t0 = Date.now();
  fn();
  const seconds = (Date.now() - t0) / 1000;
  console.log(`prebuilds: ${label} took ${seconds.toFixed(1)} s`);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

// Node's headers installed beside it (a distribution's nodejs-dev, or `npm_config_nodedir`
// from .npmrc under `npm run`) spare node-gyp a download; without them it downloads.
function localHeaders() {
  if (process.env.npm_config_nodedir) return {};
  const prefixes = [process.config.variables.node_prefix, join(dirname(process.execPath), '..')].filter(Boolean);
  const prefix = prefixes.find((p) => existsSync(join(p, 'include', 'node', 'node_api.h')));
  return prefix ? { npm_config_nodedir: resolve(prefix) } : {};
}

const stage = mkdtempSync(join(tmpdir(), 'tessera-prebuilds-'));
try {
  // The sources the two builds read, and nothing that a build could clobber.
  // (bench/native: CMakeLists.txt declares the CUDA benchmark beside the library.)
  for (const path of [
    'package.json',
    'binding.gyp',
    'CMakeLists.txt',
    'native/ops.def',
    'native/include',
    'native/src',
    'bench/native',
    'scripts/list-sources.mjs',
  ]) {
    if (existsSync(join(root, path))) cpSync(join(root, path), join(stage, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');

  // N-API: the binary runs on every Node version that has N-API 8 and the experimental
  // pure finalizers (binding.gyp's NAPI_EXPERIMENTAL: Node 20.10 or newer); build it against the
  // running Node's headers (prebuildify's default target, the newest Node, would download).
  timed('the CPU addon (prebuildify --napi --strip)', () => {
    const prebuildify = join(root, 'node_modules', 'prebuildify', 'bin.js');
    run(process.execPath, [prebuildify, '--napi', '--strip', `--target=node@${process.versions.node}`, '--cwd', stage, '--out', stage], {
      cwd: stage,
      env: { JOBS: jobs, ...process.env, ...localHeaders() },
    });
  });

  const wantCuda = process.platform === 'linux' && (process.env.TESSERA_BUILD_CUDA ?? 'ON').toUpperCase() !== 'OFF';
  let cudaBuilt = false;
  if (wantCuda && has('nvcc')) {
    const archs = process.env.TESSERA_CUDA_ARCHITECTURES;
    timed(`the CUDA library (architectures ${archs ?? 'from CMakeLists.txt'})`, () => {
      const build = join(stage, 'build-cuda');
      // CMakeLists.txt compresses the fat binary for size (nvcc --compress-mode=size).
      run('cmake', [
        '-S',
        stage,
        '-B',
        build,
        '-DCMAKE_BUILD_TYPE=Release',
        '-DTESSERA_BUILD_TESTS=OFF',
        '-DTESSERA_BUILD_BENCHMARKS=OFF',
        ...(archs ? [`-DTESSERA_CUDA_ARCHITECTURES=${archs}`] : []),
      ]);
      run('cmake', ['--build', build, '--target', 'tessera_cuda', '--parallel', jobs]);
    });
    // CMakeLists.txt writes the library to <source>/build-cmake/, here the stage's.
    const built = join(stage, 'build-cmake', cudaLibrary);
    run('strip', ['--strip-unneeded', built]);
    cpSync(built, join(stage, 'prebuilds', tuple, cudaLibrary));
    cudaBuilt = true;
  } else if (wantCuda) {
    const message = 'nvcc not found: this prebuild has no CUDA library (CPU only)';
    if (process.env.TESSERA_REQUIRE_CUDA === '1') throw new Error(`${message}, and TESSERA_REQUIRE_CUDA=1`);
    console.warn(`prebuilds: warning: ${message}`);
  }

  // Replace the folder whole, so no binary of an earlier build stays beside the new ones.
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(join(stage, 'prebuilds', tuple), dest, { recursive: true });
  for (const name of readdirSync(dest)) {
    const size = statSync(join(dest, name)).size;
    console.log(`prebuilds: ${join('prebuilds', tuple, name)}  ${(size / 2 ** 20).toFixed(2)} MiB`);
  }
  if (!cudaBuilt) console.log('prebuilds: no CUDA library in this prebuild');
} catch (e) {
  // prebuilds/ keeps what it held: a failed build replaces nothing.
  console.error(`prebuilds: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
