// BLEU and ROUGE-L against their reference definitions, worked out by hand below.
import { metrics, tensor } from '../../src';
import { lcsLength } from '../../src/metrics/rouge';

const bleu = (refs: unknown, preds: unknown, config = {}) => {
  const m = new metrics.BLEU(config);
  m.updateState(refs as never, preds as never);
  return m.result().dataSync()[0];
};
const geometricMean = (ps: number[]) => Math.exp(ps.reduce((s, p) => s + Math.log(p), 0) / ps.length);

describe('BLEU', () => {
  it('is 1 for a prediction equal to its reference', () => {
    expect(bleu(['the cat sat on the mat'], ['the cat sat on the mat'])).toBeCloseTo(1, 6);
  });

  it("clips matches by the reference's counts (Papineni's 'the the the' example)", () => {
    // Prediction: 7 x 'the'; reference 'the cat is on the mat' has 'the' twice.
    // Unigrams 2/7; bigram 'the the' 0/6 -> no smoothing: 0.
    const refs = ['the cat is on the mat'],
      preds = ['the the the the the the the'];
    expect(bleu(refs, preds)).toBe(0);
    expect(bleu(refs, preds, { maxOrder: 1 })).toBeCloseTo(2 / 7, 6); // 7 > 6 tokens: no brevity penalty
    // Smoothed: (matches + 1) / (possible + 1) per order: 3/8, 1/7, 1/6, 1/5.
    expect(bleu(refs, preds, { smooth: true })).toBeCloseTo(geometricMean([3 / 8, 1 / 7, 1 / 6, 1 / 5]), 6);
  });

  it('applies the brevity penalty exp(1 - r / c) to short predictions', () => {
    // 'the cat' against a 6-token reference: p1 = 2/2, p2 = 1/1, bp = exp(1 - 6/2).
    expect(bleu(['the cat sat on the mat'], ['the cat'], { maxOrder: 2 })).toBeCloseTo(Math.exp(-2), 6);
    // Orders with no possible n-gram have precision 0 unless smoothed.
    expect(bleu(['the cat sat on the mat'], ['the cat'])).toBe(0);
    expect(bleu(['the cat sat on the mat'], ['the cat'], { smooth: true })).toBeCloseTo(geometricMean([3 / 3, 2 / 2, 1 / 1, 1 / 1]) * Math.exp(-2), 6);
  });

  it('accumulates over the corpus: sums of matches and lengths, not a mean of scores', () => {
    // Sample 1: 'a b c d' vs 'a b c d' (all match). Sample 2: 'a x' vs 'a b' (1/2 unigrams, 0/1 bigrams).
    // Corpus: p1 = 5/6, p2 = 3/4, p3 = 2/2 (sample 2 has no trigram), p4 = 1/1; c = 6 = r.
    const want = geometricMean([5 / 6, 3 / 4, 2 / 2, 1 / 1]);
    const m = new metrics.BLEU();
    m.updateState(['a b c d'], ['a b c d']);
    m.updateState(['a b'], ['a x']);
    expect(m.result().dataSync()[0]).toBeCloseTo(want, 6);
    expect(bleu(['a b c d', 'a b'], ['a b c d', 'a x'])).toBeCloseTo(want, 6);
    m.resetState();
    expect(m.result().dataSync()[0]).toBe(0);
  });

  it('takes several references: clips by the most in any one, r from the shortest', () => {
    // 'the the cat' vs ['the cat', 'the the dog']: 'the' clips at 2, all 3 unigrams and both
    // bigrams match; c = 3 > r = 2.
    expect(bleu([['the cat', 'the the dog']], ['the the cat'], { maxOrder: 2 })).toBeCloseTo(1, 6);
    // With one reference 'the cat' only: unigrams 2/3, bigrams 1/2, bp 1.
    expect(bleu(['the cat'], ['the the cat'], { maxOrder: 2 })).toBeCloseTo(Math.sqrt((2 / 3) * (1 / 2)), 6);
  });

  it('reads token ids (arrays or int tensors) and pre-split string tokens', () => {
    const want = Math.sqrt((2 / 3) * (1 / 2));
    expect(bleu([[7, 9]], [[7, 7, 9]], { maxOrder: 2 })).toBeCloseTo(want, 6);
    expect(bleu(tensor([[7, 9, 4]], [1, 3], 'int32'), tensor([[7, 7, 9]], [1, 3], 'int32'), { maxOrder: 2 })).toBeCloseTo(Math.sqrt((2 / 3) * (1 / 2)), 6);
    expect(bleu([[['the', 'cat']]], [['the', 'the', 'cat']], { maxOrder: 2 })).toBeCloseTo(want, 6);
    // Ids and strings never match each other: 1 is not '1'.
    expect(bleu([[1, 2]], [['1', '2']], { maxOrder: 1 })).toBe(0);
    const custom = new metrics.BLEU({ tokenizer: (t) => t.split(','), maxOrder: 1 });
    custom.updateState(['a,b'], ['a,b']);
    expect(custom.result().dataSync()[0]).toBeCloseTo(1, 6);
    expect(() => custom.getConfig()).toThrow(/custom tokenizer function cannot be serialized/);
  });

  it('rejects bad input with a message', () => {
    expect(() => new metrics.BLEU({ maxOrder: 0 })).toThrow(/maxOrder a positive integer, got 0/);
    expect(() => new metrics.BLEU({ smooth: 'yes' as never })).toThrow(/smooth true or false/);
    expect(() => new metrics.BLEU({ maxOrders: 2 } as never)).toThrow(/maxOrders/);
    expect(() => bleu(['a', 'b'], ['a'])).toThrow(/as many references as predictions, got 2 and 1/);
    expect(() => bleu([[]], ['a'])).toThrow(/non-empty list of references/);
    expect(() => bleu(['a'], [{ text: 'a' }])).toThrow(/each yPred a text or an array of tokens/);
    expect(new metrics.BLEU({ maxOrder: 2, smooth: true }).getConfig()).toEqual({ name: 'bleu', maxOrder: 2, smooth: true });
  });
});

describe('RougeL', () => {
  const rouge = (refs: unknown, preds: unknown) => {
    const m = new metrics.RougeL();
    m.updateState(refs as never, preds as never);
    return m.scores();
  };

  it('precision LCS/|prediction|, recall LCS/|reference|, F their harmonic mean', () => {
    // LCS('police killed the gunman', 'police kill the gunman') = 'police the gunman' = 3.
    const s = rouge(['police killed the gunman'], ['police kill the gunman']);
    expect(s.precision).toBeCloseTo(0.75, 6);
    expect(s.recall).toBeCloseTo(0.75, 6);
    expect(s.fMeasure).toBeCloseTo(0.75, 6);
    // 'a c e' in 'a b c d e': LCS 3, P = 1, R = 3/5, F = 2 * 0.6 / 1.6 = 0.75.
    const t = rouge(['a b c d e'], ['a c e']);
    expect([t.precision, t.recall, t.fMeasure].map((v) => +v.toFixed(6))).toEqual([1, 0.6, 0.75]);
  });

  it('averages per-sample scores over updates; result() is the chosen value', () => {
    // Sample 2: LCS('police killed the gunman', 'the gunman kill police') = 'the gunman' = 2 -> 0.5 each.
    const m = new metrics.RougeL();
    m.updateState(['police killed the gunman'], ['police kill the gunman']);
    m.updateState(['police killed the gunman'], ['the gunman kill police']);
    expect(m.result().dataSync()[0]).toBeCloseTo(0.625, 6);
    const recall = new metrics.RougeL({ value: 'recall' });
    recall.updateState(['a b c d e', 'x y'], ['a c e', 'x y z w']);
    // Recalls 3/5 and 2/2.
    expect(recall.result().dataSync()[0]).toBeCloseTo(0.8, 6);
    recall.resetState();
    expect(recall.result().dataSync()[0]).toBe(0);
  });

  it('tokenizes as rouge_score (lower case, punctuation separates); token ids work too', () => {
    expect(rouge(['The Cat, sat.'], ['the cat sat']).fMeasure).toBeCloseTo(1, 6);
    expect(rouge([[1, 2, 3, 4]], [[1, 3, 4]]).recall).toBeCloseTo(0.75, 6);
    expect(lcsLength([1, 2, 3, 2, 4, 1, 2], [2, 4, 3, 1, 2, 1])).toBe(4); // BCBA of CLRS's example
    expect(rouge([''], ['a']).fMeasure).toBe(0);
  });

  it('rejects bad input with a message', () => {
    expect(() => new metrics.RougeL({ value: 'f1' as never })).toThrow(/value 'fMeasure', 'precision' or 'recall', got 'f1'/);
    expect(() => rouge([['a b', 'a c']], ['a b'])).toThrow(/one reference per sample, got 2/);
    expect(() => rouge(['a'], 5)).toThrow(/yPred a batch/);
  });
});
