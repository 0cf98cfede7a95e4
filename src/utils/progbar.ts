// Keras 3's keras.utils.Progbar: a progress bar for a user's own loops. It draws with the
// same line as fit's ProgbarLogger (callbacks/progbar.ts), and averages values as Keras:
// each value weighted by the steps it covers, stateful ones shown as last given.
import { isInteractiveLoggingEnabled, printProgress } from './io_utils';
import { progressLine } from '../callbacks/progbar';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** Options of Progbar (Keras's arguments after `target`, camelCase). */
export interface ProgbarArgs {
  /** Characters of the bar (default 20). */
  width?: number;
  /** 0 silent, 1 a bar (default), 2 one line when done. */
  verbose?: number;
  /** Least seconds between two redraws (default 0.05). */
  interval?: number;
  /** Names of values shown as given instead of averaged over steps (metrics already averaged). */
  statefulMetrics?: string[] | null;
  /** The other way round: only these names are averaged, the rest shown as given (not with statefulMetrics). */
  statelessMetrics?: string[] | null;
  /** The unit of the per-step time (default 'step': '5ms/step'). */
  unitName?: string;
  /** Where text goes (default: process.stdout; console.info while interactive logging is off: disableInteractiveLogging). */
  write?: (text: string) => void;
  /** Redraw the bar in place (default: when stdout is a terminal); otherwise only the final line is written. */
  isTTY?: boolean;
}

/** Values for update / add: [name, value] pairs (Keras's list of tuples), or an object of them. */
export type ProgbarValues = [string, number][] | Record<string, number>;

const OP = 'utils.Progbar';

/**
 * Keras 3's progress bar for custom loops: `update(current, values)` sets the progress,
 * `add(n, values)` advances it. Values not in statefulMetrics are averaged over the steps
 * since they began, and the final update's shown as given, as Keras does. Off a terminal
 * only the final line is written (as fit's progress bar).
 * @example const bar = new utils.Progbar(100); for (let i = 0; i < 100; i++) bar.add(1, [['loss', loss]]);
 */
export class Progbar {
  /** The number of steps expected, or null when unknown. */
  readonly target: number | null;
  /** Characters of the bar. */
  readonly width: number;
  /** 0 silent, 1 a bar, 2 one line when done. */
  readonly verbose: number;
  /** Least seconds between two redraws. */
  readonly interval: number;
  /** Names of values shown as given, not averaged (when given). */
  readonly statefulMetrics: ReadonlySet<string> | null;
  /** Names of values averaged, the rest shown as given (when given). */
  readonly statelessMetrics: ReadonlySet<string> | null;
  /** The unit of the per-step time. */
  readonly unitName: string;
  private readonly write: (text: string) => void;
  private readonly isTTY: boolean;
  private readonly start = Date.now();
  private lastDraw = 0;
  private seenSoFar = 0;
  private readonly sums = new Map<string, [number, number]>();

  /** @param target - the total steps (null when unknown); @param args - how to draw. */
  constructor(target: number | null, args?: ProgbarArgs | null) {
    if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
    if (target !== null && !(Number.isSafeInteger(target) && target >= 0))
      throw new Error(`${OP}: expected target to be an integer >= 0 or null (unknown), got ${describe(target)}`);
    const {
      width = 20,
      verbose = 1,
      interval = 0.05,
      statefulMetrics = null,
      statelessMetrics = null,
      unitName = 'step',
      write,
      isTTY,
    } = checkOptions(OP, args, OP);
    if (!(Number.isSafeInteger(width) && width >= 1)) throw new Error(`${OP}: expected width to be an integer >= 1, got ${describe(width)}`);
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`${OP}: expected verbose to be 0, 1 or 2, got ${describe(verbose)}`);
    if (typeof interval !== 'number' || !(interval >= 0)) throw new Error(`${OP}: expected interval to be a number of seconds >= 0, got ${describe(interval)}`);
    for (const [what, names] of [
      ['statefulMetrics', statefulMetrics],
      ['statelessMetrics', statelessMetrics],
    ] as const) {
      if (names !== null && !(Array.isArray(names) && everyEntry(names, (m) => typeof m === 'string')))
        throw new Error(`${OP}: expected ${what} to be an array of names, got ${describe(names)}`);
    }
    if (statefulMetrics !== null && statelessMetrics !== null)
      throw new Error(
        `${OP}: only one of statefulMetrics or statelessMetrics can be given; statefulMetrics names the values shown as given, statelessMetrics those averaged`,
      );
    if (typeof unitName !== 'string') throw new Error(`${OP}: expected unitName to be a string, got ${describe(unitName)}`);
    if (write !== undefined && typeof write !== 'function') throw new Error(`${OP}: expected write to be a function, got ${describe(write)}`);
    if (isTTY !== undefined) checkBoolean(OP, 'isTTY', isTTY);
    this.target = target;
    this.width = width;
    this.verbose = verbose;
    this.interval = interval;
    this.statefulMetrics = statefulMetrics === null ? null : new Set(statefulMetrics);
    this.statelessMetrics = statelessMetrics === null ? null : new Set(statelessMetrics);
    this.unitName = unitName;
    this.write = write ?? printProgress;
    this.isTTY = isTTY ?? Boolean(process.stdout.isTTY);
  }
  // A bar redrawn in place: on a terminal, unless interactive logging is off.
  private get live(): boolean {
    return this.isTTY && isInteractiveLoggingEnabled();
  }

  /**
   * Sets the progress to `current` steps, with `values` to show; `finalize` (default: when
   * current reaches target) writes the final line.
   */
  update(current: number, values?: ProgbarValues | null, finalize?: boolean | null): void {
    const op = `${OP}.update`;
    if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
    if (!(Number.isSafeInteger(current) && current >= 0)) throw new Error(`${op}: expected current to be an integer >= 0, got ${describe(current)}`);
    const pairs = checkValues(op, values);
    const final = finalize === undefined || finalize === null ? this.target !== null && current >= this.target : checkBoolean(op, 'finalize', finalize);
    for (const [k, v] of pairs) {
      const stateless = this.statefulMetrics !== null ? !this.statefulMetrics.has(k) : this.statelessMetrics === null || this.statelessMetrics.has(k);
      // Keras shows a final value as given.
      if (!stateless || final) {
        this.sums.set(k, [v, 1]);
        continue;
      }
      // Weighted by the steps since the last update, so the shown value is a mean per step.
      const base = Math.max(current - this.seenSoFar, 1);
      const sum = this.sums.get(k);
      if (sum === undefined) this.sums.set(k, [v * base, base]);
      else {
        sum[0] += v * base;
        sum[1] += base;
      }
    }
    this.seenSoFar = current;
    if (this.verbose === 0) return;
    const now = Date.now();
    if (!final && (this.verbose !== 1 || !this.live || now - this.lastDraw < this.interval * 1000)) return;
    this.lastDraw = now;
    const line = progressLine(current, this.target, (now - this.start) / 1000, this.valuesText(), final, this.verbose, {
      width: this.width,
      unitName: this.unitName,
    });
    if (this.live && this.verbose === 1) this.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final) this.write(`${line}\n`);
  }

  /** Advances the progress by `n` steps (update(current + n, values)). */
  add(n: number, values?: ProgbarValues | null): void {
    const op = `${OP}.add`;
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    if (!(Number.isSafeInteger(n) && n >= 0)) throw new Error(`${op}: expected n to be an integer >= 0, got ${describe(n)}`);
    this.update(this.seenSoFar + n, values);
  }

  // 'name: value' in the order the values first came, as Keras prints them.
  private valuesText(): string {
    return [...this.sums]
      .map(([k, [sum, count]]) => {
        const v = sum / Math.max(1, count);
        return `${k}: ${Math.abs(v) > 1e-3 ? v.toFixed(4) : pythonExponent(v)}`;
      })
      .join(' - ');
  }
}

// Python's '%.4e': the exponent has at least two digits ('1.0000e-04').
function pythonExponent(v: number): string {
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

function checkValues(op: string, values: unknown): [string, number][] {
  if (values === undefined || values === null) return [];
  const pairs = Array.isArray(values)
    ? values
    : typeof values === 'object'
      ? Object.entries(values as object)
      : (() => {
          throw new Error(`${op}: expected values as [name, value] pairs or an object of numbers, got ${describe(values)}`);
        })();
  for (const p of pairs) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'number')
      throw new Error(`${op}: expected values as [name, value] pairs (a string and a number) or an object of numbers, got ${describe(p)} in them`);
  }
  return pairs as [string, number][];
}
