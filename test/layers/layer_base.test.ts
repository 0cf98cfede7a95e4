// The Layer base: names, weights, freezing, get/setWeights, losses, custom layers and
// their registration, symbolic application, dispose.
import { GradientTape, Variable, input, layers, mul, ones, sum, tensor, variableGrads, zeros, type Tensor } from '../../src';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

class Scale extends layers.Layer {
  static override className = 'Scale';
  scale: Variable | null = null;
  constructor(args: layers.LayerArgs & { init?: number } = {}) {
    super(args);
    this.init = args.init ?? 1;
  }
  readonly init: number;
  override build(): void {
    this.scale = this.addWeight('scale', [], 'float32', { className: 'Constant', config: { value: this.init } });
  }
  override call(x: Tensor): Tensor {
    return mul(x, this.scale!);
  }
  override getConfig() {
    return { ...super.getConfig(), init: this.init };
  }
}
layers.registerLayer(Scale);

describe('names', () => {
  it('numbers snake_case class names per prefix', () => {
    const first = layers.repeatVector({ n: 1 }).name;
    const second = layers.repeatVector({ n: 1 }).name;
    expect(first).toMatch(/^repeat_vector(_\d+)?$/);
    expect(Number(second.split('_').pop())).toBeGreaterThanOrEqual(1);
    expect(new Scale().name).toMatch(/^scale/);
    expect(layers.dense({ units: 1, name: 'mine' }).name).toBe('mine');
  });
});

describe('weights', () => {
  it('creates weights in build, lists them and counts parameters', () => {
    const d = layers.dense({ units: 3 });
    expect(d.weights).toEqual([]);
    d.apply(zeros([1, 2]));
    expect(d.weights.map((w) => w.shape)).toEqual([[2, 3], [3]]);
    expect(d.weights[0].name).toBe(`${d.name}/kernel`);
    expect(d.countParams()).toBe(9);
  });

  it('getWeights returns copies and setWeights checks count and shapes', () => {
    const d = layers.dense({ units: 2, name: 'dense_sw' });
    d.apply(zeros([1, 2]));
    const [k, b] = d.getWeights();
    d.setWeights([ones([2, 2]), tensor([1, 2])]);
    expect(Array.from(d.kernel!.dataSync())).toEqual([1, 1, 1, 1]);
    expect(k.dataSync()).not.toEqual(d.kernel!.dataSync());
    expect(b.shape).toEqual([2]);
    expect(() => d.setWeights([ones([2, 2])])).toThrow('dense_sw.setWeights: expected 2 tensors (dense_sw/kernel [2, 2], dense_sw/bias [2]), got 1');
    expect(() => d.setWeights([ones([3, 2]), ones([2])])).toThrow('weight 0 (dense_sw/kernel) has shape [2, 2], got a tensor of shape [3, 2]');
    d.setWeights([
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        undefined,
        'int32',
      ),
      tensor([0, 0]),
    ]);
    expect(d.kernel!.dtype).toBe('float32');
  });

  it('trainable = false freezes the weights (and sets it back)', () => {
    const d = layers.dense({ units: 2 });
    d.apply(zeros([1, 2]));
    d.trainable = false;
    expect(d.trainableWeights).toEqual([]);
    expect(d.nonTrainableWeights.length).toBe(2);
    expect(d.weights.every((w) => !w.trainable)).toBe(true);
    const { grads } = variableGrads(() => sum(mul(d.apply(ones([1, 2])), ones([1, 2]))), undefined);
    expect(Object.keys(grads)).toEqual([]);
    d.trainable = true;
    expect(d.trainableWeights.length).toBe(2);
  });

  it('a layer created with trainable: false starts frozen', () => {
    const d = layers.dense({ units: 2, trainable: false });
    d.apply(zeros([1, 3]));
    expect(d.trainableWeights).toEqual([]);
    expect(d.getConfig().trainable).toBe(false);
  });
});

describe('build called by the user', () => {
  it('marks a built-in layer built, so apply keeps the weights set after it (Keras 3 and TF.js)', () => {
    const d = layers.dense({ units: 1 });
    d.build([null, 2]);
    expect(d.built).toBe(true);
    d.setWeights([tensor([[1], [2]]), tensor([0.5])]);
    expectClose(d.apply(ones([1, 2])).dataSync(), [3.5]);
    expect(d.weights.length).toBe(2);
  });

  it('marks a conv2D built the same way', () => {
    const c = layers.conv2d({ filters: 1, kernelSize: 1, useBias: false });
    c.build([null, 2, 2, 1]);
    c.setWeights([tensor([[[[2]]]])]);
    expectClose(c.apply(ones([1, 2, 2, 1])).dataSync(), [2, 2, 2, 2]);
    expect(c.weights.length).toBe(1);
  });

  it("marks a custom layer (its class's build override) built, and records the shape", () => {
    const s = new Scale({ init: 2 });
    (s as layers.Layer).build([null, 3]);
    expect(s.built).toBe(true);
    expect(s.buildInputShape).toEqual([null, 3]);
    s.setWeights([tensor(5)]);
    expectClose(s.apply(ones([1, 3])).dataSync(), [5, 5, 5]);
    expect(s.weights.length).toBe(1);
  });

  it('a build that throws leaves the layer unbuilt', () => {
    class Failing extends layers.Layer {
      override build(shape: layers.SymbolicShape): void {
        void shape;
        throw new Error('no');
      }
    }
    const f = new Failing();
    expect(() => f.build([null, 1])).toThrow('no');
    expect(f.built).toBe(false);
  });
});

describe('custom layers', () => {
  it('build, call, gradients and registration round trip', () => {
    const s = new Scale({ init: 3 });
    const x = tensor([1, 2]);
    expect(Array.from(s.apply(x).dataSync())).toEqual([3, 6]);
    const tape = new GradientTape();
    const y = sum(s.apply(x));
    const g = tape.gradient(y, s.scale!)!;
    expect(g.dataSync()[0]).toBe(3);
    expectConfigRoundTrip(s);
    // The default computeOutputShape runs the layer on zeros.
    expect(s.apply(input({ shape: [4] })).shape).toEqual([null, 4]);
  });

  it('unknown class names list the registered ones', () => {
    expect(() => layers.deserializeLayer({ className: 'Dence', config: {} })).toThrow(
      /unknown layer class 'Dence'; did you mean 'Dense'\? valid names are: InputLayer, Dense, /,
    );
  });

  it('tracks sublayers held in properties, arrays and via track()', () => {
    class Block extends layers.Layer {
      first = layers.dense({ units: 2 });
      rest = [layers.dense({ units: 2 })];
      hidden: layers.Layer;
      constructor() {
        super();
        const store = new Map([['x', layers.dense({ units: 2 })]]);
        this.hidden = this.track(store.get('x')!);
      }
      override call(x: Tensor): Tensor {
        return this.hidden.apply(this.rest[0].apply(this.first.apply(x)));
      }
    }
    const block = new Block();
    block.apply(ones([1, 3]));
    expect(block.weights.length).toBe(6);
    block.trainable = false;
    expect(block.first.trainable).toBe(false);
    expect(block.trainableWeights).toEqual([]);
  });
});

describe('losses', () => {
  it('collects weight and activity regularization (Keras formula)', () => {
    const d = layers.dense({
      units: 1,
      kernelInitializer: 'ones',
      kernelRegularizer: { className: 'L1L2', config: { l1: 0.5, l2: 0.25 } },
      activityRegularizer: { className: 'L2', config: { l2: 2 } },
    });
    d.apply(tensor([[1, 2]]));
    const losses = d.losses;
    // kernel [[1], [1]]: 0.5 * 2 + 0.25 * 2 = 1.5; output 3: 2 * 9 = 18
    expectClose(
      losses.map((l) => l.dataSync()[0]),
      [1.5, 18],
    );
    // The activity loss is replaced at the next call, not accumulated.
    d.apply(tensor([[1, 1]]));
    expectClose(
      d.losses.map((l) => l.dataSync()[0]),
      [1.5, 8],
    );
    // Divided by the batch size (Keras 3.14 on): outputs 3 and 2, 2 * (9 + 4) / 2.
    d.apply(
      tensor([
        [1, 2],
        [1, 1],
      ]),
    );
    expectClose(
      d.losses.map((l) => l.dataSync()[0]),
      [1.5, 13],
    );
  });

  it("keeps one model's activity losses through another's calls, replaces them at its own next call, and after a disposed holder", () => {
    const regularized = () => layers.dense({ units: 1, kernelInitializer: 'ones', activityRegularizer: { className: 'L2', config: { l2: 1 } } });
    const a = regularized();
    const b = layers.dense({ units: 1 });
    a.apply(tensor([[1, 2]])); // output 3: loss 9
    b.apply(tensor([[1, 2]])); // b holds no activity loss; a's stays
    expect(a.losses.map((l) => l.dataSync()[0])).toEqual([9]);
    a.apply(tensor([[1, 1]]));
    expect(a.losses.map((l) => l.dataSync()[0])).toEqual([4]);
    // A layer disposed while holding a loss: the others still clear theirs at each call.
    const gone = regularized();
    gone.apply(tensor([[1, 0]]));
    gone.dispose();
    a.apply(tensor([[2, 2]]));
    expect(a.losses.map((l) => l.dataSync()[0])).toEqual([16]);
  });
});

describe('symbolic application', () => {
  it('records nodes and returns symbolic tensors with null batch', () => {
    const x = input({ shape: [5] });
    const d = layers.dense({ units: 2 });
    const y = d.apply(x);
    expect(y).toBeInstanceOf(layers.SymbolicTensor);
    expect(y.shape).toEqual([null, 2]);
    expect(d.inboundNodes.length).toBe(1);
    expect(d.output).toBe(y);
    expect(d.input).toBe(x);
    // Shared: input and output are the first call's, as Keras 3; getInputAt / getOutputAt pick a call.
    const x2 = input({ shape: [5] });
    const y2 = d.apply(x2);
    expect(d.output).toBe(y);
    expect(d.input).toBe(x);
    expect(d.getOutputAt(1)).toBe(y2);
    expect(d.getInputAt(1)).toBe(x2);
    expect(d.getOutputAt(0)).toBe(y);
    expect(() => d.getOutputAt(2)).toThrow('getOutputAt: asked for the output of node 2, but the layer has only 2 inbound nodes');
    expect(() => d.getInputAt(-1)).toThrow('getInputAt: expected nodeIndex to be a non-negative integer, got -1');
    expect(() => layers.dense({ units: 2, name: 'never_applied' }).output).toThrow('Layer never_applied has never been applied');
    expect(() => d.apply([x, tensor([1]) as never])).toThrow('inputs mix Tensors and SymbolicTensors');
  });

  it('checks symbolic inputs against the input spec', () => {
    const d = layers.dense({ units: 2, name: 'sym_dense' });
    d.apply(input({ shape: [784] }));
    expect(() => d.apply(input({ shape: [100] }))).toThrow(
      'Input 0 of layer sym_dense is incompatible with the layer: expected axis -1 of input shape to have value 784, but received input with shape [null, 100]',
    );
  });
});

describe('dispose', () => {
  it('releases the weights and refuses later calls', () => {
    const x = zeros([1, 4]);
    const before = liveTensors();
    const d = layers.dense({ units: 8 });
    d.apply(x).dispose();
    expect(liveTensors()).toBe(before + 2);
    d.dispose();
    expect(liveTensors()).toBe(before);
    expect(() => d.apply(x)).toThrow(/was disposed/);
  });
});
