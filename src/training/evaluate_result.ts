// What evaluate returns: the loss and metrics by name (Keras 3's return_dict form, which
// callbacks and logs use too), that also destructures in order as Keras's default list and
// TensorFlow.js's array of scalars do: `const [loss, accuracy] = await model.evaluate(x, y)`.
// The iterator is not enumerable, so keys, entries, spreading and JSON see the names only.
import type { Logs } from '../callbacks/callback';

/** evaluate's result: values by name, iterable in order (loss first, then the metrics). */
export type EvaluateLogs = Logs & Iterable<number>;

function* valuesInOrder(this: Logs): Iterator<number> {
  yield* Object.values(this);
}

/** `logs`, made iterable over its values in order. */
export function evaluateLogs(logs: Logs): EvaluateLogs {
  Object.defineProperty(logs, Symbol.iterator, { value: valuesInOrder, enumerable: false, configurable: true, writable: true });
  return logs as EvaluateLogs;
}
