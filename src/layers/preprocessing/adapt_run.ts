// How adapt reads its data. Data in memory (a tensor, an array, strings) is read before adapt
// returns, as Keras's adapt is synchronous: a caller who does not await still gets an adapted
// layer, and bad data throws at once. A Dataset (or any async iterable) can only be read
// asynchronously; until that finishes the layer refuses to run, saying to await adapt, rather
// than compute with its un-adapted state. Either way adapt returns a Promise, as in TensorFlow.js.
import { checkNoHoles } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import type { Layer } from '../layer';

/** What one adapt does with its data: each element, then the result from all of them. */
export interface AdaptSink {
  add(element: unknown): void;
  finish(): void;
}

// Layers with an adapt still reading a Dataset (a count: adapt may be called again meanwhile).
const adapting = new Map<Layer<any>, number>();

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/** Feeds `data` to `sink`: at once when it is in memory, else asynchronously (the layer refusing calls meanwhile). */
export function runAdapt(layer: Layer<any>, data: unknown, sink: AdaptSink): Promise<void> {
  const op = `${layer.name}.adapt`;
  // The layers read a batch with map / flat / for-of, which skip a hole or read it as undefined.
  const add = (element: unknown) => {
    checkNoHoles(op, 'the data', element, 'data');
    sink.add(element);
  };
  if (data instanceof Tensor || Array.isArray(data)) {
    add(data);
    sink.finish();
    return Promise.resolve();
  }
  if (!isAsyncIterable(data)) {
    throw new Error(`${layer.name}.adapt: expected a tensor, an array or a Dataset, got ${data === null ? 'null' : typeof data}`);
  }
  adapting.set(layer, (adapting.get(layer) ?? 0) + 1);
  return readAll(data, { add, finish: () => sink.finish() }).finally(() => {
    const left = adapting.get(layer)! - 1;
    if (left === 0) adapting.delete(layer);
    else adapting.set(layer, left);
  });
}

async function readAll(data: AsyncIterable<unknown>, sink: AdaptSink): Promise<void> {
  for await (const element of data) sink.add(element);
  sink.finish();
}

/** @internal Throws while an adapt of `layer` is still reading a Dataset. */
export function checkNotAdapting(layer: Layer<any>): void {
  // Checked on every layer call: a size test first keeps that free when nothing adapts.
  if (adapting.size === 0 || !adapting.has(layer)) return;
  throw new Error(
    `${layer.name}: its adapt(...) is still reading the data; await layer.adapt(...) before using the layer (until it finishes, the layer holds no adapted state)`,
  );
}
