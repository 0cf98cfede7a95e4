// Zero-size tensors through every public op (test/zero_size/cases.ts), each dimension
// emptied in turn, forward and gradient: no crash (a SIGFPE in a work-split heuristic
// killed the process), no error but the documented ones, and empty inputs give results
// of the shape the op promises. The sweep runs in a child process so that a crash fails
// this test instead of killing jest; after a crash it resumes with the next run.
import * as ts from '../src';
import { howItEnded, runTsBody, runTsChild } from './helpers/child';
import { sweepRuns } from './zero_size/sweep_child';

interface RunResult {
  id: string;
  crash?: string;
  error?: string;
  outputs?: number[][];
  grads?: { input: number[]; grad: number[] }[];
}

function sweep(): RunResult[] {
  const runs = sweepRuns();
  const results: RunResult[] = [];
  let from = 0;
  while (from < runs.length) {
    const child = runTsChild('test/zero_size/sweep_child.ts', [String(from)], { timeoutMs: 300_000 });
    let next = runs.length;
    let started = -1;
    for (const line of (child.stdout ?? '').split('\n')) {
      if (!line.startsWith('{')) continue;
      const msg = JSON.parse(line);
      if ('start' in msg) started = msg.start;
      else results[msg.done] = { id: runs[msg.done].id, ...msg };
    }
    if (child.status !== 0) {
      // The run that started and never finished crashed the child; go on after it.
      const at = started >= 0 && results[started] === undefined ? started : from;
      results[at] = { id: runs[at].id, crash: `${howItEnded(child)}: ${(child.stderr ?? '').slice(-500)}` };
      next = at + 1;
    }
    from = next;
  }
  return results;
}

describe('zero-size tensors through every public op', () => {
  const runs = sweepRuns();
  let results: RunResult[] = [];
  beforeAll(() => {
    results = sweep();
  }, 600_000);

  it('covers every run', () => {
    expect(results.filter((r) => r !== undefined).length).toBe(runs.length);
    expect(runs.length).toBeGreaterThan(200);
  });

  it('never crashes', () => {
    expect(results.filter((r) => r?.crash).map((r) => `${r.id}: ${r.crash}`)).toEqual([]);
  });

  it('raises no error but the documented ones', () => {
    const unexpected: string[] = [];
    runs.forEach((run, i) => {
      const r = results[i];
      if (!r?.error) return;
      const allowed = run.emptied !== null ? run.c.errorsWhenEmpty?.[run.emptied] : undefined;
      if (!allowed || !allowed.test(r.error)) unexpected.push(`${r.id}: ${r.error}`);
    });
    expect(unexpected).toEqual([]);
  });

  it('raises the documented errors', () => {
    const missing: string[] = [];
    runs.forEach((run, i) => {
      if (run.emptied !== null && run.c.errorsWhenEmpty?.[run.emptied] && !results[i]?.error) missing.push(run.id);
    });
    expect(missing).toEqual([]);
  });

  it('gives each input a gradient of its own shape', () => {
    const wrong: string[] = [];
    for (const r of results) {
      for (const g of r?.grads ?? []) if (g.grad.join() !== g.input.join()) wrong.push(`${r.id}: [${g.input}] got [${g.grad}]`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('zero-size results', () => {
  // In this process: the sweep above shows these no longer crash.
  const values = (t: ts.Tensor): number[] => Array.from(t.dataSync());

  it('softmax family: empty rows give empty results, and losses of rows without classes are 0', () => {
    ts.tidy(() => {
      expect(ts.softmax(ts.zeros([2, 0])).shape).toEqual([2, 0]);
      expect(ts.softmax(ts.zeros([0])).shape).toEqual([0]);
      expect(ts.logSoftmax(ts.zeros([0, 5])).shape).toEqual([0, 5]);
      expect(ts.layers.softmax().apply(ts.ones([3, 0]))).toHaveProperty('shape', [3, 0]);
      expect(values(ts.softmaxCrossEntropyWithLogits(ts.zeros([2, 0]), ts.zeros([2, 0])))).toEqual([0, 0]);
      // (+ 0: the loss is a negated sum, -0 here)
      expect(values(ts.losses.categoricalCrossentropy(ts.zeros([2, 0]), ts.zeros([2, 0]), { fromLogits: true })).map((v) => v + 0)).toEqual([0, 0]);
      const g = ts.grad((x: ts.Tensor) => ts.sum(ts.softmax(x)))(ts.zeros([2, 0]));
      expect(g.shape).toEqual([2, 0]);
    });
  });

  it('reductions over an empty axis give the identity: sum 0, prod 1, max -Infinity, min Infinity, mean NaN', () => {
    ts.tidy(() => {
      const x = ts.zeros([2, 0]);
      expect(values(ts.sum(x, 1))).toEqual([0, 0]);
      expect(values(ts.prod(x, 1))).toEqual([1, 1]);
      expect(values(ts.max(x, 1))).toEqual([-Infinity, -Infinity]);
      expect(values(ts.min(x, 1))).toEqual([Infinity, Infinity]);
      expect(values(ts.mean(x, 1))).toEqual([NaN, NaN]);
      expect(values(ts.logSumExp(x, -1))).toEqual([-Infinity, -Infinity]);
      const m = ts.moments(x, 1);
      expect([values(m.mean), values(m.variance)]).toEqual([
        [NaN, NaN],
        [NaN, NaN],
      ]);
      expect(ts.l2Normalize(x, -1).shape).toEqual([2, 0]);
      expect(ts.sum(x, 0).shape).toEqual([0]);
      expect(values(ts.matMul(ts.ones([2, 0]), ts.ones([0, 3])))).toEqual([0, 0, 0, 0, 0, 0]);
      expect(ts.dropout(x, 0.5, [2, 1]).shape).toEqual([2, 0]);
      expect(ts.unstack(x, 1)).toEqual([]);
    });
  });
});

// Kernels that walked an empty tensor's rows or tiles one by one: a [2^40, 0] input took
// hours. Run in a child with a timeout, so the old code fails the test instead of hanging jest.
it('empty tensors with a huge other dimension return at once (cumsum, softmax, concat, stack, reverse)', () => {
  const r = runTsBody(
    `const big = 2 ** 40;
     const shapes = [
       ts.cumsum(ts.zeros([0, big]), 0), ts.cumsum(ts.zeros([big, 0]), 1),
       ts.softmax(ts.zeros([big, 0])), ts.logSoftmax(ts.zeros([big, 0])),
       ts.concat([ts.zeros([big, 0]), ts.zeros([big, 0])], 1), ts.stack([ts.zeros([big, 0]), ts.zeros([big, 0])], 1),
       ts.reverse(ts.zeros([2 ** 20, 2 ** 20, 0])),
       ts.grad((v) => ts.sum(ts.softmax(v)))(ts.zeros([big, 0])),
     ].map((t) => t.shape.join('x'));
     console.log(shapes.join(' '));`,
    [],
    60_000,
  );
  expect({ out: r.stdout.trim(), ended: howItEnded(r) }).toEqual({
    out: '0x1099511627776 1099511627776x0 1099511627776x0 1099511627776x0 1099511627776x0 1099511627776x2x0 1048576x1048576x0 1099511627776x0',
    ended: 'exit 0',
  });
});
