// Arguments past a function's last parameter, which JavaScript drops without a word: every
// public function the bad-input sweep calls directly (its valid baseline call) refuses one
// more argument with an error naming it (`relu(x, 5)`, `sum(x, 0, true, 'x')`,
// `dispose(a, b)` disposed only a). 155 of 181 accepted it silently before
// (src/options/arity.ts).
import * as ts from '../../src';
import { build } from '../sweeps/args';
import { BASELINES } from '../sweeps/op_baselines';
import { resolveOp } from '../sweeps/plan';

// Functions where one more argument than the baseline call gives is still a parameter, with why.
const TAKES_IT = new Map([
  ['einsum', 'an equation and any number of tensors'],
  ['data.parseIdx', 'the optional name its errors use (the baseline leaves it out)'],
  ['activations.get', 'the optional name of the caller its errors use (the baseline leaves it out)'],
]);

const direct = Object.entries(BASELINES).filter(([key, b]) => !key.includes('#') && !b.thenCall && !b.setup && !b.method);

it('covers the functions with a direct baseline call', () => {
  expect(direct.length).toBeGreaterThan(150);
});

it.each(direct.map(([key]) => key))('%s refuses an extra argument with an error naming it', async (key) => {
  const fn = resolveOp(ts as never, key) as (...a: unknown[]) => unknown;
  if (typeof fn !== 'function' || /^class\b/.test(String(fn)) || TAKES_IT.has(key)) return;
  const args = BASELINES[key].args.map((a) => build(ts as never, a));
  let error: unknown = null;
  try {
    await fn(...args, 'EXTRA');
  } catch (e) {
    error = e;
  }
  if (error === null) throw new Error(`${key} accepted an extra argument`);
  // Most say "expected at most N arguments"; where the extra lands in a parameter the
  // baseline left out, that parameter's own check refuses it. Either way the error names
  // the function (or the layer class a factory builds) first.
  const message = (error as Error).message;
  expect(message).toMatch(/^(ts\.)?[A-Za-z][\w.]*: /);
  expect(message).toMatch(new RegExp(`expected at most \\d+ arguments?, got ${args.length + 1}|EXTRA`));
});
