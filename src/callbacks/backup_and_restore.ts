// BackupAndRestore (Keras 3): backs up the training state (weights, optimizer state,
// epoch and step) during fit, so that a fit interrupted and started again resumes where
// the backup left it. The state is one file written atomically, so an interruption while
// writing leaves the previous backup whole.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Callback, type AnyCallback, type CallbackModel, type Logs } from './callback';
import { classOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { writeFileAtomic } from '../saving/atomic_write';
import { currentWorld } from '../distribute/backend';
import { activeDataParallel } from '../distribution/data_parallel';
import { Optimizer } from '../optimizers/optimizer';
import { tensor } from '../tensor/creation';
import type { DType, TypedArray } from '../tensor/dtype';
import { dispose } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import { ownEntry } from '../options/own_entry';

/** Options of BackupAndRestore (Keras's names, camelCase). */
export interface BackupAndRestoreOptions {
  /** The folder the backup goes to; no other run or callback may write there. */
  backupDir: string;
  /** 'epoch' (default): back up at each epoch's end; a number N: every N training batches. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when fit ends without an error (default true). */
  deleteCheckpoint?: boolean;
}

/** Where fit resumes: the epoch, and the batches of it already trained (a backup made mid-epoch). */
export interface ResumePoint {
  /** The epoch to start at (from 0). */
  epoch: number;
  /** Batches of that epoch to skip, as they were trained before the backup. */
  step: number;
}

/** The backup's file in backupDir. */
export const BACKUP_FILE = 'training_state.bin';
const MAGIC = 'TSBACKUP1\n';

interface ValueSpec {
  shape: number[];
  dtype: DType;
  /** For an optimizer slot: the index of its variable in trainableWeights and the slot's kind. */
  variable?: number;
  kind?: string;
  /** For an optimizer scalar ('iterations'): its name. */
  name?: string;
}

interface Header {
  epoch: number;
  step: number;
  optimizer: string | null;
  weights: ValueSpec[];
  optimizerState: ValueSpec[];
}

type BackupModel = CallbackModel & { weights?: Variable[]; trainableWeights?: Variable[]; built?: boolean; name?: string };

const arrays: Record<string, new (b: ArrayBuffer) => TypedArray> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/**
 * Backs up the model's weights, its optimizer's state and the epoch (and, with a numeric
 * saveFreq, the batch) in `backupDir` during fit; a fit started again with a callback on the
 * same folder restores them in onTrainBegin and goes on from there. With a numeric saveFreq
 * Tessera also skips the batches of the epoch already trained, so that (with the same data
 * order) the result equals an uninterrupted fit; Keras 3 records the batch but restarts the
 * epoch. Under DataParallel every rank restores, and only rank 0 writes and deletes.
 * @example await model.fit(x, y, { epochs: 10, callbacks: [new callbacks.BackupAndRestore({ backupDir: 'backup' })] })
 */
export class BackupAndRestore extends Callback {
  /** The folder of the backup. */
  readonly backupDir: string;
  /** 'epoch' or every N batches. */
  readonly saveFreq: 'epoch' | number;
  /** Whether a successful fit deletes the backup. */
  readonly deleteCheckpoint: boolean;
  private epoch = 0;
  private batchesSinceSave = 0;
  private resume: ResumePoint | null = null;

  /** @param options - where to back up and how often; `backupDir` is required. */
  constructor(options: BackupAndRestoreOptions) {
    if (arguments.length > 1) throw tooManyArguments('callbacks.BackupAndRestore', 1, arguments.length);
    options = classOptions('callbacks', BackupAndRestore, new.target, options);
    super();
    const op = 'BackupAndRestore';
    if (options === undefined || options === null) throw new Error(`${op}: expected options with a backupDir, got ${describe(options)}`);
    if (typeof options.backupDir !== 'string' || options.backupDir.length === 0)
      throw new Error(`${op}: expected backupDir to be a non-empty folder path, got ${describe(options.backupDir)}`);
    const freq = options.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isSafeInteger(freq) && freq > 0))
      throw new Error(`${op}: invalid saveFreq: expected 'epoch' or an integer > 0 (back up every N batches), got ${describe(freq)}`);
    const del = options.deleteCheckpoint ?? true;
    if (typeof del !== 'boolean') throw new Error(`${op}: expected deleteCheckpoint to be a boolean, got ${describe(del)}`);
    this.backupDir = options.backupDir;
    this.saveFreq = freq;
    this.deleteCheckpoint = del;
  }

  /** The backup file's path. */
  get backupPath(): string {
    return path.join(this.backupDir, BACKUP_FILE);
  }

  /** @internal Where fit resumes after onTrainBegin restored a backup; null when there was none. */
  get resumePoint(): ResumePoint | null {
    return this.resume;
  }

  /** @internal Batch ends do not read the logs (data-parallel fit reduces them only for a reader). */
  get readsBatchLogs(): boolean {
    return false;
  }

  /** Restores the backup, if the folder holds one. */
  override onTrainBegin(): void {
    this.resume = null;
    this.batchesSinceSave = 0;
    const model = this.attachedModel('onTrainBegin') as BackupModel;
    if (!fs.existsSync(this.backupPath)) return;
    if (model.built === false) {
      throw new Error(
        `BackupAndRestore: to restore ${this.backupPath}, model ${model.name ?? ''} must be built before fit(); give the first layer an inputShape or call model.build(shape)`,
      );
    }
    this.resume = restore(this.backupPath, model);
    this.epoch = this.resume.epoch;
  }

  /** Notes the epoch, for batch-frequency backups. */
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** Backs up every `saveFreq` batches when it is a number. */
  override async onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    this.checkHook('onTrainBatchEnd', batch, logs);
    if (this.saveFreq === 'epoch') return;
    if (++this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      // After an epoch's last batch the next fit starts at the next epoch (nothing left to skip).
      const done = this.params.steps !== undefined && batch + 1 >= this.params.steps;
      await this.save(done ? this.epoch + 1 : this.epoch, done ? 0 : batch + 1, 'onTrainBatchEnd');
    }
  }

  /** Backs up at each epoch's end when saveFreq is 'epoch': the next fit starts at the next epoch. */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    this.checkHook('onEpochEnd', epoch, logs);
    if (this.saveFreq === 'epoch') await this.save(epoch + 1, 0, 'onEpochEnd');
  }

  /** Deletes the backup (fit ended without an error) when deleteCheckpoint is true. */
  override onTrainEnd(): void {
    if (!this.deleteCheckpoint || !writer()) return;
    fs.rmSync(this.backupPath, { force: true });
    // The folder too, when nothing else is in it (Keras deletes the whole folder).
    if (fs.existsSync(this.backupDir) && fs.readdirSync(this.backupDir).length === 0) fs.rmdirSync(this.backupDir);
  }

  private async save(epoch: number, step: number, hook: string): Promise<void> {
    if (!writer()) return;
    const model = this.attachedModel(hook) as BackupModel;
    await writeFileAtomic(this.backupPath, encode(model, epoch, step));
  }
}

// Rank 0 writes (or the only process); every rank reads.
function writer(): boolean {
  return activeDataParallel() === null || currentWorld().size <= 1 || currentWorld().rank === 0;
}

function optimizerOf(model: BackupModel): Optimizer | null {
  return model.optimizer instanceof Optimizer ? model.optimizer : null;
}

// The state as one buffer: MAGIC, the header's length (4 bytes), the header (JSON), the values.
function encode(model: BackupModel, epoch: number, step: number): Uint8Array {
  const weights = model.weights ?? [];
  const trainable = model.trainableWeights ?? [];
  const opt = optimizerOf(model);
  const values: TypedArray[] = weights.map((v) => v.dataSync() as TypedArray);
  const weightSpecs: ValueSpec[] = weights.map((v) => ({ shape: [...v.shape], dtype: v.dtype }));
  const optSpecs: ValueSpec[] = [];
  if (opt !== null) {
    const named = opt.getWeights();
    try {
      for (const { name, tensor: t } of named) {
        // A slot is named '<variable>/<kind>': kept by the variable's index, so that a model
        // made again (its variables named afresh) takes it.
        const i = trainable.findIndex((v) => name.startsWith(`${v.name}/`));
        const spec: ValueSpec =
          i >= 0
            ? { shape: [...t.shape], dtype: t.dtype, variable: i, kind: name.slice(trainable[i].name.length + 1) }
            : { shape: [...t.shape], dtype: t.dtype, name };
        optSpecs.push(spec);
        values.push(t.dataSync() as TypedArray);
      }
    } finally {
      dispose(named.map((n) => n.tensor));
    }
  }
  const header: Header = { epoch, step, optimizer: opt?.constructor.name ?? null, weights: weightSpecs, optimizerState: optSpecs };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const total = values.reduce((n, v) => n + v.byteLength, 0);
  const out = new Uint8Array(MAGIC.length + 4 + head.length + total);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, head.length, true);
  out.set(head, MAGIC.length + 4);
  let at = MAGIC.length + 4 + head.length;
  for (const v of values) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
    at += v.byteLength;
  }
  return out;
}

// Restores a backup into `model` and its optimizer; returns where fit resumes.
function restore(file: string, model: BackupModel): ResumePoint {
  const op = `BackupAndRestore: ${file}`;
  const bytes = fs.readFileSync(file);
  if (bytes.length < MAGIC.length + 4 || bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC)
    throw new Error(`${op} is not a BackupAndRestore backup; the backupDir must hold nothing else`);
  const headLength = bytes.readUInt32LE(MAGIC.length);
  const header = JSON.parse(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headLength).toString('utf8')) as Header;
  let at = MAGIC.length + 4 + headLength;
  const take = (spec: ValueSpec): Tensor => {
    const Ctor = ownEntry(arrays, spec.dtype);
    if (Ctor === undefined) throw new Error(`${op}: unsupported dtype '${spec.dtype}'`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const width = Ctor === Uint8Array ? 1 : (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const buf = bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n * width);
    at += n * width;
    return tensor(new Ctor(buf), spec.shape, spec.dtype);
  };
  const weights = model.weights ?? [];
  if (header.weights.length !== weights.length)
    throw new Error(`${op} holds ${header.weights.length} weights, but the model has ${weights.length}; was it made by another model?`);
  const values = header.weights.map(take);
  try {
    model.setWeights(values);
  } finally {
    dispose(values);
  }
  const opt = optimizerOf(model);
  if (header.optimizerState.length > 0) {
    if (opt === null) throw new Error(`${op} holds optimizer state, but the model has no compiled optimizer`);
    if (header.optimizer !== opt.constructor.name)
      throw new Error(`${op} holds the state of a ${header.optimizer}, but the model's optimizer is a ${opt.constructor.name}`);
    const trainable = model.trainableWeights ?? [];
    // The slots must exist before setWeights fills them.
    const used = [...new Set(header.optimizerState.filter((s) => s.variable !== undefined).map((s) => s.variable!))];
    if (used.some((i) => i >= trainable.length))
      throw new Error(`${op}: the optimizer state names more trainable weights than the model has (${trainable.length})`);
    opt.build(used.map((i) => trainable[i]));
    const named = header.optimizerState.map((s) => ({ name: s.name ?? `${trainable[s.variable!].name}/${s.kind}`, tensor: take(s) }));
    try {
      opt.setWeights(named);
    } finally {
      dispose(named.map((n) => n.tensor));
    }
  }
  return { epoch: header.epoch, step: header.step };
}

/** @internal Where fit resumes: what the (last) BackupAndRestore among `callbacks` restored, or null. */
export function resumePointOf(callbacks: readonly AnyCallback[]): ResumePoint | null {
  let out: ResumePoint | null = null;
  for (const c of callbacks) if (c instanceof BackupAndRestore && c.resumePoint !== null) out = c.resumePoint;
  return out;
}
