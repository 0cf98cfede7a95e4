// TensorFlow.js's tf.image functions that were 'not a function': flipLeftRight,
// grayscaleToRGB, rgbToGrayscale and the non-max suppression family, against TensorFlow.js
// itself (the devDependency, cpu backend).
import * as tf from '@tensorflow/tfjs';
import * as ts from '../src';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, howItEnded, runTsBody } from './helpers/child';
import { gradcheck } from './helpers/gradcheck';

tf.setBackend('cpu');

const same = (ours: ts.Tensor, theirs: tf.Tensor, tol = 0) => {
  expect(ours.shape).toEqual(theirs.shape);
  expect(ours.dtype).toBe(theirs.dtype);
  const [a, b] = [Array.from(ours.dataSync(), Number), Array.from(theirs.dataSync(), Number)];
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol));
};
// Deterministic values in [lo, hi).
const values = (n: number, seed: number, lo = 0, hi = 1) =>
  Array.from({ length: n }, (_, i) => lo + (((hi - lo) * (((Math.sin(seed * 1000 + i * 12.9898) * 43758.5453) % 1) + 1)) % 1));

describe('colour and orientation', () => {
  it('flipLeftRight, with its gradient', () => {
    const v = values(2 * 3 * 4 * 2, 1);
    same(ts.image.flipLeftRight(ts.tensor4d(v, [2, 3, 4, 2])), tf.image.flipLeftRight(tf.tensor4d(v, [2, 3, 4, 2])));
    gradcheck((x) => ts.image.flipLeftRight(x), [ts.tensor4d(values(12, 2), [1, 2, 3, 2], 'float64')]);
    expect(() => ts.image.flipLeftRight(ts.zeros([3, 4, 2]))).toThrow(
      /^image.flipLeftRight: expected images \[batch, height, width, channels\], got shape \[3, 4, 2\]/,
    );
  });

  it('grayscaleToRGB and rgbToGrayscale, float32 and int32', () => {
    const grey = values(2 * 3 * 4, 3, 0, 255);
    same(ts.image.grayscaleToRGB(ts.tensor4d(grey, [2, 3, 4, 1])), tf.image.grayscaleToRGB(tf.tensor4d(grey, [2, 3, 4, 1])));
    const rgb = values(2 * 4 * 3, 4, 0, 255);
    same(ts.image.rgbToGrayscale(ts.tensor3d(rgb, [2, 4, 3])), tf.image.rgbToGrayscale(tf.tensor3d(rgb, [2, 4, 3])), 1e-4);
    const ints = rgb.map(Math.floor);
    same(ts.image.rgbToGrayscale(ts.tensor3d(ints, [2, 4, 3], 'int32')), tf.image.rgbToGrayscale(tf.tensor3d(ints, [2, 4, 3], 'int32')));
    expect(() => ts.image.rgbToGrayscale(ts.zeros([2, 4]))).toThrow(/expected an RGB image \[\.\.\., 3\]/);
    expect(() => ts.image.grayscaleToRGB(ts.zeros([2, 3]))).toThrow(/expected an image \[\.\.\., 1\]/);
  });
});

describe('non-max suppression', () => {
  // Boxes in clusters, so that many overlap; corners in either order.
  const n = 40;
  const boxes: number[] = [];
  const v = values(n * 4, 5);
  for (let i = 0; i < n; i++) {
    const [cy, cx] = [(i % 4) * 0.25 + v[4 * i] * 0.05, Math.floor(i / 10) * 0.3 + v[4 * i + 1] * 0.05];
    const [h, w] = [0.1 + v[4 * i + 2] * 0.1, 0.1 + v[4 * i + 3] * 0.1];
    boxes.push(...(i % 3 === 0 ? [cy + h, cx + w, cy, cx] : [cy, cx, cy + h, cx + w]));
  }
  const scores = values(n, 6);
  const both = () => [ts.tensor2d(boxes, [n, 4]), ts.tensor1d(scores), tf.tensor2d(boxes, [n, 4]), tf.tensor1d(scores)] as const;

  it.each([
    [10, 0.5, -Infinity],
    [40, 0.3, -Infinity],
    [40, 0.7, 0.4],
    [5, 0, -Infinity],
    [0, 0.5, -Infinity],
  ])('nonMaxSuppression(max %d, iou %d, score %d) and its async and padded forms', async (max, iouT, scoreT) => {
    const [b, s, tb, tsc] = both();
    same(ts.image.nonMaxSuppression(b, s, max, iouT, scoreT), tf.image.nonMaxSuppression(tb, tsc, max, iouT, scoreT));
    same(await ts.image.nonMaxSuppressionAsync(b, s, max, iouT, scoreT), await tf.image.nonMaxSuppressionAsync(tb, tsc, max, iouT, scoreT));
    for (const pad of [false, true]) {
      const ours = ts.image.nonMaxSuppressionPadded(b, s, max, iouT, scoreT, pad);
      const theirs = tf.image.nonMaxSuppressionPadded(tb, tsc, max, iouT, scoreT, pad);
      same(ours.selectedIndices, theirs.selectedIndices);
      same(ours.validOutputs, theirs.validOutputs);
    }
  });

  it.each([0, 0.5, 0.9])('nonMaxSuppressionWithScore with softNmsSigma %d', async (sigma) => {
    const [b, s, tb, tsc] = both();
    const ours = await ts.image.nonMaxSuppressionWithScoreAsync(b, s, 20, 0.6, 0.1, sigma);
    const theirs = tf.image.nonMaxSuppressionWithScore(tb, tsc, 20, 0.6, 0.1, sigma);
    same(ours.selectedIndices, theirs.selectedIndices);
    same(ours.selectedScores, theirs.selectedScores, 1e-6);
  });

  it('checks its arguments', () => {
    const [b, s] = both();
    expect(() => ts.image.nonMaxSuppression(ts.zeros([3, 3]), ts.zeros([3]), 2)).toThrow(/^image.nonMaxSuppression: expected boxes \[numBoxes, 4\]/);
    expect(() => ts.image.nonMaxSuppression(b, ts.zeros([3]), 2)).toThrow(/expected scores \[40\] \(one per box\), got shape \[3\]/);
    expect(() => ts.image.nonMaxSuppression(b, s, 2.5)).toThrow(/expected maxOutputSize to be an integer in \[0, 2147483647\], got 2.5/);
    expect(() => ts.image.nonMaxSuppression(b, s, 2, 1.5)).toThrow(/expected iouThreshold in \[0, 1\], got 1.5/);
    expect(() => ts.image.nonMaxSuppressionWithScore(b, s, 2, 0.5, 0, -1)).toThrow(/expected softNmsSigma >= 0, got -1/);
  });

  // Each in a child: the old code aborted on the heap (padding) or looped forever (NaN scores).
  it('refuses a maxOutputSize past int32, and an allocation the process is refused is a clear error', () => {
    const body = `
      const b = ts.tensor([[0, 0, 1, 1]]), s = ts.tensor([0.9]);
      for (const [name, max] of [['int32', 2 ** 31], ['alloc', 2 ** 31 - 1]]) {
        try { ts.image.nonMaxSuppressionPadded(b, s, max, 0.5, -Infinity, true); console.log(name, 'returned'); }
        catch (e) { console.log(name, e.message); }
      }`;
    const script = `const ts = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});\n${body}`;
    const node = [process.execPath, '-r', join(ROOT, 'test', 'helpers', 'register-ts.js'), '-e', script];
    // 6 GiB of address space: the 8 GiB of int32 indices cannot be had.
    const r = spawnSync('bash', ['-c', 'ulimit -v 6291456 && exec "$0" "$@"', ...node], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(howItEnded(r) + r.stderr).toBe('exit 0');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^int32 image.nonMaxSuppressionPadded: expected maxOutputSize to be an integer in \[0, 2147483647\], got 2147483648$/);
    expect(lines[1]).toMatch(/^alloc image.nonMaxSuppressionPadded: (could not allocate 2147483647 int32 values|the result would hold 2147483647 int32)/);
  });

  it('the async padded form names itself and pads with zeros', async () => {
    await expect(ts.image.nonMaxSuppressionPaddedAsync(ts.tensor([[0, 0, 1, 1]]), ts.tensor([0.9]), 2 ** 40, 0.5, -Infinity, true)).rejects.toThrow(
      /^image.nonMaxSuppressionPaddedAsync: expected maxOutputSize/,
    );
    const r = await ts.image.nonMaxSuppressionPaddedAsync(ts.tensor([[0, 0, 1, 1]]), ts.tensor([0.9]), 4, 0.5, -Infinity, true);
    expect(Array.from(r.selectedIndices.dataSync())).toEqual([0, 0, 0, 0]);
    expect(r.selectedIndices.dtype).toBe('int32');
    expect(r.validOutputs.dataSync()[0]).toBe(1);
  });

  it('soft-NMS ends when a score becomes NaN (a tiny sigma, a NaN box), dropping that box as TensorFlow does', () => {
    const body = `
      const out = (r) => [Array.from(r.selectedIndices.dataSync()), Array.from(r.selectedScores.dataSync(), (v) => +v.toFixed(4))];
      // sigma 1e-310: -0.5 / sigma is -Infinity; disjoint boxes keep their scores.
      console.log(JSON.stringify(out(ts.image.nonMaxSuppressionWithScore(ts.tensor([[0, 0, 1, 1], [0, 5, 1, 6]]), ts.tensor([0.9, 0.8]), 2, 0.5, 0, 1e-310))));
      // Overlapping boxes: any overlap decays the score to 0, under the threshold.
      console.log(JSON.stringify(out(ts.image.nonMaxSuppressionWithScore(ts.tensor([[0, 0, 1, 1], [0, 0.5, 1, 1.5]]), ts.tensor([0.9, 0.8]), 2, 0.5, 0, 1e-310))));
      console.log(JSON.stringify(out(ts.image.nonMaxSuppressionWithScore(ts.tensor([[0, 0, 1, 1], [NaN, 0, 1, 1]]), ts.tensor([0.9, 0.8]), 2, 0.5, -Infinity, 0.5))));`;
    const r = runTsBody(body, [], 20_000);
    expect(howItEnded(r)).toBe('exit 0');
    expect(r.stdout.trim().split('\n')).toEqual(['[[0,1],[0.9,0.8]]', '[[0],[0.9]]', '[[0],[0.9]]']);
  });

  // Speed is for benchmarks, not tests: the queue read by index took 0.2 s here where shift() took 5 s.
  it('many overlapping boxes: the best one alone is kept', () => {
    const n = 100_000;
    const b = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) b.set([0, 0, 1, 1], 4 * i);
    const s = Float32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const r = ts.image.nonMaxSuppression(ts.tensor(b, [n, 4]), ts.tensor(s), n, 0.5);
    expect(Array.from(r.dataSync())).toEqual([Array.from(s).indexOf(n - 1)]);
  });
});
