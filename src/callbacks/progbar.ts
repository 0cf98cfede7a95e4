// The progress logger of fit / evaluate: Keras's bar on a terminal (verbose 1), one line
// per epoch (verbose 2), or silence (verbose 0).
import { isInteractiveLoggingEnabled, printProgress } from '../utils/io_utils';
import { Callback, type Logs } from './callback';
import { classOptions } from '../options/check';
import { checkLogs } from '../options/check_args';

const BAR_WIDTH = 20;

function formatDuration(seconds: number): string {
  if (seconds >= 3600)
    return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

function formatPerStep(seconds: number, unit = 'step'): string {
  if (seconds >= 1) return `${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/${unit}`;
  return `${Math.round(seconds * 1e6)}us/${unit}`;
}

/** How progressLine draws: the bar's width and the unit of the per-step time. */
export interface ProgressStyle {
  /** Characters of the bar (Keras's width, default 20). */
  width: number;
  /** The unit of the per-step time ('step': '5ms/step'). */
  unitName: string;
}

/**
 * @internal One progress line, as Keras draws it: the bar (verbose 1) or the summary
 * (verbose 2, final), with time and the formatted metrics; shared by ProgbarLogger and
 * utils.Progbar.
 */
export function progressLine(
  step: number,
  total: number | null | undefined,
  elapsed: number,
  metrics: string,
  final: boolean,
  verbose: number,
  style: ProgressStyle = { width: BAR_WIDTH, unitName: 'step' },
): string {
  const perStep = step > 0 ? elapsed / step : 0;
  if (verbose === 2 && final) {
    return `${step}/${total ?? step} - ${formatDuration(elapsed)} - ${formatPerStep(perStep, style.unitName)}${metrics ? ` - ${metrics}` : ''}`;
  }
  const width = style.width;
  const counter = total ? `${String(step).padStart(String(total).length)}/${total}` : `${step}`;
  const filled = total ? Math.min(width, Math.floor((width * step) / total)) : 0;
  const bar = total ? ` ${'━'.repeat(filled)}${'─'.repeat(width - filled)}` : '';
  const time = final || !total ? `${formatDuration(elapsed)} ${formatPerStep(perStep, style.unitName)}` : `ETA ${formatDuration(perStep * (total - step))}`;
  return `${counter}${bar} ${time}${metrics ? ` - ${metrics}` : ''}`;
}

/** `key: value` pairs as Keras prints them (4 significant decimals). */
export function formatLogs(logs: Logs): string {
  checkLogs('formatLogs', logs);
  return Object.keys(logs)
    .sort()
    .map((k) => `${k}: ${Math.abs(logs[k]) >= 1e-3 || logs[k] === 0 ? logs[k].toFixed(4) : logs[k].toExponential(4)}`)
    .join(' - ');
}

/** Options of the progress logger. */
export interface ProgbarOptions {
  /** 0 silent, 1 a progress bar (default), 2 one line per epoch. */
  verbose?: number;
  /** Where text goes (default: process.stdout; console.info while interactive logging is off: disableInteractiveLogging). */
  write?: (text: string) => void;
  /** Redraw the bar in place (default: when stdout is a terminal). */
  isTTY?: boolean;
}

/**
 * Prints progress, as Keras does: fit, evaluate and predict add one when their verbose is
 * above 0, so you rarely construct it yourself.
 * @example new ProgbarLogger({ verbose: 2, write: (t) => log.push(t) })
 */
export class ProgbarLogger extends Callback {
  private readonly write: (text: string) => void;
  private readonly isTTY: boolean;
  private readonly verbose: number;
  private epochStart = 0;
  private lastDraw = 0;
  private seen = 0;
  private mode: 'train' | 'test' | 'predict' = 'train';

  /** @param options - verbosity, where to write, and whether to redraw in place. */
  constructor(options: ProgbarOptions = {}) {
    options = classOptions('callbacks', ProgbarLogger, new.target, options);
    super();
    this.verbose = options.verbose ?? 1;
    this.write = options.write ?? printProgress;
    this.isTTY = options.isTTY ?? Boolean(process.stdout.isTTY);
  }
  // A bar redrawn in place: on a terminal, unless interactive logging is off.
  private get live(): boolean {
    return this.isTTY && isInteractiveLoggingEnabled();
  }

  /** Prints `Epoch n/N` (verbose 1) and starts the epoch's clock. */
  override onEpochBegin(epoch: number): void {
    if (this.verbose === 0) return;
    if (this.params.epochs !== undefined && this.verbose === 1) this.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    this.start('train');
  }

  /** @internal Whether batch ends draw anything (verbose 1 on a terminal): data-parallel fit reduces batch logs only for a reader. */
  get readsBatchLogs(): boolean {
    return this.verbose === 1 && this.live;
  }

  /** Redraws the bar (verbose 1 on a terminal, at most every 100 ms). */
  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    const checked = this.checkHook('onTrainBatchEnd', batch, logs);
    this.progress(batch + 1, checked, false);
  }

  /** Prints the epoch's final line: steps, time and logs (including validation). */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.checkHook('onEpochEnd', epoch, logs);
    if (this.verbose === 2) this.write(`Epoch ${epoch + 1}/${this.params.epochs ?? '?'}\n`);
    this.progress(this.seen, logs, true);
  }

  /** Starts a bar for evaluate; validation inside fit gets none of its own. */
  override onTestBegin(): void {
    // Validation inside fit() is reported in the epoch's line.
    if (this.mode !== 'train' || this.params.epochs === undefined) this.start('test');
  }

  /** Redraws evaluate's bar. */
  override onTestBatchEnd(batch: number, logs: Logs = {}): void {
    if (this.mode === 'test') this.progress(batch + 1, logs, false);
  }

  /** Prints evaluate's final line with its loss and metrics. */
  override onTestEnd(logs: Logs = {}): void {
    if (this.mode === 'test') this.progress(this.seen, logs, true);
  }

  /** Starts a bar for predict. */
  override onPredictBegin(): void {
    this.start('predict');
  }

  /** Redraws predict's bar. */
  override onPredictBatchEnd(batch: number): void {
    this.progress(batch + 1, {}, false);
  }

  /** Prints predict's final line. */
  override onPredictEnd(): void {
    this.progress(this.seen, {}, true);
  }

  private start(mode: 'train' | 'test' | 'predict'): void {
    this.mode = mode;
    this.epochStart = Date.now();
    this.lastDraw = 0;
    this.seen = 0;
  }

  private progress(step: number, logs: Logs, final: boolean): void {
    this.seen = Math.max(this.seen, step);
    if (this.verbose === 0) return;
    const now = Date.now();
    if (!final && (this.verbose !== 1 || !this.live || now - this.lastDraw < 100)) return;
    this.lastDraw = now;
    const line = progressLine(step, this.params.steps, (now - this.epochStart) / 1000, formatLogs(logs), final, this.verbose);
    if (this.live && this.verbose === 1) this.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final) this.write(`${line}\n`);
  }
}
