// orthogonalRegularizer: Keras 3's formula, checked against plain-Python loops over the same
// matrix (factor * 0.5 * sum |cos(v_i, v_j)| over i != j / (size (size - 1) / 2), so factor
// times the mean |cosine| of the pairs).
import * as ts from '../../src';

const m = () =>
  ts.tensor([
    [1, 2, 0],
    [0, -1, 3],
    [2, 2, 2],
    [0.5, 0, -1],
  ]);

describe('regularizers.orthogonalRegularizer', () => {
  it("penalizes the mean |cosine| between rows (mode 'rows', default factor 0.01) or columns", () => {
    expect(ts.regularizers.orthogonalRegularizer().apply(m()).dataSync()[0]).toBeCloseTo(0.0045488579675953865, 6);
    expect(ts.regularizers.orthogonalRegularizer({ factor: 0.3, mode: 'columns' }).apply(m()).dataSync()[0]).toBeCloseTo(0.13702069320453072, 6);
    const orthogonal = ts.tensor([
      [1, 0],
      [0, 2],
    ]);
    expect(ts.regularizers.orthogonalRegularizer({ factor: 1 }).apply(orthogonal).dataSync()[0]).toBe(0);
    expect(
      ts.regularizers
        .orthogonalRegularizer({ factor: 1 })
        .apply(ts.zeros([2, 2]))
        .dataSync()[0],
    ).toBe(0);
  });

  it('serializes as Keras, is found by name, and regularizes a layer in training', () => {
    const r = new ts.regularizers.OrthogonalRegularizer({ factor: 0.5, mode: 'columns' });
    const config = ts.regularizers.serialize(r);
    expect(config).toEqual({ className: 'OrthogonalRegularizer', config: { factor: 0.5, mode: 'columns' } });
    const back = ts.regularizers.get(config);
    expect(back).toBeInstanceOf(ts.regularizers.OrthogonalRegularizer);
    expect(back.getConfig()).toEqual({ factor: 0.5, mode: 'columns' });
    const layer = ts.layers.dense({ units: 3, kernelRegularizer: ts.regularizers.orthogonalRegularizer({ factor: 1 }), kernelInitializer: 'ones' });
    layer.apply(ts.ones([1, 4]));
    // All-ones kernel: every pair of rows has cosine 1; the 0.5 undoes counting each pair twice.
    const losses = layer.losses;
    expect(losses).toHaveLength(1);
    expect(losses[0].dataSync()[0]).toBeCloseTo(1, 6);
  });

  it('raises clear errors', () => {
    const f = ts.regularizers.orthogonalRegularizer as (...a: unknown[]) => unknown;
    expect(() => f({ factor: -1 })).toThrow('regularizers.orthogonalRegularizer: expected factor to be a non-negative number, got -1');
    expect(() => f({ factor: NaN })).toThrow('expected factor to be a non-negative number, got NaN');
    expect(() => f({ mode: 'diagonal' })).toThrow("regularizers.orthogonalRegularizer: expected mode to be 'rows' or 'columns', got 'diagonal'");
    expect(() => f({ fator: 1 })).toThrow(/fator/);
    expect(() => f({}, 1)).toThrow(/OrthogonalRegularizer: expected one options object, got 2 arguments/);
    const r = ts.regularizers.orthogonalRegularizer();
    expect(() => r.apply(ts.ones([2, 2, 2]))).toThrow('regularizers.orthogonalRegularizer: expected a rank-2 tensor (a matrix), got shape [2, 2, 2]');
    expect(() => r.apply(ts.ones([1, 3]))).toThrow("mode 'rows' needs at least 2 rows, got shape [1, 3]");
    expect(() => r.apply([1, 2] as unknown as ts.Tensor)).toThrow('expected a rank-2 tensor, got');
  });
});
