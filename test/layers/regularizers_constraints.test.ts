// Regularizers, constraints and activations: values by hand, names, configs.
import { activations, constraints, regularizers, tensor } from '../../src';
import { expectClose } from '../helpers/reference';

describe('regularizers', () => {
  it('compute l1 * sum|x| + l2 * sum x^2', () => {
    const x = tensor([1, -2, 3]);
    expect(regularizers.l1({ l1: 0.1 }).apply(x).dataSync()[0]).toBeCloseTo(0.6);
    expect(regularizers.l2({ l2: 0.1 }).apply(x).dataSync()[0]).toBeCloseTo(1.4);
    expect(regularizers.l1l2({ l1: 1, l2: 1 }).apply(x).dataSync()[0]).toBeCloseTo(20);
    expect(regularizers.l1l2().apply(x).dataSync()[0]).toBe(0);
    expect(regularizers.get('l2')).toBeInstanceOf(regularizers.L2);
    expect(regularizers.get('l1_l2')).toBeInstanceOf(regularizers.L1L2);
    expect(regularizers.serialize(regularizers.l2())).toEqual({ className: 'L2', config: { l2: 0.01 } });
    expect(() => regularizers.get('l3')).toThrow("unknown regularizer 'l3'; did you mean 'L1'? valid names are: L1, L2, L1L2");
    expect(() => regularizers.l1({ l1: -1 })).toThrow('expected l1 to be a non-negative number');
  });
});

describe('constraints', () => {
  const w = () =>
    tensor([
      [3, 0],
      [4, 0.5],
    ]); // column norms 5 and 0.5

  it('maxNorm rescales columns above maxValue', () => {
    expectClose(Array.from(constraints.maxNorm({ maxValue: 2 }).apply(w()).dataSync()), [1.2, 0, 1.6, 0.5], 1e-5);
  });
  it('minMaxNorm moves norms into the range', () => {
    expectClose(Array.from(constraints.minMaxNorm({ minValue: 1, maxValue: 2 }).apply(w()).dataSync()), [1.2, 0, 1.6, 1], 1e-5);
  });
  it('unitNorm scales to norm 1, along axis', () => {
    expectClose(Array.from(constraints.unitNorm().apply(w()).dataSync()), [0.6, 0, 0.8, 1], 1e-5);
    expectClose(
      Array.from(
        constraints
          .unitNorm({ axis: 1 })
          .apply(tensor([[3, 4]]))
          .dataSync(),
      ),
      [0.6, 0.8],
      1e-5,
    );
  });
  it('nonNeg zeroes negatives', () => {
    expect(
      Array.from(
        constraints
          .nonNeg()
          .apply(tensor([-1, 2]))
          .dataSync(),
      ),
    ).toEqual([0, 2]);
  });
  it('resolve by name and config', () => {
    expect(constraints.get('max_norm')).toBeInstanceOf(constraints.MaxNorm);
    expect(constraints.get({ className: 'UnitNorm', config: { axis: 1 } }).getConfig()).toEqual({ axis: 1 });
    expect(() => constraints.get('positive')).toThrow("unknown constraint 'positive'; valid names are: MaxNorm, MinMaxNorm, NonNeg, UnitNorm");
  });
});

describe('activations', () => {
  it('resolve every Keras name in both spellings', () => {
    const x = tensor([-1, 0, 2]);
    const want: Record<string, number[]> = {
      linear: [-1, 0, 2],
      relu: [0, 0, 2],
      relu6: [0, 0, 2],
      elu: [Math.expm1(-1), 0, 2],
      sigmoid: [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))],
      hard_sigmoid: [2 / 6, 0.5, 5 / 6],
      tanh: [Math.tanh(-1), 0, Math.tanh(2)],
      softplus: [Math.log1p(Math.exp(-1)), Math.log(2), Math.log1p(Math.exp(2))],
      softsign: [-0.5, 0, 2 / 3],
      leaky_relu: [-0.2, 0, 2],
      exponential: [Math.exp(-1), 1, Math.exp(2)],
      swish: [-1 / (1 + Math.E), 0, 2 / (1 + Math.exp(-2))],
      silu: [-1 / (1 + Math.E), 0, 2 / (1 + Math.exp(-2))],
    };
    for (const [name, values] of Object.entries(want)) expectClose(Array.from(activations.get(name)(x).dataSync()), values, 1e-5, 1e-6);
    for (const name of ['selu', 'gelu', 'mish', 'softmax', 'hardSigmoid', 'leakyRelu', 'logSoftmax']) expect(activations.get(name)(x).shape).toEqual([3]);
    expectClose(
      Array.from(
        activations
          .softmax(
            tensor([
              [1, 1],
              [0, 0],
            ]),
            0,
          )
          .dataSync(),
      ),
      [0.731058, 0.731058, 0.268941, 0.268941],
      1e-5,
    );
  });

  it('serialize registered functions by name; unknown names and functions are clear errors', () => {
    expect(activations.serialize(activations.relu)).toBe('relu');
    const square = (t: ReturnType<typeof tensor>) => t;
    expect(() => activations.serialize(square)).toThrow("the activation function 'square' is not registered; call registerActivation");
    activations.registerActivation('myIdentity', square);
    expect(activations.serialize(square)).toBe('myIdentity');
    expect(() => activations.get('rlu')).toThrow(
      /unknown activation 'rlu'; did you mean 'relu'\? valid names are: linear, relu, relu6, elu, selu, gelu, sigmoid, hardSigmoid, tanh, softmax/,
    );
  });
});
