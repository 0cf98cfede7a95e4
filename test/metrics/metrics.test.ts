import { layers, losses, metrics, sequential, setSeed, Tensor, tensor, tidy, type TensorLike } from '../../src';
import { expectClose } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';
import { resolveAccuracy } from '../../src/metrics/accuracy_metrics';

// result() as numbers, releasing the tensor.
function read(m: metrics.Metric): number[] {
  const r = m.result();
  const v = Array.from(r.dataSync());
  r.dispose();
  return v;
}
const expectResult = (m: metrics.Metric, want: number[], rtol = 1e-5, atol = 1e-6) => expectClose(read(m), want, rtol, atol);

// Keras 3's docstring examples (keras/src/metrics/*.py), each with reset_state between.
describe('Keras docstring examples', () => {
  it('Mean and Sum', () => {
    const mean = new metrics.Mean();
    mean.updateState([1, 3, 5, 7]);
    expectResult(mean, [4]);
    mean.resetState();
    mean.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectResult(mean, [2]);
    const sum = new metrics.Sum();
    sum.updateState([1, 3, 5, 7]);
    expectResult(sum, [16]);
    sum.resetState();
    sum.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectResult(sum, [4]);
  });
  it('accuracy metrics', () => {
    const cases: [metrics.Metric, unknown, unknown, number[], number, number][] = [
      [new metrics.Accuracy(), [[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0], 0.75, 0.5],
      [new metrics.BinaryAccuracy(), [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1], 0.75, 0.5],
      [
        new metrics.CategoricalAccuracy(),
        [
          [0, 0, 1],
          [0, 1, 0],
        ],
        [
          [0.1, 0.9, 0.8],
          [0.05, 0.95, 0],
        ],
        [0.7, 0.3],
        0.5,
        0.3,
      ],
      [
        new metrics.SparseCategoricalAccuracy(),
        [[2], [1]],
        [
          [0.1, 0.6, 0.3],
          [0.05, 0.95, 0],
        ],
        [0.7, 0.3],
        0.5,
        0.3,
      ],
      [
        new metrics.TopKCategoricalAccuracy({ k: 1 }),
        [
          [0, 0, 1],
          [0, 1, 0],
        ],
        [
          [0.1, 0.9, 0.8],
          [0.05, 0.95, 0],
        ],
        [0.7, 0.3],
        0.5,
        0.3,
      ],
      [
        new metrics.SparseTopKCategoricalAccuracy({ k: 1 }),
        [2, 1],
        [
          [0.1, 0.9, 0.8],
          [0.05, 0.95, 0],
        ],
        [0.7, 0.3],
        0.5,
        0.3,
      ],
    ];
    for (const [m, t, p, w, plain, weighted] of cases) {
      m.updateState(t as number[], p as number[]);
      expectResult(m, [plain]);
      m.resetState();
      m.updateState(t as number[], p as number[], w);
      expectResult(m, [weighted]);
    }
  });
  it('Precision and Recall, with topK', () => {
    for (const m of [new metrics.Precision(), new metrics.Recall()]) {
      m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
      expectResult(m, [2 / 3]);
      m.resetState();
      m.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
      expectResult(m, [1]);
    }
    const top2 = new metrics.Precision({ topK: 2 });
    top2.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expectResult(top2, [0]);
    const top4 = new metrics.Precision({ topK: 4 });
    top4.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expectResult(top4, [0.5]);
  });
  it('AUC, F1Score, FBetaScore, MeanIoU, RootMeanSquaredError, R2Score', () => {
    const auc = new metrics.AUC({ numThresholds: 3 });
    auc.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expectResult(auc, [0.75]);
    auc.resetState();
    auc.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
    expectResult(auc, [1]);
    const yTrue = [
      [1, 1, 1],
      [1, 0, 0],
      [1, 1, 0],
    ];
    const yPred = [
      [0.2, 0.6, 0.7],
      [0.2, 0.6, 0.6],
      [0.6, 0.8, 0],
    ];
    const f1 = new metrics.F1Score({ threshold: 0.5 });
    f1.updateState(yTrue, yPred);
    expectResult(f1, [0.5, 0.8, 0.6666667], 1e-5);
    const fb = new metrics.FBetaScore({ beta: 2, threshold: 0.5 });
    fb.updateState(yTrue, yPred);
    expectResult(fb, [0.3846154, 0.90909094, 0.8333334], 1e-5);
    const iou = new metrics.MeanIoU({ numClasses: 2 });
    iou.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
    expectResult(iou, [1 / 3]);
    iou.resetState();
    iou.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expectResult(iou, [0.23809525]);
    const rmse = new metrics.RootMeanSquaredError();
    rmse.updateState(
      [
        [0, 1],
        [0, 0],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    );
    expectResult(rmse, [0.5]);
    rmse.resetState();
    rmse.updateState(
      [
        [0, 1],
        [0, 0],
      ],
      [
        [1, 1],
        [0, 0],
      ],
      [1, 0],
    );
    expectResult(rmse, [0.70710677]);
    const r2 = new metrics.R2Score();
    r2.updateState([[1], [4], [3]], [[2], [4], [4]]);
    expectResult(r2, [0.57142854]);
  });
});

describe('state over several batches', () => {
  it('means weight every sample of every batch', () => {
    const mse = new metrics.MeanSquaredError();
    mse.updateState([[0, 1]], [[1, 1]]); // 0.5
    mse.updateState(
      [
        [0, 0],
        [2, 2],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ); // 0, 4
    expectResult(mse, [(0.5 + 0 + 4) / 3]);
    mse.updateState([[1, 1]], [[0, 0]], [2]); // 1 with weight 2
    expectResult(mse, [(4.5 + 2) / 5]);
    mse.resetState();
    expectResult(mse, [0]);
    const mae = new metrics.MeanAbsoluteError({ name: 'mae' });
    expect(mae.name).toBe('mae');
    mae.updateState([1, 2], [2, 4]);
    mae.updateState([0], [0.5]);
    expectResult(mae, [(1.5 * 1 + 0.5) / 2]);
  });
  it('MeanMetricWrapper of any function, with options', () => {
    const m = new metrics.MeanMetricWrapper(losses.huber, { name: 'huber', delta: 0.5 });
    m.updateState([[0, 2]], [[0.2, 0]]);
    m.updateState([[1]], [[1]]);
    const h = (e: number) => (Math.abs(e) <= 0.5 ? 0.5 * e * e : 0.5 * Math.abs(e) - 0.125);
    expectResult(m, [((h(0.2) + h(2)) / 2 + 0) / 2]);
    expect(m.getConfig()).toEqual({ name: 'huber', delta: 0.5 });
  });
  it('Precision / Recall at several thresholds, by class, accumulated', () => {
    const p = new metrics.Precision({ thresholds: [0.3, 0.7] });
    p.updateState([1, 0, 1], [0.5, 0.5, 0.9]);
    p.updateState([0, 1], [0.8, 0.1]);
    // at 0.3: predicted positive 0.5(1) 0.5(0) 0.9(1) 0.8(0) -> 2/4; at 0.7: 0.9(1) 0.8(0) -> 1/2
    expectResult(p, [0.5, 0.5]);
    const r = new metrics.Recall({ classId: 1 });
    r.updateState(
      [
        [0, 1],
        [0, 1],
        [1, 0],
      ],
      [
        [0.2, 0.8],
        [0.7, 0.3],
        [0.4, 0.6],
      ],
    );
    expectResult(r, [0.5]);
    const rTop = new metrics.Recall({ topK: 1 });
    rTop.updateState(
      [
        [0, 1, 1],
        [1, 0, 0],
      ],
      [
        [0.1, 0.5, 0.4],
        [0.3, 0.3, 0.2],
      ],
    );
    // top-1: row 0 keeps class 1 (tp), misses class 2; row 1 keeps class 0 (first on ties) -> tp 2, fn 1
    expectResult(rTop, [2 / 3]);
  });
  it('AUC matches the exact ROC area (Mann-Whitney) with many thresholds, and PR AUC is sane', () => {
    const n = 400;
    let s = 7;
    const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < n; i++) {
      const y = rand() < 0.4 ? 1 : 0;
      labels.push(y);
      scores.push(Math.min(1, Math.max(0, 0.35 * y + 0.65 * rand())));
    }
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
    const auc = new metrics.AUC({ numThresholds: 2000 });
    auc.updateState(labels.slice(0, 150), scores.slice(0, 150));
    auc.updateState(labels.slice(150), scores.slice(150));
    expectClose(read(auc), [wins / pairs], 2e-3);
    const perfect = new metrics.AUC({ curve: 'PR' });
    perfect.updateState([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]);
    expectResult(perfect, [1], 1e-6);
    for (const summationMethod of ['minoring', 'majoring'] as const) {
      const m = new metrics.AUC({ numThresholds: 3, summationMethod });
      m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
      // recall [1, 0.5, 0] at fp rate [1, 0, 0]
      expectResult(m, [summationMethod === 'minoring' ? 0.5 : 1]);
    }
    const pr = new metrics.AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'majoring' });
    pr.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    // precision [0.5, 1, 0] at recall [1, 0.5, 0]: 0.5 * 1 + 0.5 * 1
    expectResult(pr, [1]);
    const logits = new metrics.AUC({ numThresholds: 3, fromLogits: true });
    logits.updateState([0, 0, 1, 1], [-10, 0, -0.5, 3]);
    expectResult(logits, [0.75]);
  });
  it('F1 averages and the arg-max default', () => {
    const yTrue = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ];
    const yPred = [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
      [0.2, 0.2, 0.6],
      [0.5, 0.4, 0.1],
    ];
    // arg max: tp = [2, 0, 1], fp = [0, 0, 1], fn = [0, 1, 0], support [2, 1, 1]
    const f = (tp: number, fp: number, fn: number) => {
      const p = tp / (tp + fp + 1e-7);
      const r = tp / (tp + fn + 1e-7);
      return (2 * p * r) / (p + r + 1e-7);
    };
    const per = [f(2, 0, 0), f(0, 0, 1), f(1, 1, 0)];
    const score = (average: metrics.FScoreAverage) => {
      const m = new metrics.F1Score({ average });
      m.updateState(yTrue.slice(0, 2), yPred.slice(0, 2));
      m.updateState(yTrue.slice(2), yPred.slice(2));
      return read(m);
    };
    expectClose(score(null), per, 1e-5);
    expectClose(score('macro'), [(per[0] + per[1] + per[2]) / 3], 1e-5);
    expectClose(score('weighted'), [(2 * per[0] + per[1] + per[2]) / 4], 1e-5);
    expectClose(score('micro'), [f(3, 1, 1)], 1e-5);
  });
  it('MeanIoU: one-hot inputs, ignoreClass, absent classes', () => {
    const m = new metrics.MeanIoU({ numClasses: 3, sparseYTrue: false, sparseYPred: false });
    m.updateState(
      [
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
        [1, 0, 0],
      ],
      [
        [0.2, 0.3, 0.5],
        [0.1, 0.2, 0.7],
        [0.5, 0.3, 0.1],
        [0.1, 0.4, 0.5],
      ],
      [0.1, 0.2, 0.3, 0.4],
    );
    // Keras's OneHotMeanIoU example: (0 + 0 + 0.1 / 0.7) / 3
    expectResult(m, [0.1 / 0.7 / 3], 1e-5);
    const ignore = new metrics.MeanIoU({ numClasses: 3, ignoreClass: 255 });
    ignore.updateState([0, 1, 255, 1], [0, 1, 2, 0]);
    // class 0: tp 1, pred 2, true 1 -> 1/2; class 1: tp 1, pred 1, true 2 -> 1/2; class 2 absent
    expectResult(ignore, [0.5]);
  });
  it('R2Score: several outputs, aggregations, adjusted', () => {
    const t = [
      [1, 2],
      [2, 4],
      [3, 5],
      [4, 3],
    ];
    const p = [
      [1.5, 2],
      [2, 3],
      [2.5, 5.5],
      [4, 3],
    ];
    const r2 = (col: number) => {
      const ys = t.map((r) => r[col]);
      const mean = ys.reduce((a, b) => a + b) / ys.length;
      const tot = ys.reduce((a, y) => a + (y - mean) ** 2, 0);
      return { r: 1 - t.reduce((a, r, i) => a + (r[col] - p[i][col]) ** 2, 0) / tot, tot };
    };
    const [a, b] = [r2(0), r2(1)];
    const make = (config: metrics.R2ScoreConfig) => {
      const m = new metrics.R2Score(config);
      m.updateState(t.slice(0, 1), p.slice(0, 1));
      m.updateState(t.slice(1), p.slice(1));
      return read(m);
    };
    expectClose(make({ classAggregation: null }), [a.r, b.r], 1e-5);
    expectClose(make({}), [(a.r + b.r) / 2], 1e-5);
    expectClose(make({ classAggregation: 'variance_weighted_average' }), [(a.r * a.tot + b.r * b.tot) / (a.tot + b.tot)], 1e-5);
    expectClose(make({ numRegressors: 1 }), [1 - ((1 - (a.r + b.r) / 2) * 3) / 2], 1e-5);
  });
  it('loss functions as metrics through metrics.get', () => {
    const m = metrics.get('binary_crossentropy');
    expect(m.name).toBe('binary_crossentropy');
    m.updateState([[0, 1]], [[0.4, 0.6]]);
    expectResult(m, [-Math.log(0.6)], 1e-5);
  });
});

// Logs read metrics through resultValue(): a number without a tensor for JS-state means.
describe('resultValue', () => {
  it('equals result() read back (float32), for means, wrappers and a subclass that overrides result()', () => {
    const mean = new metrics.Mean();
    mean.updateState([0.1, 0.2, 0.4]);
    const mae = new metrics.MeanAbsoluteError();
    mae.updateState([[0, 1]], [[0.3, 0.3]]);
    class Doubled extends metrics.Mean {
      override result(): Tensor {
        return tensor(2 * super.result().dataSync()[0]);
      }
    }
    const doubled = new Doubled();
    doubled.updateState([1, 2]);
    const precision = new metrics.Precision();
    precision.updateState([1, 0, 1], [1, 1, 1]);
    for (const m of [mean, mae, doubled, precision, new metrics.Mean()]) {
      const r = m.result();
      expect(m.resultValue()).toBe(r.dataSync()[0]);
      r.dispose();
    }
    expect(doubled.resultValue()).toBe(3);
    const before = liveTensors();
    for (let i = 0; i < 10; i++) mean.resultValue();
    expect(liveTensors()).toBe(before);
  });
});

describe('names, accuracy resolution and bad input', () => {
  it('metrics log under Keras 3 names', () => {
    const names = [
      new metrics.Accuracy(),
      new metrics.BinaryAccuracy(),
      new metrics.Precision(),
      new metrics.Recall(),
      new metrics.AUC(),
      new metrics.F1Score(),
      new metrics.FBetaScore(),
      new metrics.MeanIoU({ numClasses: 2 }),
      new metrics.MeanSquaredError(),
      new metrics.MeanAbsoluteError(),
      new metrics.RootMeanSquaredError(),
      new metrics.R2Score(),
      new metrics.TopKCategoricalAccuracy(),
      new metrics.Mean(),
    ].map((m) => m.name);
    expect(names).toEqual([
      'accuracy',
      'binary_accuracy',
      'precision',
      'recall',
      'auc',
      'f1_score',
      'fbeta_score',
      'mean_io_u',
      'mean_squared_error',
      'mean_absolute_error',
      'root_mean_squared_error',
      'r2_score',
      'top_k_categorical_accuracy',
      'mean',
    ]);
  });
  it('get resolves class names, snake_case, camelCase and aliases', () => {
    expect(metrics.get('accuracy')).toBeInstanceOf(metrics.Accuracy);
    expect(metrics.get('precision')).toBeInstanceOf(metrics.Precision);
    expect(metrics.get('AUC')).toBeInstanceOf(metrics.AUC);
    expect(metrics.get('auc')).toBeInstanceOf(metrics.AUC);
    expect(metrics.get('mse')).toBeInstanceOf(metrics.MeanSquaredError);
    expect(metrics.get('mean_squared_error')).toBeInstanceOf(metrics.MeanSquaredError);
    expect(metrics.get('sparseCategoricalAccuracy')).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(metrics.get('sparse_top_k_categorical_accuracy')).toBeInstanceOf(metrics.SparseTopKCategoricalAccuracy);
    expect(metrics.get('r2_score')).toBeInstanceOf(metrics.R2Score);
    const custom = metrics.get(function absErr(t: Tensor, p: Tensor) {
      return losses.meanAbsoluteError(t, p);
    });
    expect(custom.name).toBe('abs_err');
    expect(() => metrics.get('accuracyy')).toThrow(/metrics.get: unknown metric 'accuracyy'; did you mean 'accuracy'\? expected .*accuracy.*precision/);
  });
  it('resolveAccuracy: Keras 3 by shapes, or by loss', () => {
    expect(resolveAccuracy('binary_crossentropy')).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(resolveAccuracy('binaryCrossentropy')).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(resolveAccuracy(new losses.BinaryCrossentropy({ fromLogits: true }))).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(resolveAccuracy('sparse_categorical_crossentropy')).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(resolveAccuracy(losses.sparseCategoricalCrossentropy)).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(resolveAccuracy('categorical_crossentropy')).toBeInstanceOf(metrics.CategoricalAccuracy);
    expect(resolveAccuracy('mse', { yTrue: [32, 1], yPred: [32, 1] })).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(resolveAccuracy(undefined, { yTrue: [32], yPred: [32, 10] })).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(resolveAccuracy(undefined, { yTrue: [32, 10], yPred: [32, 10] })).toBeInstanceOf(metrics.CategoricalAccuracy);
    expect(resolveAccuracy('sparse_categorical_crossentropy', undefined, 'acc').name).toBe('acc');
  });
  it('bad input says which metric', () => {
    expect(() => new metrics.Precision().updateState([1, 0], [0.5, 0.5, 0.5])).toThrow(/precision: yTrue of shape \[2\] does not match yPred of shape \[3\]/);
    expect(() => new metrics.SparseCategoricalAccuracy().updateState([0, 1, 2], [[0.5, 0.5]])).toThrow(
      /sparseCategoricalAccuracy: yTrue of shape \[3\] does not match yPred of shape \[1, 2\]/,
    );
    expect(() => new metrics.SparseTopKCategoricalAccuracy({ k: 1 }).updateState([3], [[0.5, 0.5]])).toThrow(
      /label 3 at index 0 is not a class index in \[0, 2\)/,
    );
    expect(() => new metrics.Precision({ thresholds: 2 })).toThrow(/precision: expected thresholds in \[0, 1\], got 2/);
    expect(() => new metrics.AUC({ curve: 'XY' as never })).toThrow(/auc: expected curve 'ROC' or 'PR', got 'XY'/);
    expect(() => new metrics.F1Score({ average: 'mean' as never })).toThrow(/f1_score: expected average null, 'micro', 'macro' or 'weighted', got 'mean'/);
    expect(() => new metrics.MeanIoU({ numClasses: 0 })).toThrow(/mean_io_u: expected numClasses to be a positive integer, got 0/);
    expect(() => new metrics.Recall({ classId: 5 }).updateState([[1, 0]], [[0.3, 0.7]])).toThrow(/recall: classId 5 is not in \[0, 2\)/);
  });
  it('F1Score and FBetaScore refuse inputs that are not [batch, classes], as Keras 3 does', () => {
    const [yTrue, yPred] = [tensor([1, 0, 1]), tensor([0.9, 0.1, 0.2])];
    const before = liveTensors();
    // A rank-1 batch would count as one sample of 3 classes: [1, 0, 0] instead of an error.
    expect(() => new metrics.F1Score().updateState(yTrue, yPred)).toThrow(
      /f1_score: expected yTrue and yPred of rank 2, shape \[batch, classes\]; got yTrue of shape \[3\] and yPred of shape \[3\]/,
    );
    expect(() => new metrics.FBetaScore({ beta: 2 }).updateState([[1, 0, 1]], [[[0.9, 0.1, 0.2]]])).toThrow(
      /fbeta_score: expected yTrue and yPred of rank 2.*got yTrue of shape \[1, 3\] and yPred of shape \[1, 1, 3\]/,
    );
    expect(() => new metrics.F1Score().updateState([[]], [[]])).toThrow(/f1_score: expected at least one class, got yPred of shape \[1, 0\]/);
    expect(liveTensors()).toBe(before);
    yTrue.dispose();
    yPred.dispose();
  });
  it('updates release every tensor they create', () => {
    const all: metrics.Metric[] = [
      new metrics.BinaryAccuracy(),
      new metrics.CategoricalAccuracy(),
      new metrics.SparseTopKCategoricalAccuracy({ k: 2 }),
      new metrics.Precision({ topK: 1 }),
      new metrics.AUC(),
      new metrics.F1Score(),
      new metrics.MeanIoU({ numClasses: 3, sparseYTrue: false, sparseYPred: false }),
      new metrics.RootMeanSquaredError(),
      new metrics.R2Score(),
      new metrics.MeanSquaredError(),
    ];
    const yTrue = tensor([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const yPred = tensor([
      [0.2, 0.5, 0.3],
      [0.6, 0.3, 0.1],
    ]);
    const labels = tensor([1, 0], undefined, 'int32');
    const run = () => {
      for (const m of all) {
        m.updateState(m instanceof metrics.SparseTopKCategoricalAccuracy ? labels : yTrue, yPred, [1, 0.5]);
        m.result().dispose();
      }
    };
    run();
    const before = liveTensors();
    for (let i = 0; i < 5; i++) run();
    expect(liveTensors()).toBe(before);
    for (const m of all) m.resetState();
  });
});

// Keras's guide example: the state in a variable made by addVariable, assigned in
// updateState, returned by result() as it is; resetState left to the base class.
class BinaryTruePositives extends metrics.Metric {
  readonly truePositives;
  constructor(name = 'binary_true_positives') {
    super({ name });
    this.truePositives = this.addVariable({ shape: [], initializer: 'zeros', name: 'true_positives' });
  }
  override updateState(yTrue: TensorLike, yPred: TensorLike): void {
    tidy(() => {
      const asTensor = (x: TensorLike) => (x instanceof Tensor ? x : tensor(x as number[]));
      const hits = asTensor(yTrue).mul(asTensor(yPred).greater(0.5).cast('float32')).sum();
      this.truePositives.assign(this.truePositives.add(hits));
    });
  }
  override result(): Tensor {
    return this.truePositives;
  }
}

describe('a Metric subclass written the Keras way', () => {
  it('takes its name as a string or as Keras 3 options {name, dtype}, and refuses anything else', () => {
    class Named extends metrics.Metric {
      override updateState(): void {}
      override result(): Tensor {
        return tensor(0);
      }
      override resetState(): void {}
    }
    const made = (config?: unknown) => new Named(config as never);
    expect(made({ name: 'ctp' }).name).toBe('ctp');
    expect(made('ctp').name).toBe('ctp');
    expect(made().name).toBe('named');
    expect(made({ name: null }).name).toBe('named');
    expect(made({ name: 'x', dtype: 'float64' }).dtype).toBe('float64');
    expect(made({ name: 'x', dtype: 'float64' }).getConfig()).toEqual({ name: 'x', dtype: 'float64' });
    expect(made().getConfig()).toEqual({ name: 'named' });
    expect(() => made({ nmae: 'ctp' })).toThrow(/Named: unknown option 'nmae'; did you mean 'name'\?/);
    expect(() => made({ name: 'x', thresholds: 0.5 })).toThrow(/Named: unknown option 'thresholds'; valid options are: dtype, name/);
    expect(() => made(5)).toThrow(/Named: expected the metric's name \(a string\) or options \{name, dtype\}, got 5/);
    expect(() => made(['ctp'])).toThrow(/Named: expected the metric's name \(a string\) or options/);
    expect(() => made({ name: 5 })).toThrow(/Named: expected name to be a non-empty string, got 5/);
    expect(() => made({ dtype: 'float16' })).toThrow(/Named: expected dtype to be one of float32, int32, float64, bool, got 'float16'/);
  });

  it('addVariable makes state variables: updated, read, reset to their initial values, released by dispose', () => {
    const before = liveTensors();
    const m = new BinaryTruePositives();
    expect(m.variables.map((v) => [v.trainable, v.shape])).toEqual([[false, []]]);
    m.updateState([1, 1, 0, 1], [0.9, 0.2, 0.8, 0.7]);
    m.updateState([1], [0.6]);
    expectResult(m, [3]);
    // result() returned the variable itself: the copy the caller disposed leaves the state.
    expect(m.resultValue()).toBe(3);
    expectResult(m, [3]);
    m.resetState();
    expectResult(m, [0]);
    m.dispose();
    expect(liveTensors()).toBe(before);
  });

  it('addWeight takes tf.keras forms; resetState restores non-zero initial values; bad variables are refused', () => {
    class Extremes extends metrics.Metric {
      readonly lowest;
      readonly count;
      constructor() {
        super('extremes');
        this.lowest = this.addWeight({ name: 'lowest', shape: [2], initializer: 'ones' });
        this.count = this.addWeight('count', [], 'zeros', 'int32');
      }
      override updateState(values: TensorLike): void {
        tidy(() => {
          this.lowest.assign(this.lowest.minimum(values as Tensor));
          this.count.assign(this.count.add(tensor(1, undefined, 'int32')));
        });
      }
      override result(): Tensor {
        return this.lowest.clone();
      }
    }
    const m = new Extremes();
    expect(m.variables.map((v) => [v.dtype, v.shape])).toEqual([
      ['float32', [2]],
      ['int32', []],
    ]);
    const values = tensor([0.5, 2]);
    m.updateState(values);
    expectResult(m, [0.5, 1]);
    m.resetState();
    expectResult(m, [1, 1]);
    expect(Array.from(m.count.dataSync())).toEqual([0]);
    values.dispose();
    const add = (options: unknown) => m.addVariable(options as never);
    expect(() => add({ shape: [], initialiser: 'zeros' })).toThrow(/extremes\.addVariable: unknown option 'initialiser'; did you mean 'initializer'\?/);
    expect(() => add({ initializer: 'zeros' })).toThrow(/extremes\.addVariable: the options need a shape/);
    expect(() => add({ shape: [], name: 'lowest' })).toThrow(/extremes\.addVariable: the metric already has a variable named 'lowest'/);
    expect(() => add({ shape: [], initializer: 'zeroes' })).toThrow(/extremes\.addVariable.*zeroes/);
    expect(() => m.addWeight('c', [], 'float32' as never)).toThrow(/extremes\.addWeight.*float32/);
    expect(m.variables).toHaveLength(2);
    m.dispose();
  });

  it('resetState without variables or an override is an error naming the class', () => {
    class Stateless extends metrics.Metric {
      override updateState(): void {}
      override result(): Tensor {
        return tensor(0);
      }
    }
    expect(() => new Stateless().resetState()).toThrow(
      /Stateless\.resetState: the metric has no variables to reset; keep its state in addVariable's variables, or override resetState/,
    );
  });
});

describe('in compile and fit', () => {
  const X = [
    [0, 0.5, 1],
    [1, 0, 0.25],
    [0.5, 0.5, 0],
    [0.75, 1, 0.5],
  ];
  const Y = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 1, 0],
  ];
  const classifier = (metric: metrics.Metric) => {
    setSeed(1);
    const model = sequential({ layers: [layers.dense({ units: 3, inputShape: [3], activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [metric] });
    return model;
  };

  it('F1Score logs the score of [batch, classes] outputs', async () => {
    const model = classifier(new metrics.F1Score({ average: 'macro' }));
    const history = await model.fit(X, Y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect(history.history.f1_score).toHaveLength(2);
    const logs = await model.evaluate(X, Y, { verbose: 0 });
    const byHand = new metrics.F1Score({ average: 'macro' });
    const yPred = model.predict(X) as Tensor;
    byHand.updateState(Y, yPred);
    expectClose([logs.f1_score as number], read(byHand), 1e-5);
    yPred.dispose();
    model.dispose();
  });

  it('a Keras-style metric with variables logs under its name, and leaves no tensor behind', async () => {
    const tp = new BinaryTruePositives('ctp');
    const model = classifier(tp);
    const history = await model.fit(X, Y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['ctp', 'loss']);
    // Once the optimizer's state exists, training and evaluating make no tensor that stays.
    const before = liveTensors();
    await model.fit(X, Y, { epochs: 1, batchSize: 2, verbose: 0 });
    const logs = await model.evaluate(X, Y, { verbose: 0 });
    const yPred = model.predict(X) as Tensor;
    const byHand = new BinaryTruePositives();
    byHand.updateState(Y, yPred);
    expect(logs.ctp).toBe(read(byHand)[0]);
    yPred.dispose();
    byHand.dispose();
    expect(liveTensors()).toBe(before);
    model.dispose();
    tp.dispose();
  });
});
