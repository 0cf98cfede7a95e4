// `tessera launch`: the mpirun line it builds, and one real launch of 2 ranks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLaunchArgs, planLaunch } from '../../src/cli/launch';
import { ROOT } from '../helpers/child';
import { ensureShim, SKIP_MPI } from './mpi';

const openmpi = (cmd: string) => cmd === 'mpirun.openmpi';
const mpich = (cmd: string) => cmd === 'mpirun.mpich';

describe('tessera launch: the mpirun line', () => {
  test('Open MPI on this host: threads split the cores, --oversubscribe only past the core count, no core binding', () => {
    const plan = planLaunch(parseLaunchArgs(['-n', '4', 'train.js', '--epochs', '2']), 16, openmpi, false);
    expect(plan.command).toBe('mpirun.openmpi');
    expect(plan.threads).toBe(4);
    expect(plan.env).toMatchObject({ TESSERA_NUM_THREADS: '4', OMP_NUM_THREADS: '4' });
    expect(plan.args).toEqual([
      '-np',
      '4',
      '--bind-to',
      'none',
      '-x',
      'TESSERA_NUM_THREADS',
      '-x',
      'OMP_NUM_THREADS',
      process.execPath,
      'train.js',
      '--epochs',
      '2',
    ]);
    const over = planLaunch(parseLaunchArgs(['-n', '4', 'train.js']), 2, openmpi, true);
    expect(over.threads).toBe(1);
    expect(over.args).toEqual(expect.arrayContaining(['--oversubscribe', '--allow-run-as-root']));
  });

  test('hostfile, hosts, threads and timeout', () => {
    const plan = planLaunch(parseLaunchArgs(['-n', '8', '--hostfile', 'hosts.txt', '--threads', '3', '--timeout', '120', 'train.js']), 16, openmpi, false);
    expect(plan.args.slice(0, 4)).toEqual(['-np', '8', '--hostfile', 'hosts.txt']);
    expect(plan.args).not.toContain('--oversubscribe');
    expect(plan.env).toMatchObject({ TESSERA_NUM_THREADS: '3', TESSERA_DIST_TIMEOUT: '120' });
    const hosts = planLaunch(parseLaunchArgs(['-n', '8', '-H', 'a:4,b:4', 'train.js']), 16, openmpi, false);
    expect(hosts.args).toEqual(expect.arrayContaining(['--host', 'a:4,b:4']));
    expect(hosts.threads).toBe(4); // 4 ranks per host on 16 cores
  });

  test('MPICH', () => {
    const plan = planLaunch(parseLaunchArgs(['-n', '2', '--hostfile', 'h', 'train.js']), 8, mpich, false);
    expect(plan.command).toBe('mpirun.mpich');
    expect(plan.args).toEqual(['-np', '2', '-f', 'h', '-genv', 'TESSERA_NUM_THREADS', '4', '-genv', 'OMP_NUM_THREADS', '4', process.execPath, 'train.js']);
  });

  test('clear errors', () => {
    expect(() => parseLaunchArgs(['train.js'])).toThrow(/-n <ranks> is required/);
    expect(() => parseLaunchArgs(['-n', '0', 'train.js'])).toThrow(/-n expects a positive integer, got '0'/);
    expect(() => parseLaunchArgs(['-n', '2'])).toThrow(/no script given/);
    expect(() => parseLaunchArgs(['-n', '2', '--treads', '2', 'x.js'])).toThrow(/unknown option '--treads'/);
    expect(() => parseLaunchArgs(['-n', '2', 'train.ts'])).toThrow(/is TypeScript; compile it first/);
    expect(() => parseLaunchArgs(['-n', '2', '--mpi', 'intel', 'x.js'])).toThrow(/--mpi expects openmpi or mpich/);
    expect(() => planLaunch(parseLaunchArgs(['-n', '2', 'x.js']), 2, () => false)).toThrow(/no mpirun found; install Open MPI/);
  });
});

(SKIP_MPI ? describe.skip : describe)('tessera launch: a real run', () => {
  test('launch -n 2 runs the collectives on 2 ranks', () => {
    ensureShim('openmpi');
    const dir = mkdtempSync(join(tmpdir(), 'tessera-launch-'));
    try {
      const script = join(dir, 'run.js');
      writeFileSync(
        script,
        `require(${JSON.stringify(join(ROOT, 'test', 'helpers', 'register-ts.js'))});\nrequire(${JSON.stringify(join(ROOT, 'test', 'distributed', 'workers', 'collectives.ts'))});\n`,
      );
      const r = spawnSync(
        process.execPath,
        ['-r', join(ROOT, 'test', 'helpers', 'register-ts.js'), join(ROOT, 'src', 'cli', 'tessera.ts'), 'launch', '-n', '2', '--mpi', 'openmpi', script],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 90_000,
          env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
        },
      );
      expect({ status: r.status, out: `${r.stdout}\n${r.stderr}` }).toMatchObject({ status: 0 });
      expect(r.stdout).toMatch(/rank 1\/2: \d+ collective checks passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
