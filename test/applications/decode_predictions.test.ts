// decodePredictions checks its arguments before it downloads ImageNet's class names.
import * as ts from '../../src';

const { decodePredictions } = ts.applications.imagenetUtils;

describe('applications.imagenetUtils.decodePredictions', () => {
  it('refuses what is not a batch of 1,000 scores, and a bad top, before any download', async () => {
    await expect(decodePredictions(ts.zeros([1000]))).rejects.toThrow(
      /decodePredictions: expected a batch of ImageNet predictions .*\[batch, 1000\].*got \[1000\]/,
    );
    await expect(decodePredictions(ts.zeros([2, 10]))).rejects.toThrow(/got \[2, 10\]/);
    await expect(decodePredictions([[0.5]] as never)).rejects.toThrow(/decodePredictions: expected a batch/);
    await expect(decodePredictions(ts.zeros([1, 1000]), 0)).rejects.toThrow(/decodePredictions: top must be a positive integer, got 0/);
    await expect(decodePredictions(ts.zeros([1, 1000]), 2.5)).rejects.toThrow(/top must be a positive integer/);
    await expect((decodePredictions as (...a: unknown[]) => Promise<unknown>)(ts.zeros([1, 1000]), 5, 'extra')).rejects.toThrow(
      /decodePredictions.*3 arguments|at most 2/,
    );
  });
});
