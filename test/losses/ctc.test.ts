// ctcLoss and ctcDecode (keras.ops.ctc_loss / ctc_decode) and the CTC loss class.
// References: torch.nn.functional.ctc_loss values and gradients, Keras's CTC test value,
// finite differences, and (decoding) exhaustive sums over every alignment
// (scripts/fixtures/make_loss_fixtures.py -> test/fixtures/losses/ctc*.json).
import * as fs from 'fs';
import * as path from 'path';
import { ctcDecode, ctcLoss, grad, layers, losses, sequential, setSeed, tensor, tidy, randomUniform, type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, expectTensor } from '../helpers/reference';

interface Encoded {
  shape: number[];
  data: number[];
}
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/losses', `${name}.json`), 'utf8')).cases;
const f64 = (e: Encoded) => tensor(e.data, e.shape, 'float64');
const value = (t: Tensor) => Array.from(t.dataSync());

describe('ctcLoss against torch.nn.functional.ctc_loss', () => {
  const cases = fixture('ctc');
  it('values and gradients: odd sizes, repeated labels, per-sample lengths, an empty target, blank 2', () => {
    for (const c of cases) {
      const logits = f64(c.logits);
      const target = tensor(c.target.data, c.target.shape, 'int32');
      const run = (x: Tensor) => ctcLoss(target, x, c.targetLength, c.outputLength, c.maskIndex);
      expectTensor(run(logits), c.loss.shape, c.loss.data, 1e-9, 1e-10);
      const upstream = f64(c.upstream);
      expectClose(value(grad((x) => run(x).mul(upstream).sum())(logits)), c.grad.data, 1e-8, 1e-10);
    }
  });

  it('float32 logits (and float labels) give float32 losses and gradients close to float64', () => {
    const c = cases[0];
    const logits = tensor(c.logits.data, c.logits.shape, 'float32');
    const target = tensor(c.target.data, c.target.shape, 'float32');
    const run = (x: Tensor) => ctcLoss(target, x, c.targetLength, c.outputLength);
    const loss = run(logits);
    expect(loss.dtype).toBe('float32');
    expectClose(value(loss), c.loss.data, 1e-5);
    const g = grad((x) => run(x).mul(tensor(c.upstream.data)).sum())(logits);
    expect(g.dtype).toBe('float32');
    expectClose(value(g), c.grad.data, 1e-4, 1e-6);
  });

  it('finite differences agree', () => {
    const logits = tensor(
      Array.from({ length: 2 * 5 * 4 }, (_, i) => Math.sin(i * 1.7) * 1.5),
      [2, 5, 4],
      'float64',
    );
    gradcheck(
      (x) =>
        ctcLoss(
          [
            [1, 1, 3],
            [2, 3, 0],
          ],
          x,
          [3, 2],
          [5, 4],
        ),
      [logits],
    );
  });

  it('no alignment fits: Infinity, and a zero gradient for that sample only', () => {
    const logits = tensor(
      Array.from({ length: 2 * 3 * 3 }, (_, i) => Math.cos(i)),
      [2, 3, 3],
      'float64',
    );
    const target = [
      [1, 1, 1],
      [1, 2, 0],
    ];
    const [inf, finite] = value(ctcLoss(target, logits, [3, 2], [3, 3]));
    expect(inf).toBe(Infinity);
    expect(Number.isFinite(finite)).toBe(true);
    const g = value(
      grad((x) =>
        ctcLoss(target, x, [3, 2], [3, 3])
          .mul(tensor([0, 1], undefined, 'float64'))
          .sum(),
      )(logits),
    );
    expect(g.slice(0, 9).every((v) => v === 0)).toBe(true);
    expect(g.slice(9).some((v) => v !== 0)).toBe(true);
  });
});

describe('the CTC loss class (keras.losses.CTC)', () => {
  it("Keras's test value: labels counted as the non-zero entries, every step valid", () => {
    const logits = tensor(
      Array.from({ length: 24 }, (_, i) => (i - 12) / 100),
      [2, 4, 3],
    );
    const yTrue = [
      [1, 2, 1, 0],
      [1, 2, 0, 2],
    ];
    expectTensor(new losses.CTC().apply(yTrue, logits), [], [2.448645], 1e-5);
    expectTensor(losses.ctc(yTrue, logits), [2], value(ctcLoss(yTrue, logits, [3, 3], [4, 4])));
    expect(losses.get('ctc')).toBe(losses.ctc);
    expect(new losses.CTC({ name: 'myctc' }).getConfig()).toEqual({ name: 'myctc', reduction: 'sum_over_batch_size' });
  });

  it('trains a model compiled with loss "ctc"', async () => {
    setSeed(5);
    const model = sequential({ layers: [layers.dense({ units: 4, inputShape: [6, 3] })] });
    model.compile({ optimizer: 'adam', loss: 'ctc' });
    const x = randomUniform([4, 6, 3]);
    const y = tensor([1, 2, 0, 3, 3, 1, 2, 0, 0, 1, 1, 2], [4, 3]);
    const lossNow = () => tidy(() => value(new losses.CTC().apply(y, model.predict(x) as Tensor))[0]);
    const before = lossNow();
    await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
    expect(lossNow()).toBeLessThan(before);
    [x, y].forEach((t) => t.dispose());
    model.dispose();
  });

  it('rejects wrong ranks naming the loss', () => {
    expect(() => losses.ctc([1, 2], tensor([[[0, 1]]]))).toThrow(/ctc: expected yTrue of shape \[batch, maxLabelLength\]/);
    expect(() => losses.ctc([[1, 2]], tensor([[0, 1]]))).toThrow(/ctc: expected yPred of shape \[batch, time, classes\]/);
  });
});

describe('ctcDecode', () => {
  it('greedy: best class per step, repeats merged, blanks dropped, score = -sum of the best logits', () => {
    // Best classes per step: sample 0: 1 1 0 1 2 2 -> [1, 1, 2]; sample 1 (3 steps): 2 0 2 -> [2, 2]
    const pick = [
      [1, 1, 0, 1, 2, 2],
      [2, 0, 2, 1, 1, 1],
    ];
    const logits = tensor(
      pick.flatMap((row) => row.flatMap((k, t) => [0, 1, 2].map((c) => (c === k ? 2 + t * 0.1 : 0)))),
      [2, 6, 3],
    );
    const [decoded, scores] = ctcDecode(logits, [6, 3]);
    expectTensor(decoded, [1, 2, 6], [1, 1, 2, -1, -1, -1, 2, 2, -1, -1, -1, -1]);
    expect(decoded.dtype).toBe('int32');
    expectTensor(scores, [2, 1], [-(12 + 1.5), -(6 + 0.3)], 1e-5);
    const [unmerged] = ctcDecode(logits, [6, 3], { mergeRepeated: false });
    expectTensor(unmerged, [1, 2, 6], [1, 1, 1, 2, 2, -1, 2, 2, -1, -1, -1, -1]);
    const [blankLast] = ctcDecode(logits, [6, 3], { maskIndex: null });
    expectTensor(blankLast, [1, 2, 6], [1, 0, 1, -1, -1, -1, 0, -1, -1, -1, -1, -1]);
  });

  it('beam search finds the most likely label sequences of an exhaustive enumeration', () => {
    for (const c of fixture('ctc_beam')) {
      const [decoded, scores] = ctcDecode(f64(c.logits), c.lengths, { strategy: 'beam_search', beamWidth: 64, topPaths: 3, maskIndex: c.maskIndex });
      const [paths, batch, time] = decoded.shape;
      expect([paths, batch]).toEqual([3, c.lengths.length]);
      expect(scores.shape).toEqual([batch, 3]);
      const d = value(decoded);
      const s = value(scores);
      c.best.forEach((best: { labels: number[]; logProb: number }[], b: number) =>
        best.forEach((want, i) => {
          const row = d.slice((i * batch + b) * time, (i * batch + b + 1) * time);
          expect(row).toEqual([...want.labels, ...new Array(time - want.labels.length).fill(-1)]);
          expectClose([s[b * 3 + i]], [want.logProb], 1e-9);
        }),
      );
    }
  });

  it('bad options and inputs name the op', () => {
    const logits = tensor(new Array(12).fill(0), [1, 4, 3]);
    expect(() => ctcDecode(logits, [4], { strategy: 'beam' as 'greedy' })).toThrow(/ctcDecode: expected strategy 'greedy' or 'beam_search', got 'beam'/);
    expect(() => ctcDecode(logits, [4], { beamWidth: 2, topPaths: 3 })).toThrow(/ctcDecode: expected topPaths to be an integer in \[1, 2\], got 3/);
    expect(() => ctcDecode(logits, [5])).toThrow(/ctcDecode: expected sequenceLengths to hold integers in \[0, 4\], got 5/);
    expect(() => ctcDecode(logits, [4], { beamWidht: 2 } as object)).toThrow(/beamWidth/);
    expect(() => ctcDecode(logits, [4], { maskIndex: 3 })).toThrow(/ctcDecode: expected maskIndex to be an integer in \[0, 2\], got 3/);
    expect(() => ctcDecode(tensor([[1, 2]]), [1])).toThrow(/ctcDecode: expected inputs of shape \[batch, time, classes\]/);
    expect(() => ctcLoss([[1, 5]], logits, [2], [4])).toThrow(/ctcLoss: target\[0\]\[1\] is 5, not a class in \[0, 3\)/);
    expect(() => ctcLoss([[1, 2]], logits, [3], [4])).toThrow(/ctcLoss: expected targetLength to hold integers in \[0, 2\], got 3/);
    expect(() => ctcLoss([[1, 2]], logits, [2], [4], 7)).toThrow(/ctcLoss: expected maskIndex to be an integer in \[0, 2\], got 7/);
    expect(() => ctcLoss([[1, 2]], tensor([1, 2, 3], [1, 1, 3], 'int32'), [2], [1])).toThrow(
      /ctcLoss: expected argument 'output' to have dtype float32 or float64, got int32/,
    );
    expect(() => ctcLoss([[1, 2.5]], logits, [2], [4])).toThrow(/ctcLoss: expected target to hold integers/);
    expect(() =>
      ctcLoss(
        [
          [1, 2],
          [1, 1],
        ],
        logits,
        [2, 2],
        [4, 4],
      ),
    ).toThrow(/ctcLoss: expected target of shape \[1, maxLabelLength\]/);
    expect(() => (ctcLoss as (...a: unknown[]) => Tensor)([[1, 2]], logits, [2], [4], 0, 1)).toThrow(/ctcLoss/);
  });

  it('releases every intermediate, with and without a tape', () => {
    const logits = tensor(
      Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [2, 4, 3],
    );
    const target = [
      [1, 2],
      [2, 0],
    ];
    expectNoLeaks(() =>
      tidy(() => {
        void ctcLoss(target, logits, [2, 1], [4, 3]);
        void grad((x) => ctcLoss(target, x, [2, 1], [4, 3]).sum())(logits);
        void ctcDecode(logits, [4, 2], { strategy: 'beam_search', beamWidth: 4, topPaths: 2 });
      }),
    );
    logits.dispose();
  });
});
