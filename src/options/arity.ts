// Arguments past a function's last parameter, which JavaScript drops without a word
// (`relu(x, 5)`, `sum(x, 0, true, 'x')`): each public function refuses them by checking
// `arguments.length` first (test/runtime/extra_arguments.test.ts finds one that does not).

/** @internal The error for a call of `op` with `count` arguments where it takes at most `max`. */
export function tooManyArguments(op: string, max: number, count: number): Error {
  // map / forEach / filter call their function with (value, index, array): the usual way
  // `tensors.forEach(ts.dispose)` reaches here.
  const callback =
    count === 3 && max < 3 ? `; given straight to map or forEach, a function gets (value, index, array): wrap it, (x) => ${op.replace(/^.*\./, '')}(x)` : '';
  return new Error(`${op}: expected at most ${max} argument${max === 1 ? '' : 's'}, got ${count}; the ones past the last are not read${callback}`);
}
