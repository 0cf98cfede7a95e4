#!/usr/bin/env node
// Builds the MPI shim (native/src/distributed) once per MPI ABI found on this machine:
// build/distributed/tessera_mpi_openmpi.node with Open MPI's mpicxx and
// tessera_mpi_mpich.node with MPICH's. ts.distribute.init() loads the one that matches
// the launcher (the main addon never links MPI). Fails when no MPI compiler is found.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'native', 'src', 'distributed');
const out = join(root, 'build', 'distributed');
const napiHeaders = [join(root, 'node_modules', 'node-api-headers', 'include'), '/usr/include/node'].find((d) => existsSync(join(d, 'node_api.h')));
if (!napiHeaders) throw new Error('build:mpi: node_api.h not found (node-api-headers is a dependency: run npm ci)');

const abis = [
  { abi: 'openmpi', compilers: ['mpicxx.openmpi', 'mpic++.openmpi'] },
  { abi: 'mpich', compilers: ['mpicxx.mpich'] },
];
const only = process.env.TESSERA_MPI_ABI;

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

mkdirSync(out, { recursive: true });
let built = 0;
for (const { abi, compilers } of abis) {
  if (only && only !== abi) continue;
  // A plain mpicxx counts for the ABI it wraps (`mpicxx -showme` is Open MPI's).
  let cxx = compilers.map(which).find(Boolean);
  if (!cxx && which('mpicxx')) {
    const isOpenMpi = (() => {
      try {
        execFileSync('mpicxx', ['-showme'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    if ((abi === 'openmpi') === isOpenMpi) cxx = 'mpicxx';
  }
  if (!cxx) {
    console.log(`build:mpi: no ${abi} compiler (${compilers.join(' or ')}); skipped`);
    continue;
  }
  const target = join(out, `tessera_mpi_${abi}.node`);
  const args = [
    '-std=c++17',
    '-O3', // vectorizes the shim's reduction and mean loops
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    `-I${napiHeaders}`,
    `-I${join(root, 'native', 'include')}`,
    join(src, 'mpi_shim.cpp'),
    join(src, 'nccl_loader.cpp'),
    join(src, 'cuda_driver.cpp'),
    '-o',
    target,
    '-ldl',
    '-lpthread',
  ];
  const t0 = Date.now();
  execFileSync(cxx, args, { stdio: 'inherit' });
  console.log(`build:mpi: ${target} (${cxx}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  built++;
}
if (built === 0) {
  console.error('build:mpi: no MPI compiler found; install Open MPI (apt install openmpi-bin libopenmpi-dev) or MPICH (apt install mpich libmpich-dev)');
  process.exit(1);
}
