// Reads HDF5 files in a worker thread with a time limit. A damaged file can send HDF5
// (compiled to WebAssembly) into an endless loop that never returns to JavaScript, so a
// reader on the main thread could not be stopped: a worker can be terminated. The worker
// is kept, idle and unref'd, after a read that succeeded (h5wasm's start costs more than
// a small file's read; before, it stayed loaded on the main thread); any failure ends it,
// since a failed read can leave h5wasm's state broken.
import { Worker } from 'node:worker_threads';
import { h5WorkerBody } from './h5_worker_body';
import { MAX_GROUP_DEPTH, type NodeData } from './h5_tree';

/** The time limit of one file's read when TESSERA_H5_TIMEOUT_MS does not set it. */
export const DEFAULT_H5_TIMEOUT_MS = 30_000;

/** What a read sends back: the file's tree, or why there is none. */
export type H5ReadResult = { tree: Extract<NodeData, { kind: 'group' }> } | { error: string } | { damaged: string; detail?: string };

/** The time limit of a read in milliseconds (TESSERA_H5_TIMEOUT_MS, else the default). */
export function h5TimeoutMs(): number {
  const raw = process.env.TESSERA_H5_TIMEOUT_MS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_H5_TIMEOUT_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new Error(`TESSERA_H5_TIMEOUT_MS: expected a positive whole number of milliseconds, got '${raw}'`);
  return ms;
}

let idle: Worker | null = null;

function startWorker(bundle: string): Worker {
  const limits = { maxDepth: MAX_GROUP_DEPTH };
  const source = `const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { runInThisContext } = require('node:vm');
(${h5WorkerBody.toString()})({ parentPort, readFileSync, runInThisContext }, ${JSON.stringify(bundle)}, ${JSON.stringify(limits)});`;
  const worker = new Worker(source, { eval: true });
  // An idle worker that fails is dropped (an 'error' without a listener would end the process).
  const drop = () => {
    if (idle === worker) idle = null;
  };
  worker.on('error', drop);
  worker.on('exit', drop);
  return worker;
}

function keep(worker: Worker): void {
  if (idle !== null) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle = worker;
}

/**
 * Reads the HDF5 file in `bytes` (named `source` in errors) in a worker, which is
 * stopped when it takes longer than the time limit. `bundle` is h5wasm's script.
 */
export function readInWorker(source: string, bytes: Uint8Array, bundle: string): Promise<H5ReadResult> {
  const ms = h5TimeoutMs();
  const worker = idle ?? startWorker(bundle);
  idle = null;
  worker.ref();
  return new Promise((resolve, reject) => {
    const finish = (reuse: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reuse) keep(worker);
      else void worker.terminate();
    };
    const onMessage = (m: H5ReadResult) => {
      finish('tree' in m);
      resolve(m);
    };
    const onError = (e: Error) => {
      finish(false);
      reject(new Error(`${source}: the HDF5 reader failed: ${e.message}`, { cause: e }));
    };
    const onExit = (code: number) => {
      finish(false);
      reject(new Error(`${source}: the HDF5 reader stopped (exit code ${code})`));
    };
    const timer = setTimeout(() => {
      finish(false);
      reject(
        new Error(
          `${source} did not finish reading in ${ms / 1000} s: the file is corrupt or hostile (the HDF5 reader was stopped; TESSERA_H5_TIMEOUT_MS sets the limit in milliseconds)`,
        ),
      );
    }, ms);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    // One copy, of these bytes only (a view's whole buffer would be cloned), moved to the worker.
    const copy = bytes.slice();
    worker.postMessage({ bytes: copy }, [copy.buffer]);
  });
}
