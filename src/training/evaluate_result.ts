// What evaluate returns: the loss and metrics by name (Keras 3's return_dict form, which
// callbacks and logs use too), that also reads in order as Keras's default list and
// TensorFlow.js's array of scalars do: `const [loss, accuracy] = await model.evaluate(x, y)`,
// `result[0]`, `result.length`. Those are not enumerable, so keys, entries, spreading and
// JSON see the names only.
import type { Logs } from '../callbacks/callback';

/** evaluate's result: values by name, and in order (loss first, then the metrics) by index and iteration. */
export type EvaluateLogs = Logs & Iterable<number> & { readonly length: number };

// The named values only: the index properties are not enumerable.
function* valuesInOrder(this: Logs): Iterator<number> {
  yield* Object.values(this);
}

/** `logs`, readable in order: iterable, indexed and with a length. */
export function evaluateLogs(logs: Logs): EvaluateLogs {
  const values = Object.values(logs);
  const hidden = (value: unknown) => ({ value, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(logs, Symbol.iterator, hidden(valuesInOrder));
  Object.defineProperty(logs, 'length', hidden(values.length));
  values.forEach((v, i) => Object.defineProperty(logs, i, hidden(v)));
  return logs as EvaluateLogs;
}
