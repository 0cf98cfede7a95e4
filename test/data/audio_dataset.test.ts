// audioDatasetFromDirectory: Keras's audio_dataset_from_directory over WAV files written by
// Python's `wave` module (test/fixtures/audio/classes: cat 2 files, dog 3 files, 16-bit mono
// 8000 Hz; file k of class c has k + 2 frames of value ((c + 1) * 1000 + k) / 32768).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

const DIR = join(__dirname, '..', 'fixtures', 'audio');
const CLASSES = join(DIR, 'classes');
const fileValue = (label: number, k: number) => Math.fround(((label + 1) * 1000 + k) / 32768);

async function batches(ds: ts.data.Dataset<ts.data.Element>): Promise<{ shapes: number[][]; audio: number[][][][]; labels: unknown[] }> {
  const out = { shapes: [] as number[][], audio: [] as number[][][][], labels: [] as unknown[] };
  for await (const e of ds) {
    const [x, y] = e as [ts.Tensor, ts.Tensor];
    out.shapes.push(x.shape);
    out.audio.push(x.arraySync() as number[][][]);
    out.labels.push(y.arraySync());
    x.dispose();
    y.dispose();
  }
  return out;
}

describe('audioDatasetFromDirectory', () => {
  it('infers classes, reads .wav files only, pads each batch to its longest file', async () => {
    const ds = ts.utils.audioDatasetFromDirectory(CLASSES, { shuffle: false, batchSize: 3 });
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.size).toBe(2);
    const { shapes, audio, labels } = await batches(ds);
    expect(shapes).toEqual([
      [3, 3, 1],
      [2, 4, 1],
    ]);
    expect(labels).toEqual([
      [0, 0, 1],
      [1, 1],
    ]);
    // cat/0 has 2 frames, zero-padded to the batch's 3.
    expect(audio[0][0]).toEqual([[fileValue(0, 0)], [fileValue(0, 0)], [0]]);
    expect(audio[0][2]).toEqual([[fileValue(1, 0)], [fileValue(1, 0)], [0]]);
    expect(audio[1][1]).toEqual([[fileValue(1, 2)], [fileValue(1, 2)], [fileValue(1, 2)], [fileValue(1, 2)]]);
  });

  it('cuts or pads every file to outputSequenceLength; categorical labels; snake_case options', async () => {
    const ds = ts.utils.audioDatasetFromDirectory(CLASSES, {
      shuffle: false,
      batch_size: 5,
      output_sequence_length: 3,
      label_mode: 'categorical',
    } as ts.utils.AudioDatasetOptions);
    const { shapes, audio, labels } = await batches(ds);
    expect(shapes).toEqual([[5, 3, 1]]);
    expect(audio[0][0].flat()).toEqual([fileValue(0, 0), fileValue(0, 0), 0]);
    expect(audio[0][4].flat()).toEqual([fileValue(1, 2), fileValue(1, 2), fileValue(1, 2)]);
    expect(labels[0]).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });

  it('yields single [frames, channels] elements with batchSize null, binary labels as [1]', async () => {
    const ds = ts.utils.audioDatasetFromDirectory(CLASSES, { shuffle: false, batchSize: null, labelMode: 'binary' });
    expect(ds.size).toBe(5);
    const shapes: number[][] = [];
    const labels: unknown[] = [];
    for await (const e of ds) {
      const [x, y] = e as [ts.Tensor, ts.Tensor];
      shapes.push(x.shape);
      labels.push(y.arraySync());
    }
    expect(shapes).toEqual([
      [2, 1],
      [3, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(labels).toEqual([[0], [0], [1], [1], [1]]);
  });

  it('yields audio only with labels null or labelMode null', async () => {
    for (const options of [{ labels: null }, { labelMode: null }] as ts.utils.AudioDatasetOptions[]) {
      const ds = ts.utils.audioDatasetFromDirectory(CLASSES, { ...options, shuffle: false, batchSize: 8 });
      const all: unknown[] = [];
      for await (const e of ds) all.push(e);
      expect(all).toHaveLength(1);
      expect((all[0] as ts.Tensor).shape).toEqual([5, 4, 1]);
    }
  });

  it('splits a seeded shuffle into disjoint training and validation parts covering every file', async () => {
    const [train, val] = ts.utils.audioDatasetFromDirectory(CLASSES, { validationSplit: 0.4, subset: 'both', seed: 3, batchSize: 1, outputSequenceLength: 1 });
    const values = async (ds: ts.data.Dataset<ts.data.Element>) => (await batches(ds)).audio.map((b) => b[0][0][0]);
    const t = await values(train);
    const v = await values(val);
    expect(t).toHaveLength(3);
    expect(v).toHaveLength(2);
    const all = [fileValue(0, 0), fileValue(0, 1), fileValue(1, 0), fileValue(1, 1), fileValue(1, 2)];
    expect([...t, ...v].sort()).toEqual([...all].sort());
    // The same seed gives the same parts; subset 'validation' alone matches 'both'.
    const v2 = await values(
      ts.utils.audioDatasetFromDirectory(CLASSES, {
        validationSplit: 0.4,
        subset: 'validation',
        seed: 3,
        batchSize: 1,
        outputSequenceLength: 1,
        shuffle: true,
      }),
    );
    expect([...v2].sort()).toEqual([...v].sort());
  });

  it('checks samplingRate against every file (no resampling)', async () => {
    const ok = ts.utils.audioDatasetFromDirectory(CLASSES, { samplingRate: 8000, shuffle: false });
    expect((await batches(ok)).shapes).toEqual([[5, 4, 1]]);
    const wrong = ts.utils.audioDatasetFromDirectory(CLASSES, { samplingRate: 16000, shuffle: false });
    await expect(batches(wrong)).rejects.toThrow(
      /utils\.audioDatasetFromDirectory: '.*cat.0\.wav' is sampled at 8000 Hz, expected samplingRate 16000 \(Tessera does not resample/,
    );
  });

  it('reads multi-channel files; refuses a batch that mixes channel counts and a broken file, naming them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-audiodir-'));
    try {
      mkdirSync(join(root, 'a'));
      copyFileSync(join(DIR, 'formats', 'pcm16_stereo.wav'), join(root, 'a', '1.wav'));
      copyFileSync(join(DIR, 'formats', 'float32_stereo.wav'), join(root, 'a', '2.wav'));
      const stereo = await batches(ts.utils.audioDatasetFromDirectory(root, { shuffle: false }));
      expect(stereo.shapes).toEqual([[2, 3, 2]]);
      expect(stereo.audio[0][1]).toEqual([
        [0.5, -0.25],
        [1, -1],
        [0, 0],
      ]);
      copyFileSync(join(DIR, 'formats', 'pcm8_mono.wav'), join(root, 'a', '3.wav'));
      await expect(batches(ts.utils.audioDatasetFromDirectory(root, { shuffle: false }))).rejects.toThrow(
        /a batch mixes 2-channel '.*1\.wav' and 1-channel '.*3\.wav'; every file of a batch needs the same channel count/,
      );
      writeFileSync(join(root, 'a', '3.wav'), 'not a wav');
      await expect(batches(ts.utils.audioDatasetFromDirectory(root, { shuffle: false }))).rejects.toThrow(/'.*3\.wav' is not a WAV file it can read/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a batch too big to allocate, naming its shape', async () => {
    const ds = ts.utils.audioDatasetFromDirectory(CLASSES, { outputSequenceLength: 2 ** 31 - 1, shuffle: false });
    await expect(batches(ds)).rejects.toThrow(
      /cannot allocate an audio batch of shape \[5, 2147483647, 1\] \(float32\).*lower outputSequenceLength or batchSize/,
    );
  });

  it('raises clear errors for bad arguments', () => {
    const f = ts.utils.audioDatasetFromDirectory as (...a: unknown[]) => unknown;
    const cases: [unknown[], RegExp][] = [
      [[CLASSES, { ragged: true }], /ragged batches are not supported \(Tessera has no ragged tensors\), got ragged true/],
      [[CLASSES, { samplingRate: 0 }], /expected samplingRate to be a positive integer .* or null, got 0/],
      [[CLASSES, { samplingRate: 8000.5 }], /expected samplingRate to be a positive integer/],
      [[CLASSES, { outputSequenceLength: -1 }], /expected outputSequenceLength to be a positive integer \(at most 2\*\*31 - 1\) or null, got -1/],
      [[CLASSES, { outputSequenceLength: 2 ** 32 }], /expected outputSequenceLength to be a positive integer/],
      [[CLASSES, { batchSize: 0 }], /expected batchSize to be a positive integer/],
      [[CLASSES, { labelMode: 'sparse' }], /expected labelMode to be 'int', 'categorical', 'binary' or null, got 'sparse'/],
      [[CLASSES, { labelMode: 'binary', classNames: ['dog'] }], /labelMode 'binary' needs exactly 2 classes, found 1/],
      [[CLASSES, { validationSplit: 0.2 }], /validationSplit and subset go together/],
      [[CLASSES, { validationSplit: 0.2, subset: 'training' }], /give a seed/],
      [[CLASSES, { validationSplit: 1.5, subset: 'training', seed: 1 }], /expected validationSplit in \(0, 1\), got 1\.5/],
      [[CLASSES, { validationSplit: 0.1, subset: 'validation', seed: 1 }], /no validation \.wav files in/],
      [[CLASSES, { labels: [0, 1] }], /expected as many labels as \.wav files found/],
      [[CLASSES, { classNames: ['bird'] }], /classNames must name distinct subfolders/],
      [[CLASSES, { shufle: false }], /shufle/],
      [[join(DIR, 'formats')], /labels 'inferred' needs class subfolders/],
      [[join(DIR, 'nowhere')], /cannot read the folder/],
      [[42], /expected a folder path, got 42/],
      [[CLASSES, 'x'], /expected an options object/],
      [[CLASSES, {}, 1], /audioDatasetFromDirectory/],
    ];
    for (const [args, message] of cases) expect(() => f(...args)).toThrow(message);
    const empty = mkdtempSync(join(tmpdir(), 'tessera-audioempty-'));
    try {
      mkdirSync(join(empty, 'a'));
      expect(() => f(empty)).toThrow(/no \.wav files found in '.*' \(one subfolder per class\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
