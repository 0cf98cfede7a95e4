// The confusion-count, rate-at-rate, IoU, correlation and loss-as-metric classes: Keras 3's
// docstring examples, and numpy / torch references (test/fixtures/metrics/make_metric_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layers, metrics, sequential, setSeed, Tensor } from '../../src';
import { expectClose } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

const fx = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics/metrics.json'), 'utf8'));

// result() as numbers, releasing the tensor.
function read(m: metrics.Metric): number[] {
  const r = m.result();
  const v = Array.from(r.dataSync());
  r.dispose();
  return v;
}
const expectResult = (m: metrics.Metric, want: number | number[], rtol = 1e-5, atol = 1e-6) =>
  expectClose(read(m), Array.isArray(want) ? want : [want], rtol, atol);
type MetricClass = new (config?: never) => metrics.Metric;
const make = (name: string, config?: object) => new (metrics as unknown as Record<string, MetricClass>)[name](config as never);

describe('Keras docstring examples', () => {
  it('TruePositives, FalsePositives, TrueNegatives, FalseNegatives', () => {
    const cases: [metrics.Metric, number[], number[]][] = [
      [new metrics.TruePositives(), [0, 1, 1, 1], [1, 0, 1, 1]],
      [new metrics.FalsePositives(), [0, 1, 0, 0], [0, 0, 1, 1]],
      [new metrics.TrueNegatives(), [0, 1, 0, 0], [1, 1, 0, 0]],
      [new metrics.FalseNegatives(), [0, 1, 1, 1], [0, 1, 0, 0]],
    ];
    for (const [m, yTrue, yPred] of cases) {
      m.updateState(yTrue, yPred);
      expectResult(m, 2);
      m.resetState();
      m.updateState(yTrue, yPred, [0, 0, 1, 0]);
      expectResult(m, 1);
    }
  });

  it('SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision', () => {
    const yTrue = [0, 0, 0, 1, 1];
    const yPred = [0, 0.3, 0.8, 0.3, 0.8];
    const cases: [metrics.Metric, number, number[], number][] = [
      [new metrics.SensitivityAtSpecificity({ specificity: 0.5 }), 0.5, [1, 1, 2, 2, 1], 0.333333],
      [new metrics.SpecificityAtSensitivity({ sensitivity: 0.5 }), 0.66666667, [1, 1, 2, 2, 2], 0.5],
      [new metrics.PrecisionAtRecall({ recall: 0.5 }), 0.5, [2, 2, 2, 1, 1], 0.33333333],
    ];
    for (const [m, plain, weights, weighted] of cases) {
      m.updateState(yTrue, yPred);
      expectResult(m, plain);
      m.resetState();
      m.updateState(yTrue, yPred, weights);
      expectResult(m, weighted);
    }
    const rap = new metrics.RecallAtPrecision({ precision: 0.8 });
    rap.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expectResult(rap, 0.5);
    rap.resetState();
    rap.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
    expectResult(rap, 1);
  });

  it('IoU, BinaryIoU, OneHotIoU, OneHotMeanIoU', () => {
    const iou = new metrics.IoU({ numClasses: 2, targetClassIds: [0] });
    iou.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
    expectResult(iou, 0.33333334);
    iou.resetState();
    iou.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expectResult(iou, 0.33333334);

    const binary = new metrics.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 });
    binary.updateState([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]);
    expectResult(binary, 0.33333334);
    binary.resetState();
    binary.updateState([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], [0.2, 0.3, 0.4, 0.1]);
    expectResult(binary, 0.17361112);

    const yTrue = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ];
    const yPred = [
      [0.2, 0.3, 0.5],
      [0.1, 0.2, 0.7],
      [0.5, 0.3, 0.1],
      [0.1, 0.4, 0.5],
    ];
    const weights = [0.1, 0.2, 0.3, 0.4];
    const oneHot = new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] });
    oneHot.updateState(yTrue, yPred, weights);
    expectResult(oneHot, (0 + 0.1 / 0.7) / 2, 1e-4); // 0.071
    const oneHotMean = new metrics.OneHotMeanIoU({ numClasses: 3 });
    oneHotMean.updateState(yTrue, yPred, weights);
    expectResult(oneHotMean, 0.1 / 0.7 / 3, 1e-4); // 0.048
  });

  it('PearsonCorrelation and ConcordanceCorrelation, and their functions', () => {
    const yTrue = [
      [0, 1, 0.5],
      [1, 1, 0.2],
    ];
    const yPred = [
      [0.1, 0.9, 0.5],
      [1, 0.9, 0.2],
    ];
    const pcc = new metrics.PearsonCorrelation({ axis: -1 });
    pcc.updateState(yTrue, yPred);
    expectResult(pcc, 0.9966996338993913, 1e-5);
    const ccc = new metrics.ConcordanceCorrelation({ axis: -1 });
    ccc.updateState(yTrue, yPred);
    expectResult(ccc, 0.9816320385426076, 1e-5);
    const values = metrics.concordanceCorrelation(yTrue, yPred, { axis: -1 });
    expectClose(Array.from(values.dataSync()), [0.97560976, 0.98765432], 1e-5);
    values.dispose();
    const p = metrics.pearsonCorrelation(yTrue, yPred);
    expectClose(Array.from(p.dataSync()), [1, 0.99339927], 1e-5);
    p.dispose();
  });
});

describe('numpy / torch references', () => {
  it('condition counts at several thresholds, over two weighted batches', () => {
    const { batches, thresholds, tp, fp, tn, fn } = fx.counts;
    const ms: [metrics.Metric, number[]][] = [
      [new metrics.TruePositives({ thresholds }), tp],
      [new metrics.FalsePositives({ thresholds }), fp],
      [new metrics.TrueNegatives({ thresholds }), tn],
      [new metrics.FalseNegatives({ thresholds }), fn],
    ];
    for (const [m, want] of ms) {
      for (const [y, p, w] of batches) m.updateState(y, p, w);
      expectResult(m, want);
      expect(m.result().shape).toEqual([3]);
    }
    // Evenly spaced thresholds: predictions clipped to [0, 1] as Keras's bucketing does.
    const even = fx.counts_even;
    const tpEven = new metrics.TruePositives({ thresholds: even.thresholds });
    const fpEven = new metrics.FalsePositives({ thresholds: even.thresholds });
    tpEven.updateState(even.yTrue, even.yPred);
    fpEven.updateState(even.yTrue, even.yPred);
    expectResult(tpEven, even.tp);
    expectResult(fpEven, even.fp);
    // Precision and Recall count the same way.
    const recall = new metrics.Recall({ thresholds: even.thresholds });
    recall.updateState(even.yTrue, even.yPred);
    expectResult(
      recall,
      even.tp.map((tp: number, i: number) => (tp + even.fn[i] === 0 ? 0 : tp / (tp + even.fn[i]))),
    );
  });

  it('rate-at-rate metrics at 1, 11 and 200 thresholds with weights, and by class', () => {
    const { yTrue, yPred, weights, cases } = fx.rate_at_rate;
    for (const { cls, config, want } of cases) {
      const m = make(cls, config);
      // Two batches accumulate like one.
      m.updateState(yTrue.slice(0, 12), yPred.slice(0, 12), weights.slice(0, 12));
      m.updateState(yTrue.slice(12), yPred.slice(12), weights.slice(12));
      expectResult(m, want);
    }
    const c = fx.rate_at_rate_class;
    const byClass = new metrics.PrecisionAtRecall({ recall: 0.5, numThresholds: 21, classId: 1 });
    byClass.updateState(c.yTrue, c.yPred);
    expectResult(byClass, c.want);
  });

  it('IoU with ignoreClass and MeanIoU on the same matrix; BinaryIoU per class', () => {
    const { yTrue, yPred, weights, want, wantMean } = fx.iou;
    const iou = new metrics.IoU({ numClasses: 4, targetClassIds: [1, 3], ignoreClass: 0 });
    const mean = new metrics.MeanIoU({ numClasses: 4, ignoreClass: 0 });
    for (const m of [iou, mean]) {
      m.updateState(yTrue.slice(0, 5), yPred.slice(0, 5), weights.slice(0, 5));
      m.updateState(yTrue.slice(5), yPred.slice(5), weights.slice(5));
    }
    expectResult(iou, want);
    expectResult(mean, wantMean);
    const b = fx.binary_iou;
    for (const [targets, value] of [
      [[0], b.want0],
      [[1], b.want1],
      [[0, 1], b.want01],
    ]) {
      const m = new metrics.BinaryIoU({ targetClassIds: targets, threshold: 0.4 });
      m.updateState(b.yTrue, b.yPred, b.weights);
      expectResult(m, value);
    }
  });

  it('correlations over several axes, weighted', () => {
    const c = fx.correlation;
    const pcc = new metrics.PearsonCorrelation({ axis: [1, 2] });
    const ccc = new metrics.ConcordanceCorrelation({ axis: [1, 2] });
    for (const m of [pcc, ccc]) m.updateState(c.yTrue, c.yPred, c.weights);
    expectResult(pcc, c.pearsonAxes12, 1e-4);
    expectResult(ccc, c.concordanceAxes12, 1e-4);
    const p = metrics.pearsonCorrelation(c.yTrue, c.yPred);
    const q = metrics.concordanceCorrelation(c.yTrue, c.yPred);
    expect(p.shape).toEqual([3, 2]);
    expectClose(Array.from(p.dataSync()), c.pearsonLast.flat(), 1e-4, 1e-5);
    expectClose(Array.from(q.dataSync()), c.concordanceLast.flat(), 1e-4, 1e-5);
    p.dispose();
    q.dispose();
  });

  it('the losses as metric classes, with options and sample weights', () => {
    for (const { cls, config, yTrue, yPred, weights, want } of fx.loss_metrics) {
      const m = make(cls, config);
      m.updateState(yTrue.slice(0, 2), yPred.slice(0, 2), weights.slice(0, 2));
      m.updateState(yTrue.slice(2), yPred.slice(2), weights.slice(2));
      try {
        expectResult(m, want, 1e-4, 1e-5);
      } catch (e) {
        throw new Error(`${cls}: ${(e as Error).message}`, { cause: e });
      }
      m.resetState();
      expectResult(m, 0);
    }
  });
});

describe('names, configs and bad options', () => {
  it('log under Keras 3 names, and getConfig recreates each metric', () => {
    const cases: [metrics.Metric, string][] = [
      [new metrics.TruePositives(), 'true_positives'],
      [new metrics.FalseNegatives({ thresholds: [0.3, 0.6] }), 'false_negatives'],
      [new metrics.SensitivityAtSpecificity({ specificity: 0.4, numThresholds: 50, classId: 2 }), 'sensitivity_at_specificity'],
      [new metrics.RecallAtPrecision({ precision: 0.9 }), 'recall_at_precision'],
      [new metrics.IoU({ numClasses: 3, targetClassIds: [1] }), 'io_u'],
      [new metrics.BinaryIoU({ threshold: 0.2 }), 'binary_io_u'],
      [new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2], ignoreClass: 1 }), 'one_hot_io_u'],
      [new metrics.OneHotMeanIoU({ numClasses: 3, sparseYPred: true }), 'one_hot_mean_io_u'],
      [new metrics.PearsonCorrelation({ axis: [1, 2] }), 'pearson_correlation'],
      [new metrics.ConcordanceCorrelation(), 'concordance_correlation'],
      [new metrics.CategoricalCrossentropy({ labelSmoothing: 0.1 }), 'categorical_crossentropy'],
      [new metrics.KLDivergence(), 'kl_divergence'],
      [new metrics.LogCoshError(), 'logcosh'],
      [new metrics.CosineSimilarity({ axis: 0 }), 'cosine_similarity'],
    ];
    for (const [m, name] of cases) {
      expect(m.name).toBe(name);
      const config = m.getConfig();
      const again = new (m.constructor as new (c: object) => metrics.Metric)(config);
      expect(again.getConfig()).toEqual(config);
    }
    expect(new metrics.SensitivityAtSpecificity({ specificity: 0.4, numThresholds: 50, classId: 2 }).getConfig()).toEqual({
      name: 'sensitivity_at_specificity',
      specificity: 0.4,
      numThresholds: 50,
      classId: 2,
    });
    expect(new metrics.CategoricalCrossentropy().getConfig()).toEqual({ name: 'categorical_crossentropy', fromLogits: false, labelSmoothing: 0, axis: -1 });
    expect(new metrics.TruePositives({ name: 'tp' }).name).toBe('tp');
    expect(new metrics.SparseCategoricalCrossentropy().getConfig()).toEqual({ name: 'sparse_categorical_crossentropy', fromLogits: false, axis: -1 });
  });

  it('metrics.get knows the new names', () => {
    const names: [string, string][] = [
      ['TruePositives', 'true_positives'],
      ['false_positives', 'false_positives'],
      ['trueNegatives', 'true_negatives'],
      ['BinaryIoU', 'binary_io_u'],
      ['pearson_correlation', 'pearson_correlation'],
      ['ConcordanceCorrelation', 'concordance_correlation'],
      ['bce', 'binary_crossentropy'],
      ['logcosh', 'logcosh'],
      ['CosineSimilarity', 'cosine_similarity'],
    ];
    for (const [id, name] of names) expect(metrics.get(id).name).toBe(name);
    expect(metrics.get('KLDivergence')).toBeInstanceOf(metrics.KLDivergence);
    expect(metrics.get('cosine_similarity')).toBeInstanceOf(metrics.CosineSimilarity);
  });

  it('refuses bad options with errors naming the metric', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new metrics.TruePositives({ thresholds: 1.5 }), /true_positives: expected thresholds in \[0, 1\], got 1\.5/],
      [() => new metrics.FalsePositives({ thresholds: [] }), /false_positives: expected at least one threshold/],
      [() => new metrics.TrueNegatives({ threshold: 0.5 } as never), /TrueNegatives: unknown option 'threshold'/],
      [() => new metrics.SensitivityAtSpecificity({} as never), /sensitivity_at_specificity: expected specificity to be a number in \[0, 1\], got undefined/],
      [() => new metrics.PrecisionAtRecall({ recall: 1.2 }), /precision_at_recall: expected recall to be a number in \[0, 1\], got 1\.2/],
      [() => new metrics.RecallAtPrecision({ precision: 0.5, numThresholds: 0 }), /recall_at_precision: expected numThresholds to be an integer > 0, got 0/],
      [
        () => new metrics.SpecificityAtSensitivity({ sensitivity: 0.5, classId: -1 }),
        /specificity_at_sensitivity: expected classId to be a non-negative integer, got -1/,
      ],
      [() => new metrics.SpecificityAtSensitivity(0.5 as never), /SpecificityAtSensitivity: expected an options object, got 0\.5/],
      [() => new metrics.IoU({ numClasses: 2 } as never), /io_u: expected targetClassIds to be a non-empty list of class ids, got undefined/],
      [() => new metrics.IoU({ numClasses: 2, targetClassIds: [2] }), /io_u: target class id 2 is out of range \[0, 2\)/],
      [() => new metrics.BinaryIoU({ targetClassIds: [0, 2] }), /binary_io_u: target class id 2 is out of range \[0, 2\)/],
      [() => new metrics.BinaryIoU({ threshold: 'high' as never }), /binary_io_u: expected threshold to be a number, got/],
      [() => new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [0], sparseYTrue: true } as never), /OneHotIoU: unknown option 'sparseYTrue'/],
      [() => new metrics.OneHotMeanIoU({ numClasses: 0 }), /one_hot_mean_io_u: expected numClasses to be a positive integer, got 0/],
      [
        () => new metrics.IoU({ numClasses: 2 ** 31, targetClassIds: [0] }),
        /io_u: expected numClasses of at most 16384 \(it sizes a square confusion matrix\), got 2147483648/,
      ],
      [
        () => new metrics.PearsonCorrelation({ axis: 'last' as never }).updateState([[1, 2]], [[1, 2]]),
        /pearsonCorrelation: expected axis to be an integer or a non-empty list/,
      ],
      [() => metrics.concordanceCorrelation([[1, 2]], [[1, 2]], { axis: 3 }), /concordanceCorrelation: .*axis/],
      [() => new metrics.BinaryCrossentropy({ axis: 0 } as never), /BinaryCrossentropy: unknown option 'axis'/],
      [() => new metrics.Poisson({ fromLogits: true } as never), /Poisson: unknown option 'fromLogits'/],
      [
        () => new metrics.SparseCategoricalCrossentropy({ axis: 0 }).updateState([1], [[0.2, 0.8]]),
        /sparse_categorical_crossentropy: expected axis -1 \(the class axis last\), got 0/,
      ],
      [() => new metrics.TruePositives().updateState([0, 1], [0.5, 0.2, 0.1]), /true_positives: yTrue of shape \[2\] does not match yPred of shape \[3\]/],
      [
        () => new metrics.PrecisionAtRecall({ recall: 0.5, classId: 3 }).updateState([[0, 1]], [[0.5, 0.2]]),
        /precision_at_recall: classId 3 is not in \[0, 2\)/,
      ],
    ];
    for (const [fn, message] of bad) expect(fn).toThrow(message);
  });

  it('updates release every tensor they create', () => {
    const ms = [
      new metrics.TruePositives({ thresholds: [0.2, 0.7] }),
      new metrics.PrecisionAtRecall({ recall: 0.5 }),
      new metrics.BinaryIoU(),
      new metrics.OneHotMeanIoU({ numClasses: 2 }),
      new metrics.PearsonCorrelation(),
      new metrics.CosineSimilarity(),
    ];
    const before = liveTensors();
    for (const m of ms) {
      m.updateState([[0, 1]], [[0.3, 0.8]], [2]);
      m.resultValue();
    }
    expect(liveTensors()).toBe(before);
  });
});

describe('in compile, fit and evaluate', () => {
  const X = [
    [0, 0.5, 1],
    [1, 0, 0.25],
    [0.5, 0.5, 0],
    [0.75, 1, 0.5],
  ];
  const Y = [[1], [0], [0], [1]];

  it('log each epoch under their names, and evaluate matches updating by hand', async () => {
    setSeed(3);
    const model = sequential({ layers: [layers.dense({ units: 1, inputShape: [3], activation: 'sigmoid' })] });
    const make = () => [
      new metrics.TruePositives(),
      new metrics.FalseNegatives(),
      new metrics.PrecisionAtRecall({ recall: 0.5 }),
      new metrics.BinaryIoU(),
      new metrics.PearsonCorrelation({ axis: 0 }),
      new metrics.BinaryCrossentropy(),
    ];
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: [...make(), 'true_negatives', 'concordance_correlation'] });
    const history = await model.fit(X, Y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(
      [
        'binary_crossentropy',
        'binary_io_u',
        'concordance_correlation',
        'false_negatives',
        'loss',
        'pearson_correlation',
        'precision_at_recall',
        'true_negatives',
        'true_positives',
      ].sort(),
    );
    expect(history.history.true_positives).toHaveLength(2);
    const logs = await model.evaluate(X, Y, { verbose: 0 });
    const yPred = model.predict(X) as Tensor;
    for (const m of make()) {
      m.updateState(Y, yPred);
      expectClose([logs[m.name] as number], read(m), 1e-5, 1e-6);
    }
    // The loss metric equals the loss itself.
    expectClose([logs.binary_crossentropy as number], [logs.loss as number], 1e-5);
    yPred.dispose();
    model.dispose();
  });
});
