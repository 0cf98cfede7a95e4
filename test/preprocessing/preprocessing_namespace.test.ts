// ts.preprocessing: Keras 3's keras.preprocessing names (keras/preprocessing/__init__.py,
// image/__init__.py, sequence/__init__.py), as its timeseries forecasting tutorial calls
// keras.preprocessing.timeseries_dataset_from_array.
import * as ts from '../../src';

describe('ts.preprocessing', () => {
  test("holds Keras's names, the same functions as utils'", () => {
    expect(ts.preprocessing.timeseriesDatasetFromArray).toBe(ts.utils.timeseriesDatasetFromArray);
    expect(ts.preprocessing.imageDatasetFromDirectory).toBe(ts.utils.imageDatasetFromDirectory);
    expect(ts.preprocessing.textDatasetFromDirectory).toBe(ts.utils.textDatasetFromDirectory);
    expect(ts.preprocessing.image.loadImg).toBe(ts.utils.loadImg);
    expect(ts.preprocessing.image.saveImg).toBe(ts.utils.saveImg);
    expect(ts.preprocessing.image.imgToArray).toBe(ts.utils.imgToArray);
    expect(ts.preprocessing.image.arrayToImg).toBe(ts.utils.arrayToImg);
    expect(ts.preprocessing.sequence.padSequences).toBe(ts.utils.padSequences);
  });

  test("the forecasting tutorial's call: windows of every step-th row, one target per window", async () => {
    const x = ts.tensor(Array.from({ length: 10 }, (_, i) => [i]));
    const y = ts.tensor(Array.from({ length: 10 }, (_, i) => [100 + i]));
    const ds = ts.preprocessing.timeseriesDatasetFromArray(x, y, { sequenceLength: 3, samplingRate: 2, batchSize: 8 });
    const [[inputs, targets]] = (await ds.toArray()) as ts.Tensor[][];
    // Windows start at 0..5 (the last needs rows start + 0, 2, 4 <= 9): Keras's (10 - (3 - 1) * 2) = 6 windows.
    expect(inputs.shape).toEqual([6, 3, 1]);
    expect((inputs.arraySync() as number[][][])[1]).toEqual([[1], [3], [5]]);
    expect(Array.from(targets.dataSync())).toEqual([100, 101, 102, 103, 104, 105]);
  });
});
