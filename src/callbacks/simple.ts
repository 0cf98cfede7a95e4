// Small callbacks: TerminateOnNaN, LambdaCallback, CSVLogger.
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Callback, HOOKS, type Hook, type Logs } from './callback';
import { describe } from '../tensor/shape';
import { checkObject } from '../options/check_args';
import { notAHook } from './hook_names';

/** Stops training when the loss becomes NaN or infinite. */
export class TerminateOnNaN extends Callback {
  /** Asks fit to stop when this batch's loss is not finite. */
  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const loss = this.checkHook('onTrainBatchEnd', batch, logs).loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: invalid loss, terminating training`);
      this.attachedModel('onTrainBatchEnd').stopTraining = true;
    }
  }
}

/** Hook functions by name, as LambdaCallback and TensorFlow.js's CustomCallback take them: `{ onEpochEnd: (epoch, logs) => ... }`. */
export type CallbackHooks = Partial<Pick<Callback, Hook>>;

/** A callback from plain functions: `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`. */
export class LambdaCallback extends Callback {
  /** @param hooks - any of Callback's hooks, by name (onEpochEnd, onTrainBatchEnd, onBatchEnd, ...). */
  constructor(hooks: CallbackHooks = {}) {
    super();
    const owner = this.constructor.name;
    for (const [name, fn] of Object.entries(checkObject(owner, 'the hooks', hooks))) {
      if (!(HOOKS as readonly string[]).includes(name)) {
        throw new Error(`${owner}: ${notAHook(name)}`);
      }
      if (typeof fn !== 'function') throw new Error(`${owner}: expected the hook '${name}' to be a function, got ${describe(fn)}`);
      (this as unknown as Record<string, unknown>)[name] = fn;
    }
    // onTrainBatchEnd of its own would replace the one that calls onBatchEnd (as in Keras): one would never run.
    for (const [alias, hook] of [
      ['onBatchBegin', 'onTrainBatchBegin'],
      ['onBatchEnd', 'onTrainBatchEnd'],
    ]) {
      if (alias in hooks && hook in hooks) throw new Error(`${owner}: give one of ${alias} (TensorFlow.js's name) and ${hook}; both name the same hook`);
    }
  }
}

/** Writes one CSV row of logs per epoch. */
export class CSVLogger extends Callback {
  private keys: string[] | null = null;

  /**
   * @param filename - the CSV file to write.
   * @param separator - between fields (default ',').
   * @param append - add to an existing file instead of starting it afresh.
   */
  constructor(
    private readonly filename: string,
    private readonly separator = ',',
    private readonly append = false,
  ) {
    super();
  }

  /** Creates the file's folder if needed, and empties the file unless appending. */
  override onTrainBegin(): void {
    this.keys = null;
    const dir = dirname(resolve(this.filename));
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new Error(`CSVLogger: cannot create the folder ${dir} for ${this.filename}: ${(e as Error).message}`, { cause: e });
    }
    if (!this.append) writeFileSync(this.filename, '');
  }

  // Appending to a file that already has rows keeps its header.
  private hasHeader(): boolean {
    return this.append && existsSync(this.filename) && statSync(this.filename).size > 0;
  }

  /** Writes the epoch's row (and, first, a header of the sorted log names). */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.checkHook('onEpochEnd', epoch, logs);
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (!this.hasHeader()) appendFileSync(this.filename, ['epoch', ...this.keys].join(this.separator) + '\n');
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))];
    appendFileSync(this.filename, row.join(this.separator) + '\n');
  }
}
