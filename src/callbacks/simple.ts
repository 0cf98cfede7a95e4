// Small callbacks: TerminateOnNaN, LambdaCallback, CSVLogger.
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Callback, HOOKS, type Hook, type Logs } from './callback';
import { describe } from '../tensor/shape';
import { checkObject } from '../options/check_args';
import { checkOptions } from '../options/check';
import { notAHook } from './hook_names';

/** CSVLogger's options, for the object form `new CSVLogger(file, { append: true })`. */
export interface CSVLoggerOptions {
  /** Between fields; default ','. */
  separator?: string;
  /** Add to an existing file instead of starting it afresh; default false. */
  append?: boolean;
}

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
  private readonly separator: string;
  private readonly append: boolean;

  /**
   * @param filename - the CSV file to write.
   * @param separator - between fields (default ','); or the options `{ separator, append }`.
   * @param append - add to an existing file instead of starting it afresh.
   * @example new CSVLogger('log.csv', { append: true }); new CSVLogger('log.csv', ';', true)
   */
  constructor(
    private readonly filename: string,
    separator: string | CSVLoggerOptions = ',',
    append = false,
  ) {
    super();
    if (typeof filename !== 'string' || filename.length === 0) throw new Error(`CSVLogger: expected a file name, got ${describe(filename)}`);
    // TensorFlow.js habit: options in an object (else the object would become the separator).
    if (separator !== null && typeof separator === 'object') {
      if (arguments.length > 2) throw new Error('CSVLogger: pass append in the options object or as the third argument, not both');
      const o = checkOptions('CSVLogger', separator, ['separator', 'append']);
      separator = o.separator ?? ',';
      append = o.append ?? false;
    }
    if (typeof separator !== 'string' || separator.length === 0)
      throw new Error(`CSVLogger: expected separator to be a non-empty string, got ${describe(separator)}`);
    if (typeof append !== 'boolean') throw new Error(`CSVLogger: expected append to be a boolean, got ${describe(append)}`);
    this.separator = separator;
    this.append = append;
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
