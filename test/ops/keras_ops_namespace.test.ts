// ts.ops against keras.ops (Keras 3.15, JAX): test/fixtures/nn/keras_ops_namespace.json, made by
// scripts/fixtures/make_keras_ops_namespace.py. Every Keras name must be in ts.ops and be covered
// by a case or listed below with a reason; every case replays through ts.ops with Keras's
// positional arguments and must give Keras's shape, dtype and values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';

interface Encoded {
  shape: number[];
  dtype: string;
  data: (number | string | boolean)[];
  shapeOnly?: boolean;
}
type Out = { t: Encoded } | { py: unknown } | Out[];
interface Case {
  name: string;
  op: string;
  args: unknown[];
  out: Out;
  rtol?: number;
}
interface Fixture {
  names: Record<'ops' | 'numpy' | 'nn' | 'image' | 'linalg', string[]>;
  cases: Case[];
}

const fixture: Fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'nn', 'keras_ops_namespace.json'), 'utf8'));
const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// Names no case covers, and why.
const UNCOVERED: Record<string, string> = {
  associativeScan: 'takes a callable: test/ops/keras_control_flow.test.ts',
  cond: 'takes callables: test/ops/keras_control_flow.test.ts',
  customGradient: 'takes a callable: test/ops/keras_core_ops.test.ts',
  foriLoop: 'takes a callable: test/ops/keras_control_flow.test.ts',
  jvp: 'takes a callable: test/ops/keras_core_ops.test.ts',
  map: 'takes a callable: test/ops/keras_control_flow.test.ts',
  scan: 'takes a callable: test/ops/keras_control_flow.test.ts',
  switch: 'takes callables: test/ops/keras_control_flow.test.ts',
  vectorize: 'takes a callable: test/ops/keras_core_ops.test.ts',
  vectorizedMap: 'takes a callable: test/ops/keras_control_flow.test.ts',
  whileLoop: 'takes callables: test/ops/keras_control_flow.test.ts',
  convertToNumpy: 'returns a host array, not a tensor: checked below',
  isTensor: 'returns a boolean: checked below',
  eig: 'complex eigenvalues: JAX gives complex64, Tessera a (real, imaginary) pair',
  polar: 'complex result in Keras (Tessera: a pair)',
  viewAsReal: 'takes a complex tensor in Keras (Tessera: a pair)',
  viewAsComplex: 'complex result in Keras (Tessera: a pair)',
};

// Cases where ts.ops differs from Keras on purpose, and why.
const DIVERGENT: Record<string, string> = {
  array: 'JavaScript numbers do not say int or float: [[1, 2]] is float32, as ts.tensor makes it (pass dtype int32)',
  convert_to_tensor: 'as array',
  'sparsemax axis 0':
    "Keras 3.15's JAX sparsemax sums all the support's cumulative sums for tau (wrong when 2 or more entries survive: a column then sums to 1.75); ts.ops's sums to 1",
  'multi_hot axis dtype':
    "refused with a clear error: Keras 3.15's multi_hot with axis 0 takes the maximum over axis 1 of the one-hot, the batch rather than the ids",
  'square bool': 'arithmetic on bools is refused with a clear error (cast first)',
  'abs bool': 'as square bool',
  'add bool': 'as square bool',
  'unique unsorted': "Keras's JAX backend sorts even with sorted=False; ts.ops.unique keeps first-occurrence order, as sorted=false says",
};
// Live tensors, counting those the GC reclaimed (a leak elsewhere collected mid-case is not this case's).
const live = (): number => {
  const m = ts.memory();
  return m.numTensors + m.reclaimedByGC;
};
const CACHING = new Set(['fft', 'fft2', 'ifft2', 'rfft', 'irfft', 'stft', 'istft']);
// Eigenvectors and singular vectors are defined up to sign: compared by magnitude.
const SIGN_FREE = new Set(['eigh', 'svd', 'linalg.eigh']);

const decodeNum = (v: number | string | boolean): number =>
  v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : typeof v === 'boolean' ? Number(v) : (v as number);
const decode = (a: unknown): unknown => {
  if (Array.isArray(a)) return a.map(decode);
  if (a === null || typeof a !== 'object') return a;
  if ('null' in a) return null;
  if ('tuple' in a) return (a as { tuple: unknown[] }).tuple.map(decode);
  const t = (a as { t: Encoded }).t;
  return ts.tensor(t.dtype === 'bool' ? (t.data as boolean[]) : t.data.map(decodeNum), t.shape, t.dtype as ts.DType);
};

function compare(got: unknown, want: Out, name: string, rtol?: number): void {
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) throw new Error(`${name}: expected a list of ${want.length}, got ${String(got)}`);
    expect({ name, length: got.length }).toEqual({ name, length: want.length });
    want.forEach((w, i) => compare(got[i], w, `${name}[${i}]`, rtol));
    return;
  }
  if ('py' in want) {
    // Keras's Python value (shape tuples, dtype names, sizes); a 0-d tensor stands for a number.
    const g = got instanceof ts.Tensor ? (got.dataSync() as ArrayLike<number>)[0] : got;
    expect({ name, value: Array.isArray(g) ? [...g] : g }).toEqual({ name, value: want.py });
    return;
  }
  if (!(got instanceof ts.Tensor)) throw new Error(`${name}: expected a tensor, got ${String(got)}`);
  const w = want.t;
  expect({ name, shape: got.shape, dtype: got.dtype }).toEqual({ name, shape: w.shape, dtype: w.dtype });
  if (w.shapeOnly) return;
  const tol = rtol ?? (got.dtype === 'float32' ? 1e-5 : 0);
  const g = Array.from(got.dataSync() as ArrayLike<number>, Number);
  w.data.map(decodeNum).forEach((x, i) => {
    const v = g[i];
    const ok =
      SIGN_FREE.has(name.replace(/\[\d+\]$/, '')) && Math.abs(Math.abs(v) - Math.abs(x)) <= tol + tol * Math.abs(x)
        ? true
        : Number.isNaN(x)
          ? Number.isNaN(v)
          : !Number.isFinite(x)
            ? v === x
            : Math.abs(v - x) <= tol + tol * Math.abs(x);
    if (!ok) throw new Error(`${name}: element ${i} is ${v}, Keras gives ${x}`);
  });
}

const resolve = (op: string): ((...a: unknown[]) => unknown) =>
  op.split('.').reduce((o: unknown, k) => (o as Record<string, unknown>)[k], ts.ops) as (...a: unknown[]) => unknown;

describe('ts.ops has every keras.ops name', () => {
  it.each(['ops', 'numpy', 'nn', 'image', 'linalg'] as const)('%s', (mod) => {
    const ns = (mod === 'ops' ? ts.ops : ts.ops[mod]) as Record<string, unknown>;
    const missing = fixture.names[mod].map(camel).filter((n) => typeof ns[n] !== 'function');
    expect({ mod, missing }).toEqual({ mod, missing: [] });
  });

  it('sub-namespace members are the top-level objects where Keras shares them', () => {
    for (const mod of ['numpy', 'nn', 'linalg'] as const) {
      const ns = ts.ops[mod] as Record<string, unknown>;
      const top = ts.ops as Record<string, unknown>;
      const differ = fixture.names[mod].map(camel).filter((n) => n in top && ns[n] !== top[n]);
      expect({ mod, differ }).toEqual({ mod, differ: [] });
    }
  });

  it('every divergence names a case', () => {
    const names = new Set(fixture.cases.map((c) => c.name));
    expect(Object.keys(DIVERGENT).filter((n) => !names.has(n))).toEqual([]);
  });

  it('every name is covered by a case or listed with a reason', () => {
    const covered = new Set(fixture.cases.map((c) => c.op.split('.').pop()));
    const bare = fixture.names.ops.map(camel).filter((n) => !covered.has(n) && !(n in UNCOVERED));
    expect(bare).toEqual([]);
    const stale = Object.keys(UNCOVERED).filter((n) => covered.has(n));
    expect(stale).toEqual([]);
    const images = new Set(fixture.cases.filter((c) => c.op.startsWith('image.')).map((c) => c.op.slice('image.'.length)));
    expect(fixture.names.image.map(camel).filter((n) => !images.has(n))).toEqual([]);
  });
});

describe('ts.ops against keras.ops', () => {
  it.each(fixture.cases.filter((c) => !(c.name in DIVERGENT)).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // The spectral ops cache their DFT matrices on a first call: made before counting.
    if (CACHING.has(c.op)) ts.dispose(resolve(c.op)(...c.args.map(decode)) as ts.TensorContainer);
    // Outside tidy: whatever the op made besides its result would be left over.
    const before = live();
    const args = c.args.map(decode);
    const out = resolve(c.op)(...args);
    try {
      compare(out, c.out, c.name, c.rtol);
    } finally {
      ts.dispose(args as ts.TensorContainer);
      if (typeof out === 'object' && out !== null) ts.dispose(out as ts.TensorContainer);
    }
    expect({ name: c.name, leaked: live() - before }).toEqual({ name: c.name, leaked: 0 });
  });
});

describe('ts.ops wrappers given JavaScript arrays', () => {
  // The tensors made from the arrays are the wrapper's to dispose.
  it.each([
    ['split', () => ts.ops.split([1, 2, 3, 4], [1])],
    [
      'unstack',
      () =>
        ts.ops.unstack([
          [1, 2],
          [3, 4],
        ]),
    ],
    [
      'pad',
      () =>
        ts.ops.pad(
          [[1, 2]],
          [
            [0, 0],
            [1, 1],
          ],
          'reflect',
        ),
    ],
    ['expandDims', () => ts.ops.expandDims([1, 2], [0, 2])],
    ['transpose', () => ts.ops.transpose([[1, 2]])],
    [
      'diag',
      () =>
        ts.ops.diag([
          [1, 2],
          [3, 4],
        ]),
    ],
    ['imag', () => ts.ops.imag([1, 2])],
    ['unique', () => ts.ops.unique([3, 1, 3])],
    [
      'cumsum',
      () =>
        ts.ops.cumsum([
          [1, 2],
          [3, 4],
        ]),
    ],
    ['all', () => ts.ops.all([1, 0])],
    ['max', () => ts.ops.max([1, 5], null, false, 9)],
    ['searchsorted', () => ts.ops.searchsorted([1, 2, 3], [2.5])],
    ['bincount', () => ts.ops.bincount(ts.tensor([1, 1, 3], undefined, 'int32'))],
    ['matmul', () => ts.ops.matmul(ts.tensor([[1, 2]], undefined, 'int32'), ts.tensor([[3], [4]], undefined, 'int32'))],
  ] as const)('%s', (_name, call) => {
    const before = live();
    const out = call() as ts.TensorContainer;
    const made = Array.isArray(out) ? out.length : 1;
    const extra = _name === 'bincount' || _name === 'matmul' ? (_name === 'matmul' ? 2 : 1) : 0;
    expect(live() - before).toBe(made + extra);
    ts.dispose(out);
  });
});

describe('ts.ops core helpers', () => {
  it("where of JavaScript numbers: integers give int32 (Keras's Python ints), fractions float32", () => {
    ts.tidy(() => {
      const c = ts.tensor([true, false]);
      expect((ts.ops.where(c, 1, 0) as ts.Tensor).dtype).toBe('int32');
      expect((ts.ops.where(c, 1.5, 0) as ts.Tensor).dtype).toBe('float32');
      expect((ts.ops.where(c, ts.tensor([1, 2]), 0) as ts.Tensor).dtype).toBe('float32');
    });
  });

  it('isTensor and convertToNumpy', () => {
    const x = ts.tensor([1, 2]);
    expect(ts.ops.isTensor(x)).toBe(true);
    expect(ts.ops.isTensor([1, 2])).toBe(false);
    expect(ts.ops.convertToNumpy(x)).toEqual([1, 2]);
    x.dispose();
  });
});

describe('ts.ops control flow with JavaScript functions', () => {
  const values = (t: ts.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

  it('are the top-level functions (tested in keras_control_flow and keras_core_ops)', () => {
    for (const n of [
      'associativeScan',
      'cond',
      'foriLoop',
      'map',
      'scan',
      'switch',
      'vectorize',
      'vectorizedMap',
      'whileLoop',
      'customGradient',
      'jvp',
    ] as const)
      expect({ n, same: ts.ops[n] === (ts as unknown as Record<string, unknown>)[n] }).toEqual({ n, same: true });
  });

  it('cond, foriLoop, whileLoop and scan run as Keras documents them', () => {
    ts.tidy(() => {
      expect(
        values(
          ts.ops.cond(
            true,
            () => ts.tensor([1]),
            () => ts.tensor([2]),
          ) as ts.Tensor,
        ),
      ).toEqual([1]);
      expect(values(ts.ops.foriLoop(0, 4, (i: number, acc: ts.Tensor) => ts.add(acc, i), ts.tensor(0)) as ts.Tensor)).toEqual([6]);
      // Keras unpacks a list of loop variables into the functions' arguments.
      const [last] = ts.ops.whileLoop(
        (i: ts.Tensor) => ts.less(i, 5),
        (i: ts.Tensor) => [ts.add(i, 2)],
        [ts.tensor(0)],
      ) as ts.Tensor[];
      expect(values(last)).toEqual([6]);
      const [carry, ys] = ts.ops.scan((c: ts.Tensor, x: ts.Tensor) => [ts.add(c, x), ts.mul(c, x)], ts.tensor(0), ts.tensor([1, 2, 3])) as [
        ts.Tensor,
        ts.Tensor,
      ];
      expect([values(carry), values(ys)]).toEqual([[6], [0, 2, 9]]);
    });
  });
});
