// Runs TypeScript in a child process, so a test can watch for crashes (a signal, an
// abort) that would otherwise kill jest itself.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The repository root. */
export const ROOT = root;

/** `node -r register-ts <script> ...args` in the repository root; `shellPrefix` runs first in the same shell (e.g. a ulimit). */
export function runTsChild(script: string, args: string[] = [], options: { timeoutMs?: number; shellPrefix?: string } = {}): SpawnSyncReturns<string> {
  const node = [process.execPath, '-r', join(root, 'test', 'helpers', 'register-ts.js'), join(root, script), ...args];
  const opts = { cwd: root, encoding: 'utf8' as const, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20 };
  if (options.shellPrefix) {
    const quoted = node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return spawnSync('bash', ['-c', `${options.shellPrefix} && exec ${quoted}`], opts);
  }
  return spawnSync(node[0], node.slice(1), opts);
}

/**
 * Runs `body` (JavaScript; `ts` is the library) in a child node with `nodeArgs` (e.g.
 * --expose-gc), for tests that watch a whole process: its RSS, its live tensors.
 */
export function runTsBody(body: string, nodeArgs: string[] = [], timeoutMs = 120_000, cwd = root): SpawnSyncReturns<string> {
  const script = `const ts = require(${JSON.stringify(join(root, 'src', 'index.ts'))});\n${body}`;
  return spawnSync(process.execPath, [...nodeArgs, '-r', join(root, 'test', 'helpers', 'register-ts.js'), '-e', script], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}

/** How a child ended, for messages: "exit 0", "signal SIGFPE", "timed out". */
export function howItEnded(r: SpawnSyncReturns<string>): string {
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timed out';
  return r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
}
