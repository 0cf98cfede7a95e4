// TensorBoard: scalar summaries in TensorFlow's event-file format (TFRecord framing with
// masked CRC32C, protobuf Event / Summary messages), written without TensorFlow.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Callback, type Logs } from './callback';
import { classOptions } from '../options/check';
import { describe } from '../tensor/shape';

// ---- CRC32C (Castagnoli), as TFRecord frames use -------------------------------------
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * The CRC32C (Castagnoli) checksum of `bytes`, unmasked, as an unsigned 32-bit number.
 * @example crc32c(new TextEncoder().encode('123456789')) // 0xe3069283
 */
export function crc32c(bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array)) throw new Error(`crc32c: expected a Uint8Array, got ${describe(bytes)}`);
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function maskedCrc(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length, its masked CRC, the data, the data's masked CRC. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(16 + data.length);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc(out.subarray(0, 8)), 8);
  Buffer.from(data).copy(out, 12);
  out.writeUInt32LE(maskedCrc(data), 12 + data.length);
  return out;
}

// ---- the few protobuf encodings an Event needs ---------------------------------------
function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, data: Uint8Array) => [...key(field, 2), ...varint(data.length), ...data];
function doubleField(field: number, v: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...key(field, 1), ...b];
}
function floatField(field: number, v: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [...key(field, 5), ...b];
}

/** An Event {wall_time, step, summary {value {tag, simple_value}}} or {file_version}. */
export function eventBytes(wallTime: number, step: number, scalars: Record<string, number>, fileVersion?: string): Uint8Array {
  const fields = [...doubleField(1, wallTime), ...key(2, 0), ...varint(step)];
  if (fileVersion !== undefined) fields.push(...bytesField(3, Buffer.from(fileVersion)));
  const values = Object.entries(scalars).flatMap(([tag, v]) => bytesField(1, Uint8Array.from([...bytesField(1, Buffer.from(tag)), ...floatField(2, v)])));
  if (values.length) fields.push(...bytesField(5, Uint8Array.from(values)));
  return Uint8Array.from(fields);
}

/** Appends events to one events.out.tfevents file. */
export class EventFileWriter {
  /** The event file being written. */
  readonly path: string;

  /** Creates `logdir` if needed and starts a new event file in it. */
  constructor(logdir: string) {
    mkdirSync(logdir, { recursive: true });
    const now = Date.now() / 1000;
    this.path = join(logdir, `events.out.tfevents.${Math.floor(now)}.${hostname()}.tessera`);
    writeFileSync(this.path, tfRecord(eventBytes(now, 0, {}, 'brain.Event:2')));
  }

  /** Appends one event holding each value as a scalar summary at `step`. */
  scalars(step: number, values: Record<string, number>): void {
    appendFileSync(this.path, tfRecord(eventBytes(Date.now() / 1000, step, values)));
  }
}

/** Options of the TensorBoard callback. */
export interface TensorBoardOptions {
  /** Where to write; events go to its `train` and `validation` folders (default 'logs'). */
  logDir?: string;
  /** 'epoch', 'batch', or every N batches. */
  updateFreq?: 'epoch' | 'batch' | number;
}

/**
 * Writes training and validation scalars that `tensorboard --logdir` shows.
 * @example new TensorBoard({ logDir: 'logs/run1', updateFreq: 'batch' })
 */
export class TensorBoard extends Callback {
  private train?: EventFileWriter;
  private validation?: EventFileWriter;
  private step = 0;

  /** @param options - where to write and how often. */
  constructor(private readonly options: TensorBoardOptions = {}) {
    // eslint-disable-next-line no-useless-assignment -- the parameter property stores the checked options after super()
    options = classOptions('callbacks', TensorBoard, new.target, options);
    super();
  }

  /** Starts new event files under `logDir`/train and `logDir`/validation. */
  override onTrainBegin(): void {
    const dir = this.options.logDir ?? 'logs';
    this.train = new EventFileWriter(join(dir, 'train'));
    this.validation = new EventFileWriter(join(dir, 'validation'));
  }

  /** @internal Whether batch ends write the logs (updateFreq 'batch' or a number): data-parallel fit reduces batch logs only for a reader. */
  get readsBatchLogs(): boolean {
    return (this.options.updateFreq ?? 'epoch') !== 'epoch';
  }

  /** Writes `batch_*` scalars when `updateFreq` is 'batch' or a number of batches. */
  override onTrainBatchEnd(_batch: number, logs: Logs = {}): void {
    this.step++;
    const freq = this.options.updateFreq ?? 'epoch';
    const every = freq === 'batch' ? 1 : typeof freq === 'number' ? freq : 0;
    if (every > 0 && this.step % every === 0) this.train!.scalars(this.step, prefixed('batch_', logs));
  }

  /** Writes `epoch_*` scalars: training ones to train, `val_*` ones to validation. */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const train: Logs = {};
    const val: Logs = {};
    for (const [k, v] of Object.entries(logs)) {
      if (k.startsWith('val_')) val[`epoch_${k.slice(4)}`] = v;
      else train[`epoch_${k}`] = v;
    }
    this.train!.scalars(epoch, train);
    if (Object.keys(val).length) this.validation!.scalars(epoch, val);
  }
}

function prefixed(prefix: string, logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v]));
}
