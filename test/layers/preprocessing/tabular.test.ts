// normalization, discretization and categoryEncoding: adapt, outputs, bad input, and the
// statistics saved with a model in both formats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../../src';

describe('normalization', () => {
  it('adapt computes the per-feature mean and variance; call standardizes, invert undoes it', async () => {
    const n = ts.layers.normalization();
    const data = ts.tensor([
      [1, 10],
      [3, 20],
      [5, 60],
    ]);
    await n.adapt(data);
    expect(Array.from(n.mean!.dataSync())).toEqual([3, 30]);
    const v = Array.from(n.variance!.dataSync());
    expect(v[0]).toBeCloseTo(8 / 3, 5);
    expect(v[1]).toBeCloseTo(1400 / 3, 3);
    const y = n.apply(data) as ts.Tensor;
    const rows = y.arraySync() as number[][];
    expect(rows[0][0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 5);
    expect(rows[1][1]).toBeCloseTo(-10 / Math.sqrt(1400 / 3), 5);
    const inv = ts.layers.normalization({ mean: [3, 30], variance: [8 / 3, 1400 / 3], invert: true });
    const back = inv.apply(y) as ts.Tensor;
    (back.arraySync() as number[][]).flat().forEach((x, i) => expect(x).toBeCloseTo([1, 10, 3, 20, 5, 60][i], 3));
    ts.dispose([data, y, back]);
  });

  it('adapts over a Dataset of batches the same as over the whole tensor', async () => {
    const whole = ts.layers.normalization();
    const x = ts.tensor([[1], [2], [3], [10]]);
    await whole.adapt(x);
    const streamed = ts.layers.normalization();
    await streamed.adapt(ts.data.fromTensors(x).batch(3));
    expect(Array.from(streamed.mean!.dataSync())[0]).toBeCloseTo(Array.from(whole.mean!.dataSync())[0], 5);
    expect(Array.from(streamed.variance!.dataSync())[0]).toBeCloseTo(Array.from(whole.variance!.dataSync())[0], 4);
    x.dispose();
  });

  it('is differentiable: the gradient of sum(normalize(x)) is 1/std', () => {
    const n = ts.layers.normalization({ mean: 1, variance: 4 });
    const x = ts.tensor([[1, 2]]);
    const g = ts.grad((t: ts.Tensor) => ts.sum(n.apply(t) as ts.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual([0.5, 0.5]);
    ts.dispose([x, g]);
  });

  it('bad input: empty adapt, strings, mean without variance', async () => {
    // In-memory data is read at once, so bad data throws there (as Keras's adapt does).
    expect(() => ts.layers.normalization().adapt([])).toThrow(/the data is empty/);
    expect(() => ts.layers.normalization().adapt(['a', 'b'] as never)).toThrow(/got JS strings/);
    expect(() => ts.layers.normalization({ mean: 1 })).toThrow(/both mean and variance/);
    expect(() => ts.layers.normalization().apply(['x'])).toThrow(/got JS strings/);
  });
});

describe('discretization', () => {
  it('buckets by boundaries (Keras: [-inf, 0), [0, 1), [1, 2), [2, inf)) and encodes', () => {
    const d = ts.layers.discretization({ binBoundaries: [0, 1, 2] });
    const x = ts.tensor([
      [-1.5, 1.0, 3.4, 0.5],
      [0.0, 3.0, 1.3, 0.0],
    ]);
    expect((d.apply(x) as ts.Tensor).arraySync()).toEqual([
      [0, 2, 3, 1],
      [1, 3, 2, 1],
    ]);
    const oh = ts.layers.discretization({ binBoundaries: [0, 1], outputMode: 'count' });
    expect((oh.apply(x) as ts.Tensor).arraySync()).toEqual([
      [1, 1, 2],
      [0, 2, 2],
    ]);
    x.dispose();
  });

  it("adapt finds Keras's quantile boundaries (its documented example); bad input is named", async () => {
    const d = ts.layers.discretization({ numBins: 4 });
    await d.adapt(ts.tensor([1, 2, 3, 4, 5, 6, 7, 8]));
    // Keras interpolates the cumulative weights: the boundaries sit at 1/4, 2/4, 3/4 of them.
    expect(d.binBoundaries).toEqual([2, 4, 6]);
    const x = ts.tensor([
      [-1.5, 1.0, 3.4, 0.5],
      [0.0, 3.0, 1.3, 0.0],
    ]);
    const documented = ts.layers.discretization({ numBins: 4, epsilon: 0.01 });
    await documented.adapt(x);
    expect(documented.binBoundaries).toEqual([0, 0.5, Math.fround(1.3)]);
    expect((documented.apply(x) as ts.Tensor).arraySync()).toEqual([
      [0, 2, 3, 2],
      [1, 3, 3, 1],
    ]);
    x.dispose();
    expect(() => ts.layers.discretization({ numBins: 2 }).adapt([])).toThrow(/empty/);
    expect(() => ts.layers.discretization({})).toThrow(/exactly one of binBoundaries and numBins/);
    expect(() => ts.layers.discretization({ binBoundaries: [2, 1] })).toThrow(/sorted/);
  });
});

describe("discretization's epsilon: Keras's approximate quantile summary, reproduced", () => {
  // 300 distinct float32 values; the expected boundaries are what Keras 3's Discretization
  // (its summarize / merge_summaries / compress_summary / get_bin_boundaries under NumPy) finds.
  const values = Array.from({ length: 300 }, (_, i) => Math.fround(Math.fround(((i * 37) % 101) / 10) + Math.fround(i / 1000)));

  it.each([
    [0.01, [2.067293405532837, 4.1228790283203125, 6.11093282699585, 8.161856651306152]],
    [0.1, [2.1816000938415527, 4.290200233459473, 6.268199920654297, 8.266402244567871]],
  ])('a Dataset in batches of 64, epsilon %s', async (epsilon, want) => {
    const d = ts.layers.discretization({ numBins: 5, epsilon });
    const x = ts.tensor(values);
    await d.adapt(ts.data.fromTensors(x).batch(64));
    expect(d.binBoundaries).toEqual(want);
    x.dispose();
  });

  it('one tensor is one batch; fewer values than numBins give fewer boundaries, as in Keras', async () => {
    const d = ts.layers.discretization({ numBins: 5, epsilon: 0.1 });
    await d.adapt(ts.tensor(values));
    expect(d.binBoundaries).toEqual([2.067999839782715, 4.11299991607666, 6.118999004364014, 8.156000137329102]);
    const few = ts.layers.discretization({ numBins: 4, outputMode: 'one_hot' });
    await few.adapt([1, 2, 3]);
    expect(few.binBoundaries).toEqual([1, 2]);
    const y = ts.tensor([0, 1.5, 9]);
    expect((few.apply(y) as ts.Tensor).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    y.dispose();
  });

  it('epsilon outside (0, 1) is refused; an adapted config holds numBins and binBoundaries, as Keras writes it, and loads', async () => {
    for (const epsilon of [0, 1, -0.1, NaN, '0.1'])
      expect(() => ts.layers.discretization({ numBins: 2, epsilon: epsilon as never })).toThrow(/expected epsilon to be a number in \(0, 1\), got/);
    const d = ts.layers.discretization({ numBins: 3, epsilon: 0.05 });
    await d.adapt([1, 2, 3, 4, 5, 6]);
    const config = d.getConfig();
    expect(config).toMatchObject({ numBins: 3, epsilon: 0.05, binBoundaries: d.binBoundaries });
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(d)) as ts.layers.Discretization;
    expect(back.binBoundaries).toEqual(d.binBoundaries);
    expect(back.numBins).toBe(3);
    // Still adaptable, as Keras's from_config leaves it.
    await back.adapt([10, 20, 30]);
    expect(back.binBoundaries).toEqual([10, 20]);
    expect(() => ts.layers.discretization({ numBins: 3, binBoundaries: [0, 1] })).toThrow(/exactly one of binBoundaries and numBins, got both/);
    expect(() => ts.layers.Discretization.fromConfig({ numBins: 3, binBoundaries: [1, 0] })).toThrow(/expected binBoundaries to be sorted numbers/);
  });
});

describe('adapt without await (Keras style) and on a Dataset (await it)', () => {
  it('in-memory data is adapted before adapt returns, which still returns a Promise', async () => {
    const n = ts.layers.normalization();
    const p = n.adapt(ts.tensor([[1], [3]]));
    expect(p).toBeInstanceOf(Promise);
    expect((n.apply(ts.tensor([[3]])) as ts.Tensor).dataSync()[0]).toBeCloseTo(1, 5);
    await p;
    const d = ts.layers.discretization({ numBins: 2 });
    void d.adapt([1, 2, 3, 4]);
    expect(d.binBoundaries).toEqual([2]);
    const l = ts.layers.integerLookup();
    void l.adapt([7, 7, 9]);
    expect(l.getVocabulary()).toEqual([-1, 7, 9]);
  });

  it('while a Dataset is still being read, apply, predict and fit say to await adapt', async () => {
    const x = ts.tensor([[1], [3]]);
    const pending: Array<[ts.layers.Layer, Promise<void>]> = [];
    for (const make of [() => ts.layers.normalization(), () => ts.layers.discretization({ numBins: 2 }), () => ts.layers.integerLookup()]) {
      const layer = make();
      pending.push([layer, layer.adapt(ts.data.fromTensors(x).batch(1))]);
    }
    for (const [layer] of pending) {
      expect(() => layer.apply(x)).toThrow(
        new RegExp(`^${layer.name}: its adapt\\(\\.\\.\\.\\) is still reading the data; await layer\\.adapt\\(\\.\\.\\.\\) before using the layer`),
      );
    }
    const norm = pending[0][0];
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] }), norm] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(() => m.predict(x)).toThrow(/await layer\.adapt/);
    await expect(m.fit(x, x, { verbose: 0 })).rejects.toThrow(/await layer\.adapt/);
    for (const [, p] of pending) await p;
    expect(Array.from(((norm as ts.layers.Layer).apply(x) as ts.Tensor).dataSync()).map((v) => Math.round(v))).toEqual([-1, 1]);
    expect((m.predict(x) as ts.Tensor).shape).toEqual([2, 1]);
    m.dispose();
    x.dispose();
  });

  it('a Dataset whose data is bad rejects and leaves the layer no longer adapting; data adapt cannot read throws at once', async () => {
    const n = ts.layers.normalization({ name: 'norm_bad_ds' });
    await expect(n.adapt(ts.data.array([['a']] as never))).rejects.toThrow(/got JS strings/);
    const x = ts.tensor([[1]]);
    expect(() => (n.apply(x) as ts.Tensor).dispose()).not.toThrow();
    x.dispose();
    expect(() => n.adapt(null as never)).toThrow(/norm_bad_ds\.adapt: expected a tensor, an array or a Dataset, got null/);
  });
});

describe('categoryEncoding', () => {
  it('one_hot, multi_hot and count as Keras', () => {
    const x = ts.tensor([3, 2, 0, 1], undefined, 'int32');
    expect((ts.layers.categoryEncoding({ numTokens: 4, outputMode: 'one_hot' }).apply(x) as ts.Tensor).arraySync()).toEqual([
      [0, 0, 0, 1],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    const m = ts.tensor(
      [
        [0, 1],
        [0, 0],
        [1, 2],
        [3, 1],
      ],
      undefined,
      'int32',
    );
    expect((ts.layers.categoryEncoding({ numTokens: 4, outputMode: 'multi_hot' }).apply(m) as ts.Tensor).arraySync()).toEqual([
      [1, 1, 0, 0],
      [1, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 1, 0, 1],
    ]);
    expect((ts.layers.categoryEncoding({ numTokens: 4, outputMode: 'count' }).apply(m) as ts.Tensor).arraySync()).toEqual([
      [1, 1, 0, 0],
      [2, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 1, 0, 1],
    ]);
    ts.dispose([x, m]);
  });

  it("countWeights (Keras's count_weights): summed per bin in count mode, as the Keras example; refused in other modes", () => {
    const ids = ts.tensor(
      [
        [0, 1],
        [0, 0],
        [1, 2],
        [3, 1],
      ],
      undefined,
      'int32',
    );
    const w = ts.tensor([
      [0.1, 0.2],
      [0.1, 0.1],
      [0.2, 0.3],
      [0.4, 0.2],
    ]);
    const count = ts.layers.categoryEncoding({ numTokens: 4, outputMode: 'count' });
    const got = (count.apply(ids, { countWeights: w }) as ts.Tensor).arraySync() as number[][];
    const want = [
      [0.1, 0.2, 0, 0],
      [0.2, 0, 0, 0],
      [0, 0.2, 0.3, 0],
      [0, 0.2, 0, 0.4],
    ];
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 6));
    // Keras's spelling, and null meaning none.
    expect((count.apply(ids, { count_weights: w } as never) as ts.Tensor).arraySync()).toEqual(got);
    expect((count.apply(ids, { countWeights: null }) as ts.Tensor).arraySync()).toEqual((count.apply(ids) as ts.Tensor).arraySync());
    const multi = ts.layers.categoryEncoding({ numTokens: 4, outputMode: 'multi_hot', name: 'multi' });
    expect(() => multi.apply(ids, { countWeights: w })).toThrow(/^multi: countWeights apply to outputMode 'count' only, got outputMode 'multi_hot'/);
    const short = ts.tensor([[0.1, 0.2]]);
    expect(() => count.apply(ids, { countWeights: short })).toThrow(/countWeights of the ids' shape \[4, 2\], got shape \[1, 2\]/);
    expect(() => count.apply(ids, { weights: w } as never)).toThrow(/unknown option 'weights'/);
    ts.dispose([ids, w, short]);
  });

  it.each(['tfjs', 'keras'])('countWeights in a functional model: a second input that predict and the %s format keep', async (format) => {
    const ids = ts.input({ shape: [2], dtype: 'int32' });
    const weights = ts.input({ shape: [2] });
    const encoded = ts.layers.categoryEncoding({ numTokens: 3, outputMode: 'count' }).apply(ids, { countWeights: weights });
    expect(encoded.shape).toEqual([null, 3]);
    const model = ts.model({ inputs: [ids, weights], outputs: encoded });
    const x = ts.tensor(
      [
        [0, 2],
        [1, 1],
      ],
      undefined,
      'int32',
    );
    const w = ts.tensor([
      [2, 3],
      [0.5, 0.25],
    ]);
    const out = model.predict([x, w]) as ts.Tensor;
    expect(out.arraySync()).toEqual([
      [2, 0, 3],
      [0, 0.75, 0],
    ]);
    expect(() => ts.layers.categoryEncoding({ numTokens: 3, outputMode: 'count' }).apply(ids, { countWeights: ts.input({ shape: [3] }) })).toThrow(
      /countWeights of the ids' shape \[null, 2\], got shape \[null, 3\]/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'tessera-count-weights-'));
    try {
      const path = format === 'tfjs' ? join(dir, 'm') : join(dir, 'm.keras');
      await model.save(path);
      const loaded = await ts.loadModel(path);
      const again = loaded.predict([x, w]) as ts.Tensor;
      expect(again.arraySync()).toEqual(out.arraySync());
      again.dispose();
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      ts.dispose([x, w, out]);
      model.dispose();
    }
  });

  it('refuses sparse, out-of-range ids and strings', () => {
    expect(() => ts.layers.categoryEncoding({ numTokens: 3, sparse: true })).toThrow(/sparse outputs are not supported/);
    const x = ts.tensor([5], undefined, 'int32');
    expect(() => ts.layers.categoryEncoding({ numTokens: 3 }).apply(x)).toThrow(/expected ids in \[0, 3\), got 5/);
    x.dispose();
  });
});

describe('saved with the model', () => {
  it.each(['tfjs', 'keras'])('normalization statistics, lookup and discretization travel in the %s format', async (format) => {
    const inp = ts.input({ shape: [2] });
    const norm = ts.layers.normalization();
    const out = ts.layers.dense({ units: 1 }).apply(norm.apply(inp) as ts.SymbolicTensor) as ts.SymbolicTensor;
    const model = ts.model({ inputs: inp, outputs: out });
    const x = ts.tensor([
      [1, 10],
      [3, 20],
      [5, 60],
    ]);
    await norm.adapt(x);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-prep-'));
    try {
      const path = format === 'tfjs' ? join(dir, 'm') : join(dir, 'm.keras');
      await model.save(path);
      const loaded = await ts.loadModel(path);
      const a = model.predict(x) as ts.Tensor;
      const b = loaded.predict(x) as ts.Tensor;
      expect(b.arraySync()).toEqual(a.arraySync());
      ts.dispose([a, b]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      x.dispose();
      model.dispose();
    }
  });

  it('integerLookup, discretization and categoryEncoding configs round-trip', () => {
    for (const layer of [
      ts.layers.integerLookup({ vocabulary: [5, 9], outputMode: 'multi_hot' }),
      ts.layers.discretization({ binBoundaries: [0, 1] }),
      ts.layers.categoryEncoding({ numTokens: 3, outputMode: 'count' }),
    ]) {
      const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(layer));
      expect(back.getConfig()).toEqual({ ...layer.getConfig(), name: back.name });
    }
  });
});
