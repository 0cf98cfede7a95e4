// The parent side of the bad-input sweep: runs the cases in batches, each batch in a child
// process with capped memory, and classifies each case as a clean error, an unclear error
// (an engine error such as "Cannot read properties of null", or a non-Error throw), a
// returned value, a crash (the child died: signal, abort, out of memory) or a hang (no
// progress within the time limit). When a child dies, the case it was running is run again
// alone to confirm it; the batch's other cases go on in a new child.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case } from './cases';
import type { ChildOutcome } from './run_cases';
import type { SweepPlan } from './plan';

export type CaseClass = 'clean error' | 'unclear error' | 'returned' | 'crash' | 'hang';
export const CLASSES: CaseClass[] = ['clean error', 'unclear error', 'returned', 'crash', 'hang'];

export interface CaseResult {
  id: string;
  op: string;
  cls: CaseClass;
  detail: string;
  baseline?: boolean;
}

export interface SweepOptions {
  /** Child processes at a time (default: the CPU count, at most 4). */
  jobs?: number;
  /** Cases per child process. */
  batchSize?: number;
  /** A case that makes no progress for this long is a hang. */
  caseTimeoutMs?: number;
  /** Virtual memory cap of each child (ulimit -v): a runaway allocation fails there, not on the machine. */
  memoryLimitMB?: number;
  /** Called after each child process with the number of cases done. */
  onProgress?: (done: number, total: number) => void;
}

export interface SweepReport {
  plan: Omit<SweepPlan, 'cases'>;
  results: CaseResult[];
  counts: Record<CaseClass, number>;
  seconds: number;
}

interface ChildRun {
  outcomes: Map<number, ChildOutcome>;
  /** The index of the case that started but did not finish, if any. */
  running: number | null;
  finished: boolean;
  timedOut: boolean;
  exit: string;
  stderr: string;
}

const CHILD = join(__dirname, 'child.js');
const STARTUP_MS = 60_000; // loading the library, on a busy 2-core machine

type ChildOptions = Required<Omit<SweepOptions, 'onProgress'>> & { cwd: string };

// A child gets each case as its op and id (it builds only those ops' cases).
function runChild(cases: Pick<Case, 'op' | 'id'>[], opts: ChildOptions): Promise<ChildRun> {
  return new Promise((resolve) => {
    const limitKB = opts.memoryLimitMB * 1024;
    const child = spawn('/bin/sh', ['-c', `ulimit -v ${limitKB} && exec "$0" "$@"`, process.execPath, '--max-old-space-size=512', CHILD], {
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
      detached: true,
      // A folder of its own: calls that write files (saveImage, CSVLogger) write there.
      cwd: opts.cwd,
      // CPU only: CUDA's address-space reservations do not fit under the memory cap. Two
      // threads, as on CI, so the kernels' work-splitting code runs.
      // TESSERA_HOME: utils.getFile's cache (a case without cacheDir) in that folder too, not ~/.tessera.
      env: { ...process.env, TESSERA_DISABLE_CUDA: '1', TESSERA_DEVICE: 'cpu', TESSERA_NUM_THREADS: '2', TESSERA_HOME: opts.cwd },
    });
    const run: ChildRun = { outcomes: new Map(), running: null, finished: false, timedOut: false, exit: '', stderr: '' };
    let timer: NodeJS.Timeout;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        run.timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, ms);
    };
    arm(STARTUP_MS);
    let pending = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const [tag, index, json] = line.split('\t');
        if (tag === 'S') run.running = Number(index);
        if (tag === 'R') {
          run.outcomes.set(Number(index), JSON.parse(json) as ChildOutcome);
          run.running = null;
        }
        if (tag === 'D') run.finished = true;
        arm(opts.caseTimeoutMs);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      run.stderr = (run.stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      run.exit = signal ? signal : `exit code ${code}`;
      if (code !== 0) run.finished = false;
      resolve(run);
    });
    child.stdin!.on('error', () => {
      // the child died before reading its cases: reported by 'close'
    });
    child.stdin!.end(JSON.stringify(cases.map(({ op, id }) => ({ op, id }))));
  });
}

// Why a child died, from its stderr: V8's FATAL ERROR, a C++ terminate message, a sanitizer
// or glibc report when there is one, else its last lines.
const CRASH_LINES = /FATAL ERROR|terminate called|what\(\)|Assertion|Sanitizer|double free|corrupted|out of memory/i;
function crashDetail(run: ChildRun): string {
  const lines = run.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.filter((l) => CRASH_LINES.test(l));
  const why = (telling.length ? telling.slice(0, 2) : lines.slice(-2)).join(' | ');
  return `${run.exit}${why ? `: ${why.slice(0, 300)}` : ''}`;
}

/** Runs every case of the plan and classifies it. */
export async function runSweep(plan: SweepPlan, options: SweepOptions = {}): Promise<SweepReport> {
  const started = Date.now();
  const opts = {
    jobs: options.jobs ?? Math.min(4, cpus().length),
    // A child loads the whole library before its first case: 1,000 cases each, not 300, took the
    // sweep from about 11 minutes to under 3 (105,000 cases on 2 cores).
    batchSize: options.batchSize ?? 1000,
    caseTimeoutMs: options.caseTimeoutMs ?? 15_000,
    memoryLimitMB: options.memoryLimitMB ?? 2048,
    cwd: mkdtempSync(join(tmpdir(), 'tessera-sweep-')),
  };
  const results = new Map<string, CaseResult>();
  const record = (c: Case, cls: CaseClass, detail: string) => results.set(c.id, { id: c.id, op: c.op, cls, detail, ...(c.baseline ? { baseline: true } : {}) });

  // Runs one case alone: how it behaves without the cases before it.
  const solo = async (c: Case): Promise<{ cls: CaseClass; detail: string }> => {
    const run = await runChild([c], opts);
    const outcome = run.outcomes.get(0);
    if (outcome && run.finished) return outcome;
    if (run.timedOut) return { cls: 'hang', detail: `no result within ${opts.caseTimeoutMs} ms (alone)` };
    return { cls: 'crash', detail: crashDetail(run) };
  };

  // One empty child first: it fills the transpile cache the others share, and a child that
  // cannot start at all is reported as that, not as thousands of crashes.
  const warmup = await runChild([], opts);
  if (!warmup.finished) throw new Error(`bad-input sweep: the child process does not start (${crashDetail(warmup)})`);

  const queue: Case[][] = [];
  for (let i = 0; i < plan.cases.length; i += opts.batchSize) queue.push(plan.cases.slice(i, i + opts.batchSize));

  const runBatch = async (batch: Case[]): Promise<void> => {
    const run = await runChild(batch, opts);
    for (const [i, o] of run.outcomes) record(batch[i], o.cls, o.detail);
    if (run.finished) return;
    if (run.outcomes.size === 0 && run.running === null) {
      throw new Error(`bad-input sweep: a child process died before running any case (${crashDetail(run)})`);
    }
    if (run.running === null) {
      // Died after its last result (at exit): find the case that leaves the process broken.
      let found = false;
      for (const c of batch) {
        const r = await solo(c);
        if (r.cls === 'crash' || r.cls === 'hang') {
          record(c, r.cls, `${r.detail} (at exit)`);
          found = true;
        }
      }
      if (!found) record(batch[batch.length - 1], 'crash', `${crashDetail(run)} (at exit of its batch, not alone)`);
      return;
    }
    const culprit = batch[run.running];
    if (run.timedOut) {
      record(culprit, 'hang', `no result within ${opts.caseTimeoutMs} ms`);
    } else {
      const alone = await solo(culprit);
      if (alone.cls === 'crash' || alone.cls === 'hang') record(culprit, alone.cls, alone.detail);
      else record(culprit, 'crash', `${crashDetail(run)} (after the ${run.running} cases before it in one process; alone: ${alone.cls})`);
    }
    const rest = batch.slice(run.running + 1);
    if (rest.length) queue.push(rest);
  };

  const worker = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      await runBatch(batch);
      options.onProgress?.(results.size, plan.cases.length);
    }
  };
  // A worker may push a crashed batch's remainder after the others found the queue empty.
  try {
    do await Promise.all(Array.from({ length: opts.jobs }, worker));
    while (queue.length);
  } finally {
    rmSync(opts.cwd, { recursive: true, force: true });
  }

  const ordered = plan.cases.map((c) => results.get(c.id)!).filter(Boolean);
  const counts = Object.fromEntries(CLASSES.map((k) => [k, 0])) as Record<CaseClass, number>;
  for (const r of ordered) counts[r.cls]++;
  const { cases: _cases, ...rest } = plan;
  return { plan: rest, results: ordered, counts, seconds: (Date.now() - started) / 1000 };
}
