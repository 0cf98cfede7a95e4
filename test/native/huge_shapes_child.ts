// Tensors beyond what memory holds, in a child process whose address space is limited
// (huge_shapes.test.ts runs it under `ulimit -v`): each must be a clear error before any
// work, never an allocation of a truncated size (a crash) or a fill of 17 GB. Prints one
// JSON line per case: the error message, or what the call returned.
import * as ts from '../../src';

const cases: [string, () => unknown][] = [
  ['zeros 2^32', () => ts.zeros([2 ** 32])],
  ['zeros 2^31', () => ts.zeros([2 ** 31])],
  ['pad to 2^32 + 1', () => ts.pad(ts.ones([1]), [[2 ** 32, 0]])],
  ['slice of fill 2^32 + 1', () => ts.slice(ts.fill([2 ** 32 + 1], 7), [2 ** 32 - 1], [2])],
  ['randomNormal 2^34', () => ts.randomNormal([2 ** 17, 2 ** 17])],
  ['tensor then tile', () => ts.tile(ts.ones([1, 2]), [2 ** 31, 2])],
];

for (const [name, fn] of cases) {
  let line: object;
  try {
    const r = fn() as ts.Tensor;
    line = { name, returned: r.shape };
  } catch (e) {
    line = { name, error: e instanceof Error ? e.message : String(e) };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
