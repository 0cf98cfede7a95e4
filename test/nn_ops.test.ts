// The neural-network ops against PyTorch fixtures (test/fixtures/nn) and by gradcheck.
import * as ts from '../src';
import { tensor, type Tensor } from '../src';
import { fromFixture, loadFixture, type FixtureCase, type FixtureTensor } from './helpers/fixtures';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

const r = (shape: number[], seed = 1, lo = -1, hi = 1) => randomTensor(shape, seed, 'float64', lo, hi);
const close = (t: Tensor, want: FixtureTensor, tol = 1e-6) => {
  expect(t.shape).toEqual(want.shape);
  // The fixtures round inputs to 8 digits after computing, so allow an absolute 1e-7.
  expectClose(Array.from(t.dataSync()), want.data, tol, 1e-7);
};

// Checks outputs and the gradients of sum(outputs * upstream) for the named inputs.
function checkCase(c: FixtureCase, inputs: string[], f: (...xs: Tensor[]) => Tensor[], outputs: string[], tol = 1e-6) {
  const xs = inputs.map((k) => fromFixture(c.inputs[k]));
  const ys = f(...xs);
  ys.forEach((y, i) => close(y, c.outputs[outputs[i]], tol));
  const objective = (...args: Tensor[]) =>
    f(...args).reduce<Tensor>((acc, y, i) => ts.add(acc, ts.sum(ts.mul(y, fromFixture(c.upstream[outputs[i]])))), ts.scalar(0, 'float64'));
  const grads = ts.grads(objective)(xs);
  inputs.forEach((k, i) => close(grads[i], c.grads[k], tol));
}

describe('conv2d (PyTorch fixtures)', () => {
  for (const c of loadFixture('conv2d')) {
    it(c.name, () => {
      const a = c.attrs as { strides: [number, number]; dilationRate: [number, number]; padding: 'same' | 'valid'; groups: number };
      checkCase(c, ['x', 'filter'], (x, w) => [ts.conv2d(x, w, { strides: a.strides, dilations: a.dilationRate, padding: a.padding, groups: a.groups })], [
        'y',
      ]);
    });
  }
  it('conv1d (also causal), conv2dTranspose, depthwise and separable by gradcheck', () => {
    gradcheck((x, w) => ts.conv1d(x, w, { padding: 'same' }), [r([2, 7, 3]), r([3, 3, 2], 2)]);
    gradcheck((x, w) => ts.conv1d(x, w, { padding: 'causal', dilation: 2 }), [r([1, 6, 2]), r([2, 2, 3], 3)]);
    expect(ts.conv1d(r([1, 6, 2]), r([2, 2, 3]), { padding: 'causal', dilation: 2 }).shape).toEqual([1, 6, 3]);
    gradcheck((x, w) => ts.conv2dTranspose(x, w, { strides: 2, padding: 'same' }), [r([1, 3, 3, 2]), r([3, 3, 4, 2], 2)]);
    gradcheck((x, w) => ts.conv2dTranspose(x, w, { strides: 2, padding: 'valid' }), [r([2, 2, 3, 1]), r([2, 3, 2, 1], 3)]);
    expect(ts.conv2dTranspose(r([1, 3, 4, 2]), r([3, 3, 5, 2]), { strides: 2, padding: 'same' }).shape).toEqual([1, 6, 8, 5]);
    gradcheck((x, w) => ts.depthwiseConv2d(x, w, { padding: 'same' }), [r([1, 4, 5, 3]), r([3, 3, 3, 2], 2)]);
    gradcheck((x, d, p) => ts.separableConv2d(x, d, p, { strides: 2, padding: 'same' }), [r([1, 5, 5, 2]), r([3, 3, 2, 1], 2), r([1, 1, 2, 3], 3)]);
  });
  it('transposed convolution is the adjoint of convolution', () => {
    // <conv(x, w), y> == <x, convT(y, w)>
    const x = r([1, 6, 6, 2], 1);
    const w = r([3, 3, 2, 4], 2);
    const y = r([1, 3, 3, 4], 3);
    const lhs = ts.sum(ts.mul(ts.conv2d(x, w, { strides: 2, padding: 'same' }), y)).dataSync()[0];
    const wt = ts.transpose(w, [0, 1, 3, 2]); // conv2dTranspose wants [kh, kw, out, in]: out = 2, in = 4
    const rhs = ts.sum(ts.mul(x, ts.conv2dTranspose(y, ts.transpose(wt, [0, 1, 3, 2]), { strides: 2, padding: 'same', outputShape: [6, 6] }))).dataSync()[0];
    expect(rhs).toBeCloseTo(lhs, 9);
  });
  it('explains bad shapes', () => {
    expect(() => ts.conv2d(r([1, 5, 5, 3]), r([3, 3, 2, 4]))).toThrow(/conv2d: the filter expects 2 input channels \(2 per group x 1 groups\), but x has 3/);
    expect(() => ts.conv2d(r([5, 5, 3]), r([3, 3, 3, 4]))).toThrow(/conv2d: expected x of rank 4 \(NHWC\), got shape \[5, 5, 3\]/);
    expect(() => ts.conv2d(r([1, 2, 2, 1]), r([3, 3, 1, 1]))).toThrow(/larger than the input/);
  });
});

describe('pooling (PyTorch fixtures)', () => {
  for (const c of loadFixture('pooling')) {
    it(c.name, () => {
      const a = c.attrs as { kind: 'max' | 'avg'; poolSize: [number, number]; strides: [number, number]; padding: 'same' | 'valid' };
      const op = a.kind === 'max' ? ts.maxPool2d : ts.avgPool2d;
      checkCase(c, ['x'], (x) => [op(x, a.poolSize, { strides: a.strides, padding: a.padding })], ['y']);
    });
  }
  it('1-D pooling by gradcheck', () => {
    gradcheck((x) => ts.maxPool1d(x, 2), [r([2, 6, 3])]);
    gradcheck((x) => ts.avgPool1d(x, 3, { strides: 1, padding: 'same' }), [r([2, 5, 2])]);
  });
});

describe('batch normalization (PyTorch fixtures)', () => {
  for (const c of loadFixture('batch_norm')) {
    it(c.name, () => {
      const a = c.attrs as { axis: number; epsilon: number; momentum: number };
      const [mm, mv] = [fromFixture(c.inputs.movingMean), fromFixture(c.inputs.movingVariance)];
      const train = ts.batchNormTraining(fromFixture(c.inputs.x), fromFixture(c.inputs.gamma), fromFixture(c.inputs.beta), mm, mv, a);
      close(train.movingMean, c.outputs.newMovingMean);
      close(train.movingVariance, c.outputs.newMovingVariance);
      checkCase(c, ['x', 'gamma', 'beta'], (x, g, b) => [ts.batchNormTraining(x, g, b, mm, mv, a).y], ['y']);
      close(
        ts.batchNormInference(fromFixture(c.inputs.x), fromFixture(c.inputs.gamma), fromFixture(c.inputs.beta), mm, mv, { axis: a.axis, epsilon: a.epsilon }),
        c.outputs.yInference,
      );
    });
  }
  it('inference-mode gradients by gradcheck', () => {
    const [m, v] = [r([3], 4), r([3], 5, 0.5, 2)];
    gradcheck((x, g, b) => ts.batchNormInference(x, g, b, m, v, { axis: 1 }), [r([2, 3, 4]), r([3], 2), r([3], 3)]);
  });
});

describe('layer normalization (PyTorch fixtures)', () => {
  for (const c of loadFixture('layer_norm')) {
    it(c.name, () => {
      const a = c.attrs as { epsilon: number };
      checkCase(c, ['x', 'gamma', 'beta'], (x, g, b) => [ts.layerNorm(x, g, b, a.epsilon)], ['y']);
    });
  }
});

describe('softmax and cross-entropy (PyTorch fixtures)', () => {
  for (const c of loadFixture('softmax_cross_entropy')) {
    it(c.name, () => {
      const logits = fromFixture(c.inputs.logits);
      close(ts.softmax(logits), c.outputs.softmax);
      close(ts.logSoftmax(logits), c.outputs.logSoftmax);
      const sparse = fromFixture(c.inputs.sparseLabels, 'int32');
      const dense = fromFixture(c.inputs.denseLabels);
      const binary = fromFixture(c.inputs.binaryLabels);
      close(ts.sparseSoftmaxCrossEntropyWithLogits(sparse, logits), c.outputs.sparseLoss);
      close(ts.softmaxCrossEntropyWithLogits(dense, logits), c.outputs.denseLoss);
      close(ts.sigmoidCrossEntropyWithLogits(binary, logits), c.outputs.binaryLoss);
      const up = fromFixture(c.upstream.loss);
      const upElem = fromFixture(c.upstream.elementwise);
      const g = (f: (z: Tensor) => Tensor, w: Tensor) => ts.grad((z) => ts.sum(ts.mul(f(z), w)))(logits);
      close(
        g((z) => ts.sparseSoftmaxCrossEntropyWithLogits(sparse, z), up),
        c.grads.sparseLogits,
      );
      close(
        g((z) => ts.softmaxCrossEntropyWithLogits(dense, z), up),
        c.grads.denseLogits,
      );
      close(
        g((z) => ts.sigmoidCrossEntropyWithLogits(binary, z), upElem),
        c.grads.binaryLogits,
      );
      close(
        g((z) => ts.softmax(z), upElem),
        c.grads.softmaxLogits,
      );
      close(
        g((z) => ts.logSoftmax(z), upElem),
        c.grads.logSoftmaxLogits,
      );
    });
  }
  it('rejects labels out of range', () => {
    expect(() => ts.sparseSoftmaxCrossEntropyWithLogits(tensor([3], undefined, 'int32'), ts.zeros([1, 3]))).toThrow(/label/);
  });
});

describe('recurrent cells (PyTorch fixtures)', () => {
  // The cells take the input projection xw = x kernel + bias (GRU resetAfter: bias row 0).
  const project = (x: Tensor, k: Tensor, b: Tensor) => ts.add(ts.matMul(x, k), b);
  for (const c of loadFixture('lstm_cell')) {
    it(`lstm ${c.name}`, () => {
      checkCase(c, ['x', 'h', 'c', 'kernel', 'recurrentKernel', 'bias'], (x, h, cc, k, u, b) => ts.lstmCell(project(x, k, b), h, cc, u), ['hNew', 'cNew']);
    });
  }
  for (const c of loadFixture('gru_cell')) {
    it(`gru ${c.name}`, () => {
      const resetAfter = (c.attrs as { resetAfter: boolean }).resetAfter;
      checkCase(
        c,
        ['x', 'h', 'kernel', 'recurrentKernel', 'bias'],
        (x, h, k, u, b) => {
          if (!resetAfter) return [ts.gruCell(project(x, k, b), h, u, ts.zerosLike(b), false)];
          const [inputBias, recurrentBias] = ts.unstack(b);
          return [ts.gruCell(project(x, k, inputBias), h, u, recurrentBias, true)];
        },
        ['hNew'],
      );
    });
  }
  for (const c of loadFixture('simple_rnn_cell')) {
    it(`simpleRnn ${c.name}`, () => {
      checkCase(c, ['x', 'h', 'kernel', 'recurrentKernel', 'bias'], (x, h, k, u, b) => [ts.simpleRnnCell(project(x, k, b), h, u)], ['hNew']);
    });
  }
  it('explains bad state shapes', () => {
    expect(() => ts.lstmCell(r([2, 8]), r([2, 3]), r([2, 3]), r([3, 12]))).toThrow(/lstmCell: expected xw of shape \[2, 12\], got \[2, 8\]/);
  });
});

describe('fused optimizer updates', () => {
  it('SGD with momentum writes the variable and its slot in place', () => {
    const p = ts.variable(tensor([1, 2]));
    const m = ts.variable(tensor([0, 0]), false);
    ts.optimizers.sgdUpdate(p, tensor([0.5, -1]), m, { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 });
    expectClose(Array.from(p.dataSync()), [0.95, 2.1], 1e-6);
    expectClose(Array.from(m.dataSync()), [-0.05, 0.1], 1e-6);
  });

  // The kernels read an optional slot's presence from their number of inputs: a slot that
  // disagrees with its attribute would silently drop (or skip) a term of the update.
  it('refuses an optional slot that disagrees with its attribute', () => {
    const { sgdUpdate, adamUpdate, rmspropUpdate } = ts.optimizers;
    const v = () => ts.variable(tensor([1, 2]), false);
    const g = tensor([0.5, -1]);
    const sgd = { lr: 0.1, nesterov: false, weightDecay: 0 };
    expect(() => sgdUpdate(v(), g, null, { ...sgd, momentum: 0.9 })).toThrow('sgdUpdate: momentum 0.9 calls for the momentum slot, got null');
    expect(() => sgdUpdate(v(), g, v(), { ...sgd, momentum: 0 })).toThrow(/sgdUpdate: momentum 0 calls for no momentum slot, got a Variable/);
    const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 1, weightDecay: 0 };
    expect(() => adamUpdate(v(), g, v(), v(), null, { ...adam, amsgrad: true })).toThrow('adamUpdate: amsgrad true calls for the vHat slot, got null');
    expect(() => adamUpdate(v(), g, v(), v(), v(), { ...adam, amsgrad: false })).toThrow(/adamUpdate: amsgrad false calls for no vHat slot/);
    const rms = { lr: 0.1, rho: 0.9, epsilon: 1e-7, weightDecay: 0 };
    expect(() => rmspropUpdate(v(), g, v(), null, null, { ...rms, momentum: 0.5, centered: false })).toThrow(
      'rmspropUpdate: momentum 0.5 calls for the momentum slot, got null',
    );
    expect(() => rmspropUpdate(v(), g, v(), null, null, { ...rms, momentum: 0, centered: true })).toThrow(
      'rmspropUpdate: centered true calls for the averageGrad slot, got null',
    );
    const p = v();
    expect(() => adamUpdate(p, g, v(), v(), null, { ...adam, amsgrad: false })).not.toThrow();
    expect(Array.from(p.dataSync())).not.toEqual([1, 2]);
  });
});
