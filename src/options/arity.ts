// Arguments past a function's last parameter, which JavaScript drops without a word
// (`relu(x, 5)`, `sum(x, 0, true, 'x')`): each public function refuses them by checking
// `arguments.length` first (test/runtime/extra_arguments.test.ts finds one that does not).

/** @internal The error for a call of `op` with `count` arguments where it takes at most `max`. */
export function tooManyArguments(op: string, max: number, count: number): Error {
  return new Error(`${op}: expected at most ${max} argument${max === 1 ? '' : 's'}, got ${count}; the ones past the last are not read`);
}
