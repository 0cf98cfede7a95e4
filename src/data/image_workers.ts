// A small pool of worker threads that read and decode image files (image_codec.ts) off the
// main thread. Requests are answered in any order; callers keep their own order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { imageCodec, type DecodedImage } from './image_codec';

/** What a worker returns for one file. */
export type DecodeResult = { image: DecodedImage } | { error: string };

// The worker runs the codec's own source text, so it needs no compiled file of its own
// (the same under ts-jest and from dist/). Its require() is this file's: an eval'd
// worker's own resolves from the working directory, where the codecs may not be.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const codec = ((require) => (${imageCodec.toString()})())(require('node:module').createRequire(${JSON.stringify(__filename)}));
parentPort.on('message', ({ id, path, channels }) => {
  try {
    let bytes;
    try { bytes = readFileSync(path); } catch (e) { throw new Error(path + ': cannot read: ' + e.message); }
    const image = codec.toChannels(codec.decode(bytes, path), channels);
    const data = image.data.byteOffset === 0 && image.data.byteLength === image.data.buffer.byteLength ? image.data : image.data.slice();
    parentPort.postMessage({ id, image: { width: image.width, height: image.height, channels: image.channels, data } }, [data.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});`;

/** Default pool size: the cores but one, from 1 to 4. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Decoding workers; close() ends them. */
export class DecodePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, (r: DecodeResult) => void>();
  private nextId = 0;
  private turn = 0;
  private failure: Error | null = null;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number } & DecodeResult) => {
        const done = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (this.waiting.size === 0) this.hold(false);
        done?.(m);
      });
      w.on('error', (e) => this.fail(e));
      w.unref();
      return w;
    });
  }

  /** Decodes `path` into `channels` channels. */
  decode(path: string, channels: 1 | 3 | 4): Promise<DecodeResult> {
    if (this.failure) return Promise.resolve({ error: `a decoding worker failed: ${this.failure.message}` });
    const id = this.nextId++;
    if (this.waiting.size === 0) this.hold(true);
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.workers[this.turn++ % this.workers.length].postMessage({ id, path, channels });
    });
  }

  // Idle workers do not keep the process alive (a pass left without return() must not
  // hang the program at exit); workers with requests in flight do.
  private hold(busy: boolean): void {
    for (const w of this.workers) {
      if (busy) w.ref();
      else w.unref();
    }
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const done of this.waiting.values()) done({ error: `a decoding worker failed: ${e.message}` });
    this.waiting.clear();
    this.hold(false);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
