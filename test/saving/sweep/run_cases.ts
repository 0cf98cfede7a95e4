// Runs the sweep's cases in child processes (load_child.ts), one after another in a
// child; a child that dies is a crash of the case it had started, one that stops
// reporting for `hangMs` a hang; either way a new child goes on with the next case.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaseOutcome, SweepCase } from './load_child';

export type Outcome = CaseOutcome | { kind: 'crash'; detail: string } | { kind: 'hang' };

const root = path.resolve(__dirname, '..', '..', '..');

function runChild(
  casesFile: string,
  first: number,
  hangMs: number,
  onDone: (id: number, o: Outcome) => void,
): Promise<{ started: number | null; detail: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(root, 'test', 'helpers', 'register-ts.js'), path.join(__dirname, 'load_child.ts'), casesFile, String(first)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let started: number | null = null;
    let hung = false;
    let stderr = '';
    let pending = '';
    // The first case also waits for the sources to load (seconds on a busy machine).
    let timer = setTimeout(() => kill(), hangMs + 60_000);
    const kill = () => {
      hung = true;
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const [tag, id, ...rest] = line.split(' ');
        if (tag === 'start') started = Number(id);
        else if (tag === 'done') {
          onDone(Number(id), JSON.parse(rest.join(' ')) as Outcome);
          started = null;
        } else continue;
        clearTimeout(timer);
        timer = setTimeout(kill, hangMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ started, hung, detail: `exit ${code ?? ''}${signal ? ` signal ${signal}` : ''}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}

/** The outcome of every case, by id (cases are written to `casesFile` with the expected outputs and weights). */
export async function runCases(
  casesFile: string,
  expected: { outputs: number[]; weights: number[] },
  cases: SweepCase[],
  hangMs = 20_000,
): Promise<Map<number, Outcome>> {
  fs.writeFileSync(casesFile, JSON.stringify({ expected: expected.outputs, weights: expected.weights, cases }));
  const outcomes = new Map<number, Outcome>();
  for (;;) {
    const next = cases.findIndex((c) => !outcomes.has(c.id));
    if (next < 0) break;
    const r = await runChild(casesFile, next, hangMs, (id, o) => outcomes.set(id, o));
    if (r.started !== null) outcomes.set(r.started, r.hung ? { kind: 'hang' } : { kind: 'crash', detail: r.detail });
    else if (!outcomes.has(cases[next].id)) throw new Error(`the sweep's child process stopped before case ${cases[next].id}: ${r.detail}`);
  }
  return outcomes;
}
