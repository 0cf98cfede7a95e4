// What the step profilers (step_profile.ts, transformer_profile.ts) share: their flags, their
// clock and kernel names.
import { performance } from 'node:perf_hooks';
import { OP } from '../src/native/op_ids';

/** The value after `--name` on the command line, or `fallback`. */
export const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/**
 * Microseconds on the clock `--clock` picks: wall (default) or cpu, the process's CPU time,
 * fair on a shared machine with --threads 1.
 */
export const now: () => number =
  arg('clock', 'wall') === 'cpu'
    ? () => {
        const u = process.cpuUsage();
        return u.user + u.system;
      }
    : () => performance.now() * 1e3;

/** A kernel's name by its op id. */
export const KERNEL_NAME = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k])) as Record<number, string>;
