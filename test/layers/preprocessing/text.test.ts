// textVectorization, stringLookup and hashing: strings in, numbers out; inside models
// (fit / predict on JS strings) and through both save formats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../../src';
import { readFileSync, writeFileSync } from 'node:fs';
import { fingerprint64, hashBucketFast } from '../../../src/layers/preprocessing/farmhash';
import { sipHash24 } from '../../../src/layers/preprocessing/siphash';
import { readZip, writeZip } from '../../../src/saving/zip';

const TEXTS = ['The cat sat.', 'the dog sat', 'A cat!', 'cat and dog'];

describe('textVectorization', () => {
  it('adapt builds a frequency-ordered vocabulary after the mask and OOV tokens', async () => {
    const tv = ts.layers.textVectorization();
    await tv.adapt(TEXTS);
    expect(tv.getVocabulary()).toEqual(['', '[UNK]', 'cat', 'the', 'sat', 'dog', 'a', 'and']);
    const ids = tv.apply(['the cat', 'zebra cat sat']) as ts.Tensor;
    expect(ids.dtype).toBe('int32');
    expect(ids.arraySync()).toEqual([
      [3, 2, 0],
      [1, 2, 4],
    ]);
  });

  it('maxTokens keeps the most frequent; outputSequenceLength pads and cuts', async () => {
    const tv = ts.layers.textVectorization({ maxTokens: 4, outputSequenceLength: 2 });
    await tv.adapt(TEXTS);
    expect(tv.getVocabulary()).toEqual(['', '[UNK]', 'cat', 'the']);
    expect((tv.apply(['dog', 'the cat sat']) as ts.Tensor).arraySync()).toEqual([
      [1, 0],
      [3, 2],
    ]);
  });

  it('multi_hot, count and tf_idf rows (OOV at index 0, tf_idf = count * log(1 + N / (1 + df)))', async () => {
    const count = ts.layers.textVectorization({ outputMode: 'count', vocabulary: ['cat', 'dog'] });
    expect((count.apply(['cat cat fish', 'dog']) as ts.Tensor).arraySync()).toEqual([
      [1, 2, 0],
      [0, 0, 1],
    ]);
    const multi = ts.layers.textVectorization({ outputMode: 'multi_hot', vocabulary: ['cat', 'dog'] });
    expect((multi.apply(['cat cat fish']) as ts.Tensor).arraySync()).toEqual([[1, 1, 0]]);
    const tfidf = ts.layers.textVectorization({ outputMode: 'tf_idf' });
    await tfidf.adapt(['cat cat', 'cat dog', 'bird']);
    expect(tfidf.getVocabulary()).toEqual(['[UNK]', 'cat', 'dog', 'bird']);
    const idf = (df: number) => Math.log(1 + 3 / (1 + df));
    const row = (tfidf.apply(['cat cat dog fish']) as ts.Tensor).arraySync() as number[][];
    const meanIdf = (idf(2) + idf(1) + idf(1)) / 3;
    [meanIdf, 2 * idf(2), idf(1), 0].forEach((v, i) => expect(row[0][i]).toBeCloseTo(v, 5));
  });

  it("padToMaxTokens: multi_hot / count / tf_idf rows maxTokens wide (Keras's pad_to_max_tokens), known before adapt", async () => {
    const count = ts.layers.textVectorization({ outputMode: 'count', maxTokens: 6, padToMaxTokens: true, vocabulary: ['cat', 'dog'] });
    expect((count.apply(['cat cat fish', 'dog']) as ts.Tensor).arraySync()).toEqual([
      [1, 2, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0],
    ]);
    expect(count.vocabularySize()).toBe(3);
    expect(count.getConfig().padToMaxTokens).toBe(true);
    const tfidf = ts.layers.textVectorization({ outputMode: 'tf_idf', maxTokens: 5, pad_to_max_tokens: true } as never);
    // The width is maxTokens before any vocabulary, so a model can be built first.
    const text = ts.input({ shape: [1], dtype: 'string' });
    expect(tfidf.apply(text).shape).toEqual([null, 5]);
    await tfidf.adapt(['cat cat', 'cat dog', 'bird']);
    const idf = (df: number) => Math.log(1 + 3 / (1 + df));
    const row = (tfidf.apply(['cat dog fish']) as ts.Tensor).arraySync() as number[][];
    [(idf(2) + idf(1) + idf(1)) / 3, idf(2), idf(1), 0, 0].forEach((v, i) => expect(row[0][i]).toBeCloseTo(v, 5));
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(count)) as ts.layers.TextVectorization;
    expect((back.apply(['dog']) as ts.Tensor).shape).toEqual([1, 6]);
    expect(() => ts.layers.textVectorization({ outputMode: 'count', padToMaxTokens: true })).toThrow(/padToMaxTokens needs maxTokens/);
    expect(() => ts.layers.textVectorization({ maxTokens: 4, padToMaxTokens: true })).toThrow(
      /padToMaxTokens applies to outputModes 'multi_hot', 'count' and 'tf_idf' only, got outputMode 'int'/,
    );
    expect(() => ts.layers.textVectorization({ outputMode: 'count', maxTokens: 4, padToMaxTokens: 'yes' as never })).toThrow(
      /expected padToMaxTokens to be true or false, got 'yes'/,
    );
  });

  it('standardize, split and ngrams options, and custom functions', async () => {
    const chars = ts.layers.textVectorization({ split: 'character', standardize: 'lower', vocabulary: ['a', 'b', '!'] });
    expect((chars.apply(['AB!c']) as ts.Tensor).arraySync()).toEqual([[2, 3, 4, 1]]);
    const bigrams = ts.layers.textVectorization({ ngrams: 2, standardize: null });
    await bigrams.adapt(['x y z']);
    expect(bigrams.getVocabulary()).toEqual(['', '[UNK]', 'x', 'y', 'z', 'x y', 'y z']);
    const custom = ts.layers.textVectorization({ standardize: (s) => s.replace(/-/g, ' '), split: (s) => s.split(' '), vocabulary: ['a', 'b'] });
    expect((custom.apply(['a-b']) as ts.Tensor).arraySync()).toEqual([[2, 3]]);
    expect(() => custom.getConfig()).toThrow(/custom standardize function standardize cannot be saved/);
  });

  it('bad input: empty adapt, a vocabulary over maxTokens, tensors, no vocabulary, unknown options', async () => {
    const tv = ts.layers.textVectorization({ maxTokens: 3 });
    expect(() => tv.adapt([])).toThrow(/adapt: the data is empty/);
    await expect(tv.adapt(ts.data.fromArrays([] as string[]) as never)).rejects.toThrow(/empty/);
    expect(() => ts.layers.textVectorization({ maxTokens: 3, vocabulary: ['a', 'b'] })).toThrow(/more than maxTokens = 3/);
    expect(() => tv.apply(['x'])).toThrow(/no vocabulary/);
    const ok = ts.layers.textVectorization({ vocabulary: ['a'] });
    const t = ts.tensor([1, 2]);
    expect(() => ok.apply(t)).toThrow(/expected JS strings.*float32 tensor/);
    t.dispose();
    expect(() => ts.layers.textVectorization({ outputMode: 'bogus' as never })).toThrow(/outputMode/);
    expect(() => ts.layers.textVectorization({ maxToken: 3 } as never)).toThrow(/maxToken/);
    expect(() => ts.layers.textVectorization({ vocabulary: ['a', 'a'] })).toThrow(/repeats/);
  });
});

describe('strings through a model', () => {
  async function trained(): Promise<{ model: ts.Sequential; texts: string[] }> {
    ts.setSeed(3);
    const tv = ts.layers.textVectorization({ maxTokens: 20 });
    await tv.adapt(TEXTS);
    const model = ts.sequential({
      layers: [
        tv,
        ts.layers.embedding({ inputDim: 20, outputDim: 4 }),
        ts.layers.globalAveragePooling1d(),
        ts.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const y = ts.tensor([0, 1, 0, 1]);
    await model.fit(TEXTS, y, { epochs: 2, batchSize: 2, verbose: 0 });
    await model.fit(
      ts.data
        .fromArrays(TEXTS.map((t, i) => [t, i % 2] as [string, number]))
        .batch(2)
        .map((e) => ({ xs: (e as ts.data.Element[])[0], ys: (e as ts.data.Element[])[1] })) as never,
      { epochs: 1, verbose: 0 } as never,
    );
    y.dispose();
    return { model, texts: ['the cat', 'a dog sat down'] };
  }

  it('fit and predict take JS strings; a numeric model refuses them by name', async () => {
    const { model, texts } = await trained();
    const p = model.predict(texts) as ts.Tensor;
    expect(p.shape).toEqual([2, 2]);
    p.dispose();
    const dense = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => dense.predict(['a', 'b'])).toThrow(/got JS strings, but its first layer dense.* takes tensors/);
    expect(() => ts.layers.dense({ units: 1 }).apply(['a'])).toThrow(/got JS strings, but this layer takes tensors/);
    const ids = ts.tensor([[1, 2]], undefined, 'int32');
    expect(() => model.predict(ids)).toThrow(/takes raw JS strings inside a model, got a int32 tensor/);
    ids.dispose();
    model.dispose();
  });

  it('hashing and stringLookup lead models too (rows of tokens in, encoded before the graph)', async () => {
    const rows = [
      ['red', 'small'],
      ['blue', 'large'],
      ['red', 'large'],
      ['green', 'small'],
    ];
    const y = ts.tensor([[1], [0], [1], [0]]);
    for (const first of [
      ts.layers.hashing({ numBins: 8, outputMode: 'multi_hot' }),
      ts.layers.stringLookup({ vocabulary: ['red', 'blue', 'green', 'small', 'large'], outputMode: 'count' }),
    ]) {
      const model = ts.sequential({ layers: [first, ts.layers.dense({ units: 1, activation: 'sigmoid' })] });
      model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
      const h = await model.fit(rows, y, { epochs: 3, verbose: 0 });
      expect(h.history.loss.every(Number.isFinite)).toBe(true);
      const p = model.predict([['red', 'small']]) as ts.Tensor;
      expect(p.shape).toEqual([1, 1]);
      p.dispose();
      model.dispose();
    }
    y.dispose();
  });

  it.each(['tfjs', 'keras'])('a model saved in the %s format takes raw strings and predicts the same', async (format) => {
    const { model, texts } = await trained();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-text-'));
    try {
      const path = format === 'tfjs' ? join(dir, 'model') : join(dir, 'model.keras');
      await model.save(path);
      const loaded = await ts.loadModel(path);
      const a = model.predict(texts) as ts.Tensor;
      const b = loaded.predict(texts) as ts.Tensor;
      expect(b.arraySync()).toEqual(a.arraySync());
      expect((loaded.layers[0] as ts.layers.TextVectorization).getVocabulary()).toEqual((model.layers[0] as ts.layers.TextVectorization).getVocabulary());
      ts.dispose([a, b]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('a .keras file laid out as Keras 3 writes it (vocabulary as assets/.../vocabulary.txt, none in the config) loads', async () => {
    // No Keras here to write one: this rewrites Tessera's own file into Keras's layout.
    const { model, texts } = await trained();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-assets-'));
    try {
      const path = join(dir, 'model.keras');
      await model.save(path);
      const entries = readZip(path, new Uint8Array(readFileSync(path)));
      const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')!));
      const layerEntry = (config.config.layers as { class_name: string; config: Record<string, unknown> }[]).find((l) => l.class_name === 'TextVectorization')!;
      const vocab = layerEntry.config.vocabulary as string[];
      expect(vocab.length).toBeGreaterThan(0);
      layerEntry.config.vocabulary = null;
      const out = new Map<string, Uint8Array>();
      for (const k of entries.keys()) out.set(k, entries.get(k)!);
      out.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
      const tv = model.layers[0] as ts.layers.TextVectorization;
      out.set(`assets/layers/${tv.name}/vocabulary.txt`, new TextEncoder().encode(tv.getVocabulary().join('\n')));
      const kerasLike = join(dir, 'keras_like.keras');
      writeFileSync(kerasLike, writeZip(out));
      const loaded = await ts.loadModel(kerasLike);
      expect((loaded.layers[0] as ts.layers.TextVectorization).getVocabulary()).toEqual(tv.getVocabulary());
      const a = model.predict(texts) as ts.Tensor;
      const b = loaded.predict(texts) as ts.Tensor;
      expect(b.arraySync()).toEqual(a.arraySync());
      ts.dispose([a, b]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });
});

describe('string adapt without await and on a Dataset', () => {
  it('textVectorization and stringLookup learn in-memory vocabularies before adapt returns', async () => {
    const tv = ts.layers.textVectorization();
    const p = tv.adapt(['b a b']);
    expect(p).toBeInstanceOf(Promise);
    expect((tv.apply(['a b']) as ts.Tensor).arraySync()).toEqual([[3, 2]]);
    await p;
    const sl = ts.layers.stringLookup();
    void sl.adapt(['x', 'y', 'y']);
    expect(sl.getVocabulary()).toEqual(['[UNK]', 'y', 'x']);
    // A bad batch throws at once, not only as a rejection nobody awaits.
    expect(() => sl.adapt([1, 2] as never)).toThrow(/adapt: expected batches of strings/);
  });

  it('while a Dataset is read, they (and a model they lead) say to await adapt, not that they have no vocabulary', async () => {
    const tv = ts.layers.textVectorization({ name: 'tv_pending' });
    const sl = ts.layers.stringLookup({ name: 'sl_pending' });
    const adapting = [tv.adapt(ts.data.array([['a b'], ['b']]) as never), sl.adapt(ts.data.array([['a'], ['b']]) as never)];
    expect(() => tv.apply(['a'])).toThrow(/^tv_pending: its adapt\(\.\.\.\) is still reading the data; await layer\.adapt\(\.\.\.\) before using the layer/);
    expect(() => sl.apply(['a'])).toThrow(/^sl_pending: its adapt\(\.\.\.\) is still reading the data/);
    const m = ts.sequential({ layers: [tv, ts.layers.embedding({ inputDim: 10, outputDim: 2 })] });
    expect(() => m.predict(['a'])).toThrow(/tv_pending: its adapt\(\.\.\.\) is still reading the data/);
    await Promise.all(adapting);
    expect((tv.apply(['a b']) as ts.Tensor).arraySync()).toEqual([[3, 2]]);
    expect((m.predict(['a b']) as ts.Tensor).shape).toEqual([1, 2, 2]);
    m.dispose();
  });
});

describe('hashing', () => {
  it('matches FarmHash Fingerprint64 / tf.strings.to_hash_bucket_fast on known values', () => {
    expect(fingerprint64('')).toBe(0x9ae16a3b2f90404fn); // farmhashna: the empty string hashes to k2
    // tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3) in TensorFlow's documentation.
    expect(['Hello', 'TensorFlow', '2.x'].map((s) => hashBucketFast(s, 3))).toEqual([0, 2, 2]);
  });

  it('matches the Keras Hashing documentation examples (with and without a mask)', () => {
    const h = ts.layers.hashing({ numBins: 3 });
    expect((h.apply([['A'], ['B'], ['C'], ['D'], ['E']]) as ts.Tensor).arraySync()).toEqual([[1], [0], [1], [1], [2]]);
    const m = ts.layers.hashing({ numBins: 3, maskValue: '' });
    expect((m.apply([['A'], ['B'], [''], ['C'], ['D']]) as ts.Tensor).arraySync()).toEqual([[1], [1], [0], [2], [2]]);
    const ints = ts.tensor([[12]], undefined, 'int32');
    expect((h.apply(ints) as ts.Tensor).arraySync()).toEqual([[hashBucketFast('12', 3)]]);
    ints.dispose();
    const f = ts.tensor([1.5]);
    expect(() => h.apply(f)).toThrow(/not floats/);
    f.dispose();
  });

  it('SipHash-2-4 matches the reference vectors (key 00..0f, messages 00 01 .. of lengths 0 to 63)', () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/hash/siphash24_vectors.json'), 'utf8')) as { hashes: string[] };
    const message = Uint8Array.from({ length: 64 }, (_, i) => i);
    // The key's bytes as two little-endian words, as TensorFlow passes key[0] and key[1].
    const [k0, k1] = [0x0706050403020100n, 0x0f0e0d0c0b0a0908n];
    expect(fixture.hashes).toHaveLength(64);
    fixture.hashes.forEach((hex, n) => expect(sipHash24(k0, k1, message.subarray(0, n)).toString(16).padStart(16, '0')).toBe(hex));
    expect(sipHash24(k0, k1, new Uint8Array(0))).toBe(0x726fdb47dd0e0e31n); // the paper's first vectors
    expect(sipHash24(k0, k1, new Uint8Array(1))).toBe(0x74f839c593dc67fdn);
  });

  it("salt: Keras's SipHash examples ([133, 137], and 133 as [133, 133]), with a mask, in configs; bad salts are named", () => {
    const rows = [['A'], ['B'], ['C'], ['D'], ['E']];
    const pair = ts.layers.hashing({ numBins: 3, salt: [133, 137] });
    expect((pair.apply(rows) as ts.Tensor).arraySync()).toEqual([[1], [2], [1], [0], [2]]);
    const single = ts.layers.hashing({ numBins: 3, salt: 133 });
    expect((single.apply(rows) as ts.Tensor).arraySync()).toEqual([[0], [0], [2], [1], [0]]);
    expect(single.getConfig().salt).toEqual([133, 133]);
    // A mask takes bin 0; the rest hash into numBins - 1 bins, shifted by one.
    const masked = ts.layers.hashing({ numBins: 4, salt: [133, 137], maskValue: '' });
    expect((masked.apply([['A'], [''], ['E']]) as ts.Tensor).arraySync()).toEqual([
      [1 + Number(sipHash24(133n, 137n, 'A') % 3n)],
      [0],
      [1 + Number(sipHash24(133n, 137n, 'E') % 3n)],
    ]);
    // Integers hash as their decimal text, as without a salt.
    const ints = ts.tensor([[12]], undefined, 'int32');
    expect((pair.apply(ints) as ts.Tensor).arraySync()).toEqual([[Number(sipHash24(133n, 137n, '12') % 3n)]]);
    ints.dispose();
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(pair));
    expect((back.apply(rows) as ts.Tensor).arraySync()).toEqual([[1], [2], [1], [0], [2]]);
    for (const salt of [1.5, [1, 2, 3], [1, 'a'], 'x', {}])
      expect(() => ts.layers.hashing({ numBins: 3, salt: salt as never })).toThrow(/hashing\w*: expected salt to be an integer or a list of two integers, got/);
  });

  it('hashes long strings (the > 64-byte path) deterministically into range', () => {
    const long = 'x'.repeat(200);
    const v = fingerprint64(long);
    expect(v).toBe(fingerprint64(long));
    expect(v).toBeLessThan(1n << 64n);
    expect(v).not.toBe(fingerprint64('x'.repeat(199)));
  });
});

describe('stringLookup and integerLookup', () => {
  it('int mode with a mask and OOV; one_hot, multi_hot and count; invert', async () => {
    const s = ts.layers.stringLookup({ maskToken: '' });
    await s.adapt([
      ['a', 'b'],
      ['a', 'c'],
      ['a', ''],
    ]);
    expect(s.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b', 'c']);
    expect(
      (
        s.apply([
          ['a', 'z'],
          ['', 'c'],
        ]) as ts.Tensor
      ).arraySync(),
    ).toEqual([
      [2, 1],
      [0, 4],
    ]);
    const ids = ts.tensor([[2, 1]], undefined, 'int32');
    const inv = ts.layers.stringLookup({ vocabulary: ['a', 'b', 'c'], invert: true, maskToken: '' });
    expect(inv.invertIds(ids)).toEqual([['a', '[UNK]']]);
    ids.dispose();
    const oh = ts.layers.stringLookup({ vocabulary: ['a', 'b'], outputMode: 'one_hot' });
    expect((oh.apply(['b', 'q']) as ts.Tensor).arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const cnt = ts.layers.stringLookup({ vocabulary: ['a', 'b'], outputMode: 'count' });
    expect((cnt.apply([['a', 'a', 'b']]) as ts.Tensor).arraySync()).toEqual([[0, 2, 1]]);
    expect(() => ts.layers.stringLookup({ vocabulary: ['a', 'b'], maxTokens: 2 })).toThrow(/more than maxTokens/);
    expect(() => ts.layers.stringLookup().adapt([])).toThrow(/empty/);
  });

  it('integerLookup maps, inverts and refuses strings', async () => {
    const l = ts.layers.integerLookup();
    await l.adapt(ts.tensor([[12], [12], [7], [99]], undefined, 'int32'));
    expect(l.getVocabulary()).toEqual([-1, 12, 7, 99]);
    const x = ts.tensor([[7], [5]], undefined, 'int32');
    expect((l.apply(x) as ts.Tensor).arraySync()).toEqual([[2], [0]]);
    const inv = ts.layers.integerLookup({ vocabulary: [12, 7, 99], invert: true });
    const ids = ts.tensor([2, 0], undefined, 'int32');
    expect((inv.apply(ids) as ts.Tensor).arraySync()).toEqual([7, -1]);
    expect(() => l.apply(['a'])).toThrow(/got JS strings/);
    ts.dispose([x, ids]);
  });

  it('round-trips stringLookup and integerLookup configs (vocabulary included)', () => {
    const s = ts.layers.stringLookup({ vocabulary: ['a', 'b'], numOovIndices: 2, outputMode: 'multi_hot' });
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(s)) as ts.layers.StringLookup;
    expect(back.getVocabulary()).toEqual(s.getVocabulary());
    expect((back.apply([['a', 'b']]) as ts.Tensor).arraySync()).toEqual((s.apply([['a', 'b']]) as ts.Tensor).arraySync());
  });
});

describe("Keras's Input(shape=(1,), dtype='string')", () => {
  it('a functional model from a raw-string input takes string[]: fit, predict, save and load', async () => {
    const tv = ts.layers.textVectorization({ vocabulary: ['a', 'b', 'c'], outputMode: 'multi_hot' });
    const text = ts.input({ shape: [1], dtype: 'string', name: 'text' });
    const out = ts.layers.dense({ units: 1, activation: 'sigmoid' }).apply(tv.apply(text)) as ts.SymbolicTensor;
    const m = ts.model({ inputs: text, outputs: out });
    // In the graph the input is what the string layer encodes to.
    expect([m.inputNames, m.inputs[0].shape, m.inputs[0].dtype]).toEqual([['text'], [null, 4], 'float32']); // the OOV token and 3 words
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await m.fit(['a b', 'c', 'a', 'b c'], [1, 0, 1, 0], { epochs: 1, verbose: 0 });
    const p = m.predict(['a b', 'c']) as ts.Tensor;
    expect(p.shape).toEqual([2, 1]);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-string-input-'));
    try {
      await m.save(join(dir, 'm.keras'));
      const loaded = (await ts.loadModel(join(dir, 'm.keras'))) as ts.Functional;
      const q = loaded.predict(['a b', 'c']) as ts.Tensor;
      expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
      ts.dispose([q]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    p.dispose();
    m.dispose();
  });

  it('a sequential model may start from one too', () => {
    const s = ts.sequential({
      layers: [
        ts.input({ shape: [1], dtype: 'string' }),
        ts.layers.textVectorization({ vocabulary: ['a', 'b'], outputSequenceLength: 3 }),
        ts.layers.embedding({ inputDim: 4, outputDim: 2 }),
      ],
    });
    const y = s.predict(['a b', 'b']) as ts.Tensor;
    expect(y.shape).toEqual([2, 3, 2]);
    y.dispose();
    s.dispose();
  });

  it('only a string layer takes it, once, and a model needs one to have taken it', () => {
    expect(() => ts.layers.dense({ units: 2 }).apply(ts.input({ shape: [1], dtype: 'string', name: 'raw' }))).toThrow(
      /dense\w*: input 'raw' holds raw strings \(dtype 'string'\); apply textVectorization, stringLookup or hashing to it first/,
    );
    const once = ts.input({ shape: [1], dtype: 'string', name: 'once' });
    ts.layers.stringLookup({ vocabulary: ['a'] }).apply(once);
    expect(() => ts.layers.stringLookup({ vocabulary: ['b'] }).apply(once)).toThrow(/input 'once' holds raw strings that string_lookup\w* already encodes/);
    const untaken = ts.input({ shape: [1], dtype: 'string', name: 'untaken' });
    expect(() => ts.model({ inputs: untaken, outputs: untaken })).toThrow(/input 'untaken' holds raw strings, but no string layer .* was applied to it/);
  });
});
