// The model every format of the corrupted-file sweep saves, and the input it predicts on.
import { layers, sequential, tensor, type Model, type Tensor } from '../../../src';

/** A small model with a hidden layer (two layers' weights, so shapes and order matter). */
export function sweepModel(): Model<any> {
  return sequential({
    name: 'sweep',
    layers: [layers.dense({ units: 8, activation: 'relu', inputShape: [4], name: 'hidden' }), layers.dense({ units: 3, name: 'out' })],
  });
}

/** The input the sweep compares predictions on. */
export const sweepInput = (): Tensor =>
  tensor([
    [0.5, -1, 2, 0.25],
    [1, 1, -0.5, 3],
  ]);
