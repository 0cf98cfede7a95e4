import { add, grads, mul, relu, sum, tensor } from '../src';
import { biasRelu } from '../src/ops/bias_relu';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

describe('biasRelu (internal: the end of a convolution layer)', () => {
  it('equals relu(x + bias) in float32 and float64, NaN passing through', () => {
    for (const shape of [
      [3, 5],
      [2, 3, 4, 83],
      [300, 16],
      [0, 4],
    ]) {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = randomTensor(shape, shape.length, dtype);
        const b = randomTensor([shape[shape.length - 1]], 2, dtype, -0.5, 0.5);
        expectClose(Array.from(biasRelu(x, b).dataSync()), Array.from(relu(add(x, b)).dataSync()), 0, 0);
      }
    }
    expect(Array.from(biasRelu(tensor([[NaN, -2]]), tensor([1, 1])).dataSync())).toEqual([NaN, 0]);
  });

  it('has the gradients of relu(x + bias)', () => {
    const x = randomTensor([4, 3, 5], 1, 'float64');
    const b = randomTensor([5], 2, 'float64', -0.3, 0.3);
    gradcheck((xs, bs) => biasRelu(xs, bs), [x, b]);
    // float32, against the unfused ops, at a size that spans several parts and tiles
    const x32 = randomTensor([600, 70], 3);
    const b32 = randomTensor([70], 4);
    const w = randomTensor([600, 70], 5);
    const fused = grads((xs, bs) => sum(mul(biasRelu(xs, bs), w)))([x32, b32]);
    const plain = grads((xs, bs) => sum(mul(relu(add(xs, bs)), w)))([x32, b32]);
    expectClose(Array.from(fused[0].dataSync()), Array.from(plain[0].dataSync()), 0, 0);
    expectClose(Array.from(fused[1].dataSync()), Array.from(plain[1].dataSync()), 1e-5, 1e-4);
  });

  it('names itself when the bias does not fit', () => {
    expect(() => biasRelu(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(/biasRelu: expected a bias of 3 values \(the last dimension\), got rank 1 of 2 values/);
  });
});
