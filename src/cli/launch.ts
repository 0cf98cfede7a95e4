// `tessera launch -n 4 train.js`: a thin wrapper that builds the mpirun line (Open MPI or
// MPICH), with a per-rank thread count so the ranks on a host share its cores instead of
// each starting a pool the size of the machine.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  threads: number;
}

export interface LaunchOptions {
  np: number;
  script: string[];
  hostfile?: string;
  hosts?: string;
  threads?: number;
  mpi?: 'openmpi' | 'mpich';
  timeout?: number;
  dryRun?: boolean;
}

const USAGE = `usage: tessera launch -n <ranks> [options] <script.js> [script args...]

options:
  -n, --np <N>          number of ranks (processes)
  --hostfile <file>     hosts to run on (Open MPI: "host slots=4" lines; MPICH: "host:4")
  -H, --hosts <list>    hosts as a list: a:2,b:2
  --threads <T>         Tessera threads per rank (default: this host's cores / its ranks)
  --mpi <openmpi|mpich> which mpirun (default: Open MPI if installed, else MPICH)
  --timeout <seconds>   collective timeout (TESSERA_DIST_TIMEOUT; default 60)
  --dry-run             print the mpirun line instead of running it`;

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Parses `launch`'s arguments; everything from the script on is the script's. */
export function parseLaunchArgs(argv: string[]): LaunchOptions {
  const o: Partial<LaunchOptions> = {};
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new Error(`tessera launch: ${flag} needs a value\n${USAGE}`);
    return v;
  };
  const positiveInt = (flag: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`tessera launch: ${flag} expects a positive integer, got '${v}'`);
    return n;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) break;
    if (a === '-n' || a === '--np' || a === '-np') o.np = positiveInt(a, value(a));
    else if (a === '--hostfile') o.hostfile = value(a);
    else if (a === '-H' || a === '--hosts') o.hosts = value(a);
    else if (a === '--threads') o.threads = positiveInt(a, value(a));
    else if (a === '--timeout') {
      const t = Number(value(a));
      if (!Number.isFinite(t) || t < 0) throw new Error(`tessera launch: --timeout expects seconds >= 0, got '${argv[i]}'`);
      o.timeout = t;
    } else if (a === '--mpi') {
      const m = value(a);
      if (m !== 'openmpi' && m !== 'mpich') throw new Error(`tessera launch: --mpi expects openmpi or mpich, got '${m}'`);
      o.mpi = m;
    } else if (a === '--dry-run') o.dryRun = true;
    else throw new Error(`tessera launch: unknown option '${a}'\n${USAGE}`);
  }
  if (o.np === undefined) throw new Error(`tessera launch: -n <ranks> is required\n${USAGE}`);
  o.script = argv.slice(i);
  if (o.script.length === 0) throw new Error(`tessera launch: no script given\n${USAGE}`);
  if (o.script[0].endsWith('.ts'))
    throw new Error(
      `tessera launch: ${o.script[0]} is TypeScript; compile it first (npm run build:ts) and launch the .js, or launch 'node -r <your TS loader>' yourself with mpirun`,
    );
  return o as LaunchOptions;
}

/** How many of the ranks land on this host (for the thread count). */
function ranksOnThisHost(o: LaunchOptions): number {
  if (o.hostfile === undefined && o.hosts === undefined) return o.np;
  // Spread over several hosts: assume an even spread (--threads overrides).
  const hosts = o.hosts !== undefined ? o.hosts.split(',').length : 1;
  return Math.max(1, Math.ceil(o.np / Math.max(1, hosts)));
}

/** The mpirun line for these options on a host with `cores` cores. */
export function planLaunch(
  o: LaunchOptions,
  cores = cpus().length,
  available: (cmd: string) => boolean = which,
  isRoot = process.getuid?.() === 0,
): LaunchPlan {
  const mpi =
    o.mpi ?? (available('mpirun.openmpi') || (available('mpirun') && available('ompi_info')) ? 'openmpi' : available('mpirun.mpich') ? 'mpich' : null);
  if (mpi === null)
    throw new Error(
      'tessera launch: no mpirun found; install Open MPI (apt install openmpi-bin libopenmpi-dev) or MPICH (apt install mpich libmpich-dev), then `npm run build:mpi`',
    );
  const local = ranksOnThisHost(o);
  const threads = o.threads ?? Math.max(1, Math.floor(cores / local));
  const env: Record<string, string> = { TESSERA_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  if (o.timeout !== undefined) env.TESSERA_DIST_TIMEOUT = String(o.timeout);
  const node = [process.execPath, ...o.script];
  if (mpi === 'openmpi') {
    const command = available('mpirun.openmpi') ? 'mpirun.openmpi' : 'mpirun';
    const args = ['-np', String(o.np)];
    if (o.hostfile !== undefined) args.push('--hostfile', o.hostfile);
    if (o.hosts !== undefined) args.push('--host', o.hosts);
    // More ranks than cores here: Open MPI refuses unless told.
    if (o.hostfile === undefined && o.hosts === undefined && o.np > cores) args.push('--oversubscribe');
    // The rank's thread pool spans several cores: no binding of a rank to one core.
    args.push('--bind-to', 'none');
    if (isRoot) args.push('--allow-run-as-root');
    for (const k of Object.keys(env)) args.push('-x', k);
    return { command, args: [...args, ...node], env, threads };
  }
  const command = available('mpirun.mpich') ? 'mpirun.mpich' : 'mpirun';
  const args = ['-np', String(o.np)];
  if (o.hostfile !== undefined) args.push('-f', o.hostfile);
  if (o.hosts !== undefined) args.push('-hosts', o.hosts);
  for (const [k, v] of Object.entries(env)) args.push('-genv', k, v);
  return { command, args: [...args, ...node], env, threads };
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** Runs `tessera launch ...`; returns mpirun's exit code. */
export function launch(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let plan: LaunchPlan;
  let options: LaunchOptions;
  try {
    options = parseLaunchArgs(argv);
    plan = planLaunch(options);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const line = [plan.command, ...plan.args].map(quote).join(' ');
  if (options.dryRun) {
    console.log(
      Object.entries(plan.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') +
        ' ' +
        line,
    );
    return 0;
  }
  const r = spawnSync(plan.command, plan.args, { stdio: 'inherit', env: { ...process.env, ...plan.env } });
  if (r.error) {
    console.error(`tessera launch: could not run ${plan.command}: ${r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}
