// utils.FeatureSpace: Keras's docstring example (values checked column by column), the
// tutorial "Structured data classification with FeatureSpace" on a small heart-disease CSV,
// dict output, config round trips, and the errors for bad options and early use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

const HEART = join(__dirname, '..', 'fixtures', 'structured', 'heart.csv');
const FS = ts.utils.FeatureSpace;

const raw = { float_values: [0.0, 0.1, 0.2, 0.3], string_values: ['zero', 'one', 'two', 'three'], int_values: [0, 1, 2, 3] };
// Keras's from_tensor_slices(raw_data): one unbatched element per sample.
const rowsOf = () => raw.int_values.map((_, i) => ({ float_values: raw.float_values[i], string_values: raw.string_values[i], int_values: raw.int_values[i] }));

function docstringSpace(): ts.utils.FeatureSpace {
  return new FS({
    features: { float_values: 'float_normalized', string_values: 'string_categorical', int_values: 'integer_categorical' },
    crosses: [['string_values', 'int_values']],
    outputMode: 'concat',
  });
}

const oneHot = (width: number, at: number) => Array.from({ length: width }, (_, i) => (i === at ? 1 : 0));

describe('FeatureSpace: the docstring example', () => {
  it('encodes each column as Keras does: features by sorted name, then crosses', async () => {
    const fs = docstringSpace();
    await fs.adapt(ts.data.fromArrays(rowsOf()));
    const out = fs.apply(raw) as ts.Tensor;
    // float_values (1) + int_values (OOV + 4) + string_values (OOV + 4) + the cross (32 bins).
    expect(out.shape).toEqual([4, 43]);
    const ints = (fs.preprocessors.int_values as ts.layers.IntegerLookup).getVocabulary();
    const strs = (fs.preprocessors.string_values as ts.layers.StringLookup).getVocabulary();
    expect(ints[0]).toBe(-1); // the OOV slot
    expect(strs[0]).toBe('[UNK]');
    // The cross hashes the two lookups' indices (what Keras crosses), by Keras's hash.
    const si = ts.tensor(
      raw.string_values.map((s) => strs.indexOf(s)),
      [4, 1],
      'int32',
    );
    const ii = ts.tensor(
      raw.int_values.map((v) => ints.indexOf(v)),
      [4, 1],
      'int32',
    );
    const bins = Array.from(ts.layers.hashedCrossing({ numBins: 32 }).apply([si, ii]).dataSync());
    const mean = 0.15;
    const std = Math.sqrt((0.15 ** 2 + 0.05 ** 2 + 0.05 ** 2 + 0.15 ** 2) / 4);
    const rows = out.arraySync() as number[][];
    for (const r of [0, 3]) {
      const expected = [
        (raw.float_values[r] - mean) / std,
        ...oneHot(5, ints.indexOf(raw.int_values[r])),
        ...oneHot(5, strs.indexOf(raw.string_values[r])),
        ...oneHot(32, bins[r]),
      ];
      rows[r].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
    // One sample in (scalars), one vector out, equal to its row of the batch.
    const one = fs.apply({ float_values: 0.3, string_values: 'three', int_values: 3 }) as ts.Tensor;
    expect(one.shape).toEqual([43]);
    Array.from(one.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(rows[3][i], 6));
    // Unknown values go to the OOV slot.
    const oov = fs.apply({ float_values: [0], string_values: ['nine'], int_values: [9] }) as ts.Tensor;
    const o = (oov.arraySync() as number[][])[0];
    expect([o[1], o[6]]).toEqual([1, 1]);
    ts.dispose([out, si, ii, one, oov]);
    fs.dispose();
  });

  it('adapted again on more data, encodes with the new vocabularies', async () => {
    const fs = new FS({ features: { string_values: 'string_categorical' } });
    await fs.adapt(ts.data.fromArrays(rowsOf().slice(0, 2)));
    const a = fs.apply({ string_values: ['one'] }) as ts.Tensor;
    expect(a.shape).toEqual([1, 3]);
    await fs.adapt(ts.data.fromArrays(rowsOf()));
    const b = fs.apply({ string_values: ['one'] }) as ts.Tensor;
    expect(b.shape).toEqual([1, 5]);
    expect((fs.getEncodedFeatures() as ts.SymbolicTensor).shape).toEqual([null, 5]);
    ts.dispose([a, b]);
  });

  it('a discretized feature is numBins wide (the cardinality Keras uses) on data of few values', async () => {
    const fs = new FS({ features: { x: FS.floatDiscretized({ numBins: 4 }) } });
    await fs.adapt(ts.data.fromArrays([0, 0, 1, 1].map((x) => ({ x }))));
    const boundaries = (fs.preprocessors.x as ts.layers.Discretization).binBoundaries!;
    expect(boundaries).toEqual([0, 0, 1]); // repeated quantiles are kept, as in Keras
    const out = fs.apply({ x: [0, 1] }) as ts.Tensor;
    expect(out.shape).toEqual([2, 4]);
    const rows = out.arraySync() as number[][];
    expect(rows[0]).toEqual(oneHot(4, boundaries.filter((b) => b <= 0).length));
    expect(rows[1]).toEqual(oneHot(4, boundaries.filter((b) => b <= 1).length));
    out.dispose();
  });

  it("outputMode 'dict' returns each feature encoded on its own, 'int' outputs kept as ids", async () => {
    const fs = new FS({
      features: { string_values: FS.stringCategorical({ outputMode: 'int' }), int_values: FS.integerCategorical({ outputMode: 'int' }) },
      crosses: [FS.cross({ featureNames: ['string_values', 'int_values'], crossingDim: 32, outputMode: 'int' })],
      outputMode: 'dict',
    });
    await fs.adapt(ts.data.fromArrays(rowsOf()).batch(2));
    const out = fs.apply({ string_values: raw.string_values, int_values: raw.int_values }) as Record<string, ts.Tensor>;
    expect(Object.keys(out)).toEqual(['int_values', 'string_values', 'string_values_X_int_values']);
    const strs = (fs.preprocessors.string_values as ts.layers.StringLookup).getVocabulary();
    expect(out.string_values.dtype).toBe('int32');
    expect(Array.from(out.string_values.dataSync())).toEqual(raw.string_values.map((s) => strs.indexOf(s)));
    expect(out.string_values_X_int_values.shape).toEqual([4, 1]);
    expect(fs.crossers.string_values_X_int_values).toBeInstanceOf(ts.layers.HashedCrossing);
    ts.dispose(Object.values(out));
    // Concatenating ids is refused, naming the feature.
    const bad = new FS({ features: { int_values: FS.integerCategorical({ outputMode: 'int' }) }, outputMode: 'concat' });
    await bad.adapt(ts.data.fromArrays(rowsOf()));
    expect(() => bad.apply({ int_values: [1] })).toThrow(/cannot concatenate feature 'int_values': it is not encoded \(it has dtype int32\)/);
  });

  it('presets by name take the space defaults; hashed, rescaled, plain and discretized features', async () => {
    const fs = new FS({
      features: {
        s: 'string_hashed',
        i: FS.integerHashed({ numBins: 4 }),
        r: FS.floatRescaled({ scale: 2, offset: 1 }),
        f: 'float',
        d: FS.floatDiscretized({ numBins: 3, binBoundaries: [0, 1] }),
      },
      hashingDim: 8,
    });
    // Nothing to adapt: usable at once, as in Keras.
    const out = fs.apply({ s: ['a', 'b'], i: [5, 6], r: [1, 2], f: [7, 8], d: [-1, 0.5] }) as ts.Tensor;
    // d (3 bins) + f (1) + i (4) + r (1) + s (8), by sorted name.
    expect(out.shape).toEqual([2, 17]);
    const hs = ts.layers.hashing({ numBins: 8 });
    const hi = ts.layers.hashing({ numBins: 4 });
    const rows = out.arraySync() as number[][];
    expect(rows[0]).toEqual([1, 0, 0, 7, ...oneHot(4, hi.bin(5)), 3, ...oneHot(8, hs.bin('a'))]);
    expect(rows[1]).toEqual([0, 1, 0, 8, ...oneHot(4, hi.bin(6)), 5, ...oneHot(8, hs.bin('b'))]);
    expect((fs.preprocessors.s as ts.layers.Hashing).numBins).toBe(8);
    expect(fs.preprocessors.s.name).toBe('s_preprocessor');
    out.dispose();
  });
});

describe('FeatureSpace: the Keras tutorial on heart-disease data', () => {
  it('adapts on a CSV dataset, trains a model on getInputs / getEncodedFeatures and predicts one raw sample', async () => {
    const ints = ['sex', 'cp', 'fbs', 'restecg', 'exang', 'ca'];
    const columnConfigs: Record<string, ts.data.ColumnConfig> = { target: { isLabel: true }, thal: { dtype: 'string' } };
    for (const c of ints) columnConfigs[c] = { dtype: 'int32' };
    const dataset = ts.data.csv(HEART, { columnConfigs });
    const val = dataset.take(10).batch(8);
    const train = dataset.skip(10).batch(8);

    const fs = new FS({
      features: {
        sex: FS.integerCategorical({ numOovIndices: 0 }),
        cp: FS.integerCategorical({ numOovIndices: 0 }),
        fbs: FS.integerCategorical({ numOovIndices: 0 }),
        restecg: FS.integerCategorical({ numOovIndices: 0 }),
        exang: FS.integerCategorical({ numOovIndices: 0 }),
        ca: FS.integerCategorical({ numOovIndices: 0 }),
        thal: FS.stringCategorical({ numOovIndices: 0 }),
        age: FS.floatDiscretized({ numBins: 30 }),
        trestbps: FS.floatNormalized(),
        chol: FS.floatNormalized(),
        thalach: FS.floatNormalized(),
        oldpeak: FS.floatNormalized(),
        slope: FS.floatNormalized(),
      },
      crosses: [FS.cross({ featureNames: ['sex', 'age'], crossingDim: 64 }), FS.cross({ featureNames: ['thal', 'ca'], crossingDim: 16 })],
      outputMode: 'concat',
    });
    type Row = { xs: Record<string, ts.Tensor | string[]>; ys: { target: ts.Tensor } };
    await fs.adapt(train.map((e) => (e as unknown as Row).xs));

    const vocab = (n: string) => (fs.preprocessors[n] as ts.layers.IntegerLookup).vocabularySize();
    const width = ints.reduce((a, n) => a + vocab(n), 0) + (fs.preprocessors.thal as ts.layers.StringLookup).vocabularySize() + 30 + 5 + 64 + 16;
    const dictInputs = fs.getInputs();
    const encoded = fs.getEncodedFeatures() as ts.SymbolicTensor;
    expect(encoded.shape).toEqual([null, width]);

    // The tutorial's model. Keras makes its training model on the encoded tensor itself; here
    // the training model has an input of that width and shares the layers with the inference model.
    const hidden = ts.layers.dense({ units: 32, activation: 'relu' });
    const dropout = ts.layers.dropout({ rate: 0.5 });
    const head = ts.layers.dense({ units: 1, activation: 'sigmoid' });
    const top = (x: ts.SymbolicTensor) => head.apply(dropout.apply(hidden.apply(x))) as ts.SymbolicTensor;
    const encodedInput = ts.input({ shape: [width] });
    const trainingModel = ts.model({ inputs: encodedInput, outputs: top(encodedInput) });
    trainingModel.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const inferenceModel = ts.model({ inputs: dictInputs, outputs: top(encoded) });

    const preprocess = (e: unknown) => {
      const r = e as Row;
      return [fs.apply(r.xs) as ts.Tensor, r.ys.target.reshape([-1, 1])];
    };
    const history = await trainingModel.fit(train.map(preprocess), { epochs: 2, validationData: val.map(preprocess), verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(history.history.val_loss.every((v) => Number.isFinite(v as number))).toBe(true);

    // The tutorial's sample, one value per feature, through the inference model (raw strings included).
    const sample: Record<string, number | string> = {
      age: 60,
      sex: 1,
      cp: 1,
      trestbps: 145,
      chol: 233,
      fbs: 1,
      restecg: 2,
      thalach: 150,
      exang: 0,
      oldpeak: 2.3,
      slope: 3,
      ca: 0,
      thal: 'fixed',
    };
    const inputDict: Record<string, ts.Tensor | string[][]> = {};
    for (const [k, v] of Object.entries(sample))
      inputDict[k] = typeof v === 'string' ? [[v]] : ts.tensor([[v]], [1, 1], ints.includes(k) ? 'int32' : 'float32');
    const p = inferenceModel.predict(inputDict) as ts.Tensor;
    expect(p.shape).toEqual([1, 1]);
    // The same as the training model on FeatureSpace's eager encoding of the sample.
    const eager = fs.apply(sample) as ts.Tensor;
    expect(eager.shape).toEqual([width]);
    const q = trainingModel.predict(eager.reshape([1, width])) as ts.Tensor;
    expect(p.dataSync()[0]).toBeCloseTo(q.dataSync()[0], 5);
    // The inference model (its lookups, bins, statistics and crosses) saves and loads in both formats.
    const dir = mkdtempSync(join(tmpdir(), 'tessera-feature-space-'));
    try {
      for (const path of [join(dir, 'm.keras'), join(dir, 'tfjs')]) {
        await inferenceModel.save(path);
        const loaded = await ts.loadModel(path);
        const again = loaded.predict(inputDict) as ts.Tensor;
        expect(again.dataSync()[0]).toBeCloseTo(p.dataSync()[0], 6);
        again.dispose();
        loaded.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // The sample's columns, computed by hand from the CSV's training rows.
    const train0 = (await ts.data.csv(HEART, { columnConfigs }).skip(10).toArray()) as unknown as { xs: Record<string, number | string> }[];
    const col = (n: string) => train0.map((r) => r.xs[n] as number);
    const stats = (n: string) => {
      const v = col(n);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)];
    };
    const e = Array.from(eager.dataSync());
    let at = 0;
    const boundaries = (fs.preprocessors.age as ts.layers.Discretization).binBoundaries!;
    expect(boundaries).toHaveLength(29);
    const ageBin = boundaries.filter((b) => b <= 60).length;
    // Sorted feature names: age, ca, chol, cp, exang, fbs, oldpeak, restecg, sex, slope, thal, thalach, trestbps.
    expect(e.slice(at, (at += 30))).toEqual(oneHot(30, ageBin));
    const lookup = (n: string, v: number) => {
      const voc = (fs.preprocessors[n] as ts.layers.IntegerLookup).getVocabulary();
      expect(e.slice(at, (at += voc.length))).toEqual(oneHot(voc.length, voc.indexOf(v)));
    };
    const normalized = (n: string, v: number) => {
      const [m, s] = stats(n);
      expect(e[at++]).toBeCloseTo((v - m) / s, 4);
    };
    lookup('ca', 0);
    normalized('chol', 233);
    lookup('cp', 1);
    lookup('exang', 0);
    lookup('fbs', 1);
    normalized('oldpeak', 2.3);
    lookup('restecg', 2);
    lookup('sex', 1);
    normalized('slope', 3);
    const thal = (fs.preprocessors.thal as ts.layers.StringLookup).getVocabulary();
    expect(e.slice(at, (at += thal.length))).toEqual(oneHot(thal.length, thal.indexOf('fixed')));
    normalized('thalach', 150);
    normalized('trestbps', 145);
    // Then the crosses, by sorted name: sex_X_age (64 bins), thal_X_ca (16).
    const sexIdx = (fs.preprocessors.sex as ts.layers.IntegerLookup).getVocabulary().indexOf(1);
    const caIdx = (fs.preprocessors.ca as ts.layers.IntegerLookup).getVocabulary().indexOf(0);
    const cross = (numBins: number, a: number, b: number) => {
      const t = [ts.tensor([a], [1], 'int32'), ts.tensor([b], [1], 'int32')];
      const bin = ts.layers.hashedCrossing({ numBins }).apply(t).dataSync()[0];
      ts.dispose(t);
      return bin;
    };
    expect(e.slice(at, (at += 64))).toEqual(oneHot(64, cross(64, sexIdx, ageBin)));
    expect(e.slice(at, (at += 16))).toEqual(oneHot(16, cross(16, thal.indexOf('fixed'), caIdx)));
    expect(at).toBe(width);
    ts.dispose([p, eager, q, ...Object.values(inputDict).filter((v): v is ts.Tensor => v instanceof ts.Tensor)]);
  });
});

describe('FeatureSpace: config', () => {
  it('round-trips getConfig / fromConfig (vocabularies in the config, normalization statistics as weights)', async () => {
    const fs = docstringSpace();
    await fs.adapt(ts.data.fromArrays(rowsOf()));
    const config = fs.getConfig();
    expect(Object.keys(config)).toEqual(['name', 'features', 'outputMode', 'crosses', 'crossingDim', 'hashingDim', 'numDiscretizationBins']);
    expect((config.crosses as unknown[])[0]).toEqual({
      className: 'Cross',
      config: { featureNames: ['string_values', 'int_values'], crossingDim: 32, outputMode: 'one_hot' },
    });
    const back = ts.layers.deserializeLayer(JSON.parse(JSON.stringify(ts.layers.serializeLayer(fs)))) as ts.utils.FeatureSpace;
    expect(back).toBeInstanceOf(FS);
    back.setWeights(fs.getWeights());
    const a = fs.apply(raw) as ts.Tensor;
    const b = back.apply(raw) as ts.Tensor;
    expect(b.arraySync()).toEqual(a.arraySync());
    // An un-adapted space's config loads un-adapted.
    const fresh = FS.fromConfig(docstringSpace().getConfig());
    expect(() => fresh.apply(raw)).toThrow(/call adapt\(dataset\) \(and await it\) before apply/);
    ts.dispose([a, b]);
  });
});

describe('FeatureSpace: bad options and early use', () => {
  it('names what is wrong', async () => {
    expect(() => new FS({ features: { a: 'float_normalised' as never } })).toThrow(/feature 'a' has an unknown type 'float_normalised'.*'float_normalized'/);
    expect(() => new FS({ features: { a: 'float', b: 'float' }, crosses: [['a', 'c']] })).toThrow(
      /the cross \['a', 'c'\] names feature 'c' that features does not define \(a, b\)/,
    );
    expect(() => new FS({ features: {} })).toThrow(/expected features to be a non-empty object/);
    expect(() => new FS({ features: { a: 'float' }, crosses: 'a' as never })).toThrow(/expected crosses to be a list of crosses/);
    expect(() => new (FS as any)({ features: { a: 'float' } }, 'extra')).toThrow(/utils.FeatureSpace: expected at most 1 argument, got 2/);
    expect(() => FS.cross({ featureNames: ['a', 'b'], crossingDim: 2 ** 32 })).toThrow(/expected crossingDim to be a positive integer <= 2\^31/);
    expect(() => new FS({ features: { a: 'float' }, outputMode: 'list' as never })).toThrow(/expected outputMode to be 'concat' or 'dict', got 'list'/);
    expect(() => new FS({ features: { a: 'float' }, crossingDims: 3 } as never)).toThrow(/crossingDims.*did you mean 'crossingDim'/);
    expect(() => FS.integerCategorical({ maxTokenz: 3 } as never)).toThrow(/FeatureSpace.integerCategorical.*maxTokenz/);
    expect(() => FS.feature({ dtype: 'float64' as never, preprocessor: ts.layers.identity(), outputMode: 'float' })).toThrow(
      /expected dtype to be one of 'float32', 'int32', 'string', got 'float64'/,
    );
    expect(() => FS.cross({ featureNames: ['a'], crossingDim: 4 })).toThrow(/expected featureNames to be two or more feature names/);
    // snake_case options as Keras spells them.
    expect((FS.integerCategorical({ num_oov_indices: 0 } as never).preprocessor as ts.layers.IntegerLookup).getVocabulary()).toEqual([]);

    const fs = docstringSpace();
    expect(() => fs.apply(raw)).toThrow(
      /call adapt\(dataset\) \(and await it\) before apply; features float_values, string_values, int_values learn from the data/,
    );
    expect(() => fs.getEncodedFeatures()).toThrow(/before getEncodedFeatures\(\)/);
    expect(() => fs.getInputs()).toThrow(/before getInputs\(\)/);
    await expect(fs.adapt(raw as never)).rejects.toThrow(/adapt: expected a Dataset of feature dicts/);
    await expect(fs.adapt(ts.data.fromArrays([{ xs: rowsOf()[0], ys: 1 }]) as never)).rejects.toThrow(
      /has no feature 'float_values' \(elements are \{xs, ys\}: map them to xs first/,
    );
    await fs.adapt(ts.data.fromArrays(rowsOf()));
    expect(() => fs.apply({ ...raw, extra: [1] })).toThrow(/got column 'extra' that features does not define/);
    expect(() => fs.apply({ float_values: [1], string_values: ['a'] })).toThrow(/missing column 'int_values'/);
    expect(() => fs.apply({ ...raw, int_values: [0.5, 1, 2, 3] })).toThrow(/feature 'int_values' takes integers, got 0.5 at sample 0/);
    expect(() => fs.apply({ ...raw, string_values: [1, 2, 3, 4] })).toThrow(/feature 'string_values' takes strings, got 1 at sample 0/);
    expect(() => fs.apply([raw] as never)).toThrow(/applied to a dict of columns by feature name/);
    expect(() => (fs as any).apply(raw, {}, 3)).toThrow(/expected at most 2 arguments, got 3/);
    fs.dispose();
  });
});
