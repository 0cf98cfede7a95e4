#!/usr/bin/env node
// The `tessera` command (`npx tessera doctor`): what was installed and what it found on
// this machine, through the public API, for bug reports and for checking an install.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { OPS_DEF_HASH } from '../native/op_ids';
import { launch } from './launch';

/**
 * Addon N-API version: N-API 8 plus the experimental pure finalizers (binding.gyp's
 * NAPI_EXPERIMENTAL), which Node has from 20.10.
 */
const ADDON_NAPI_VERSION = '8 + experimental finalizers, Node >= 20.10';

const packageRoot = join(__dirname, '..', '..', '..');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function glibcVersion(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}

function row(label: string, value: string): void {
  console.log(`  ${label.padEnd(14)} ${value}`);
}

function doctor(): number {
  console.log('tessera doctor');
  row('tessera', `${packageVersion()} (${packageRoot})`);
  row('node', `${process.version}, N-API ${process.versions.napi} (the addon needs ${ADDON_NAPI_VERSION})`);
  const glibc = glibcVersion();
  row('platform', `${process.platform}-${process.arch}${glibc ? `, glibc ${glibc}` : ''}`);
  row('cpu', `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} logical cores`);

  // Loading the library loads the addon; its error already says how to build one.
  let ts: typeof import('../index');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the try, so a missing addon is a row of the report rather than a crash at import
    ts = require('../index') as typeof import('../index');
  } catch (e) {
    row('addon', 'NOT LOADED');
    console.log(`\n${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  const info = ts.backendInfo();
  let failed = false;
  row('addon', `${info.addon.kind}: ${info.addon.path}`);
  const { cpu } = info;
  const features = (['avx2', 'fma', 'avx512f'] as const).map((f) => `${f} ${cpu[f] ? 'yes' : 'no'}`).join(', ');
  row('cpu features', features);
  row('cpu kernels', `${cpu.isa}${process.env.TESSERA_ISA ? ` (TESSERA_ISA=${process.env.TESSERA_ISA})` : ''}`);
  row('threads', `${ts.getNumThreads()}${process.env.TESSERA_NUM_THREADS ? ` (TESSERA_NUM_THREADS=${process.env.TESSERA_NUM_THREADS})` : ''}`);
  const hashMatches = info.opsDefHash === OPS_DEF_HASH;
  failed ||= !hashMatches;
  row('ops.def', `${info.opsDefHash}${hashMatches ? '' : ` MISMATCH: the TypeScript side expects ${OPS_DEF_HASH}; rebuild the addon`}`);
  if (info.cuda.loaded) {
    row('cuda', `loaded from ${info.cuda.libraryPath}`);
  } else {
    const from = info.cuda.libraryPath ? ` (library: ${info.cuda.libraryPath})` : '';
    row('cuda', `not loaded: ${info.cuda.reason ?? 'no reason given'}${from}`);
  }
  const devices = ['cpu', ...info.cuda.devices.map((d, i) => `cuda:${i} (${d})`)];
  row('devices', devices.join(', '));
  row('default device', ts.getDevice());

  // One small op per device: the kernels run, not just load.
  for (const device of ['cpu', ...info.cuda.devices.map((_, i) => `cuda:${i}`)]) {
    const previous = ts.getDevice();
    try {
      ts.setDevice(device);
      const got = ts.tidy(() =>
        ts
          .matMul(
            ts.tensor([
              [1, 2],
              [3, 4],
            ]),
            ts.tensor([[5], [6]]),
          )
          .dataSync(),
      );
      const ok = got[0] === 17 && got[1] === 39;
      failed ||= !ok;
      row(`check ${device}`, ok ? 'ok (2x2 matMul)' : `WRONG: [${Array.from(got).join(', ')}], expected [17, 39]`);
    } catch (e) {
      failed = true;
      row(`check ${device}`, `FAILED: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      ts.setDevice(previous);
    }
  }
  const memory = ts.memory();
  row('memory', `${memory.numTensors} live tensors, ${memory.numBytes} bytes`);
  return failed ? 1 : 0;
}

function usage(): void {
  console.log(`usage: tessera <command>

commands:
  doctor      versions, CPU features and kernels, threads, devices, where the addon was
              loaded from, and why CUDA did or did not load
  launch      runs a script on N ranks under mpirun: tessera launch -n 4 train.js
              (tessera launch --help for its options)
  --version   the tessera version`);
}

function main(argv: string[]): number {
  const [command] = argv;
  if (command === 'doctor') return doctor();
  if (command === 'launch') return launch(argv.slice(1));
  if (command === '--version' || command === '-v') {
    console.log(packageVersion());
    return 0;
  }
  usage();
  return command === undefined || command === 'help' || command === '--help' || command === '-h' ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
