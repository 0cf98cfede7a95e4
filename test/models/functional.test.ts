// Functional models: multi-input/multi-output with masks, shared layers, residuals,
// nesting, intermediate outputs, bad graphs, memory.
import {
  Functional,
  GradientTape,
  Model,
  Variable,
  add,
  cast,
  div,
  reshape,
  input,
  layers,
  model,
  mul,
  ones,
  sum,
  tensor,
  variableGrads,
  zeros,
  type Tensor,
} from '../../src';
import { expectNoLeaks, liveTensors } from '../helpers/memory';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

// The mean over time of the unmasked steps: [batch, time, features] -> [batch, features].
class MaskedMean extends layers.Layer {
  static override className = 'MaskedMean';
  override call(x: Tensor, { mask }: layers.CallOptions): Tensor {
    if (!mask || Array.isArray(mask)) throw new Error('MaskedMean: expected one mask');
    const weights = reshape(cast(mask, x.dtype), [x.shape[0], x.shape[1], 1]);
    return div(sum(mul(x, weights), 1), sum(weights, 1));
  }
  override computeOutputShape(s: layers.SymbolicShape): layers.SymbolicShape {
    return [s[0], s[2]];
  }
}

describe('the mission example: text + numbers -> two outputs', () => {
  const build = () => {
    const text = input({ shape: [null], dtype: 'int32', name: 'text' });
    const numbers = input({ shape: [4], name: 'numbers' });
    const embedded = layers.embedding({ inputDim: 20, outputDim: 3, maskZero: true, name: 'embed' }).apply(text);
    const pooled = new MaskedMean({ name: 'masked_mean' }).apply(embedded);
    const dense = layers.dense({ units: 5, activation: 'relu', name: 'numbers_dense' }).apply(numbers);
    const joined = layers.concatenate({ name: 'joined' }).apply([pooled, dense]);
    const score = layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(joined);
    const category = layers.dense({ units: 3, activation: 'softmax', name: 'category' }).apply(joined);
    return model({ inputs: [text, numbers], outputs: [score, category], name: 'mission' });
  };

  it('runs with list or named inputs and returns both outputs', () => {
    const m = build();
    expect(m.inputNames).toEqual(['text', 'numbers']);
    expect(m.outputNames).toEqual(['score', 'category']);
    expect(m.outputs.map((t) => t.shape)).toEqual([
      [null, 1],
      [null, 3],
    ]);
    const ids = tensor(
      [
        [3, 5, 0, 0],
        [1, 2, 3, 4],
      ],
      undefined,
      'int32',
    );
    const nums = randomTensor([2, 4]);
    const [score, category] = m.apply([ids, nums]);
    expect(score.shape).toEqual([2, 1]);
    expect(category.shape).toEqual([2, 3]);
    const byName = m.apply({ numbers: nums, text: ids });
    expect(Array.from(byName[1].dataSync())).toEqual(Array.from(category.dataSync()));
  });

  it('carries the embedding mask to the layer that uses it', () => {
    const m = build();
    const ids = tensor([[3, 5, 0, 0]], undefined, 'int32');
    m.apply([ids, zeros([1, 4])]);
    const table = m.getLayer('embed').getWeights()[0].arraySync() as number[][];
    const inner = model({ inputs: m.inputs, outputs: m.getLayer('masked_mean').output as layers.SymbolicTensor });
    const pooled = inner.apply([ids, zeros([1, 4])]) as Tensor;
    expectClose(
      Array.from(pooled.dataSync()),
      table[3].map((v, j) => (v + table[5][j]) / 2),
      1e-5,
    );
  });

  it('prints a summary with connections', () => {
    const lines: string[] = [];
    build().summary(undefined, undefined, (l) => lines.push(l));
    expect(lines[0]).toBe('Model: "mission"');
    expect(lines[2]).toMatch(/^Layer \(type\)\s+Output Shape\s+Param #\s+Connected to$/);
    const joined = lines.find((l) => l.startsWith('joined (Concatenate)'))!;
    expect(joined).toMatch(/\[null, 8\]\s+0\s+masked_mean\[0\]\[0\]$/);
    expect(lines[lines.indexOf(joined) + 1].trim()).toBe('numbers_dense[0][0]');
    expect(lines).toContain('Total params: 121');
    expect(lines).toContain('Trainable params: 121');
    expect(lines).toContain('Non-trainable params: 0');
    expect(lines.every((l) => l.length <= 98)).toBe(true);
  });
});

describe('shared layers (Siamese)', () => {
  it('uses one set of weights and accumulates gradients from both branches', () => {
    const encoder = layers.dense({ units: 2, name: 'encoder' });
    const a = input({ shape: [3] });
    const b = input({ shape: [3] });
    const m = model({ inputs: [a, b], outputs: layers.add().apply([encoder.apply(a), encoder.apply(b)]) });
    expect(m.weights.length).toBe(2);
    expect(encoder.inboundNodes.length).toBe(2);
    const xa = tensor([[1, 2, 3]]);
    const xb = tensor([[10, 20, 30]]);
    const { grads } = variableGrads(() => sum(m.apply([xa, xb])));
    // d/dW of sum(aW + b + bW + b): rows a_i + b_i for each unit; d/db = 2 per unit.
    expectTensor(grads[encoder.kernel!.name], [3, 2], [11, 11, 22, 22, 33, 33]);
    expectTensor(grads[encoder.bias!.name], [2], [2, 2]);
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.some((l) => /^encoder \(Dense\)\s+multiple\s+8/.test(l))).toBe(true);
  });
});

describe('residual block', () => {
  it('adds a skip connection, by hand', () => {
    const x = input({ shape: [2] });
    const dense = layers.dense({ units: 2 });
    const m = model({ inputs: x, outputs: layers.add().apply([x, dense.apply(x)]) });
    dense.setWeights([
      tensor([
        [1, 0],
        [1, 1],
      ]),
      tensor([1, 2]),
    ]);
    // [1, 2] + ([1, 2] W + b) = [1, 2] + [4, 4]
    expectTensor(m.apply(tensor([[1, 2]])), [1, 2], [5, 6]);
  });
});

describe('nested models and intermediate outputs', () => {
  const inner = () => {
    const x = input({ shape: [3] });
    const h = layers.dense({ units: 4, activation: 'relu', name: 'inner_hidden' }).apply(x);
    return model({ inputs: x, outputs: layers.dense({ units: 2, name: 'inner_out' }).apply(h), name: 'inner' });
  };

  it('uses a model as a layer: same values, weights included, one summary row', () => {
    const sub = inner();
    const x = input({ shape: [3] });
    const head = layers.dense({ units: 1 });
    const outer = model({ inputs: x, outputs: head.apply(sub.apply(x)) });
    expect(outer.weights.length).toBe(6);
    const data = randomTensor([5, 3]);
    const want = head.apply(sub.apply(data));
    expectClose(Array.from(outer.apply(data).dataSync()), Array.from(want.dataSync()));
    const lines: string[] = [];
    outer.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.some((l) => /^inner \(Functional\)\s+\[null, 2\]\s+26/.test(l))).toBe(true);
    const { grads } = variableGrads(() => sum(outer.apply(data)));
    expect(Object.keys(grads).length).toBe(6);
  });

  it('builds a model over an inner tensor that shares the weights', () => {
    const m = inner();
    const features = model({ inputs: m.inputs, outputs: m.getLayer('inner_hidden').output as layers.SymbolicTensor });
    const data = randomTensor([2, 3]);
    const hidden = features.apply(data);
    expect(hidden.shape).toEqual([2, 4]);
    expect(features.weights).toEqual(m.getLayer('inner_hidden').weights);
    expect(m.getLayer(1)).toBe(m.getLayer('inner_hidden'));
    expect(() => m.getLayer('nope')).toThrow("inner.getLayer: no layer named 'nope'; the layers are: ");
  });

  it('returns name-keyed outputs when given them', () => {
    const x = input({ shape: [2] });
    const m = model({
      inputs: { features: x },
      outputs: { double: layers.lambda({ function: (t: Tensor) => mul(t, 2) }).apply(x), same: layers.identity().apply(x) },
    });
    const out = m.apply({ features: tensor([[1, 2]]) });
    expectTensor(out.double, [1, 2], [2, 4]);
    expectTensor(out.same, [1, 2], [1, 2]);
    expect(m.outputNames).toEqual(['double', 'same']);
  });

  it('fixes the training mode given while building', () => {
    const x = input({ shape: [1000] });
    const m = model({ inputs: x, outputs: layers.dropout({ rate: 0.5 }).apply(x, { training: true }) });
    const y = m.apply(ones([1, 1000]));
    expect(Array.from(y.dataSync()).some((v) => v === 0)).toBe(true);
  });
});

describe('bad graphs and bad inputs', () => {
  it('reports a disconnected graph', () => {
    const a = input({ shape: [2], name: 'a_in' });
    const b = input({ shape: [2], name: 'b_in' });
    const sum2 = layers.add({ name: 'joiner' }).apply([a, b]);
    expect(() => model({ inputs: a, outputs: sum2 })).toThrow(
      'Graph disconnected: cannot obtain value for tensor b_in at layer joiner. The following previous layers were accessed without issue: [a_in]',
    );
  });

  it('rejects duplicate layer names', () => {
    const x = input({ shape: [2] });
    const y = layers.dense({ units: 2, name: 'twin' }).apply(layers.dense({ units: 2, name: 'twin' }).apply(x));
    expect(() => model({ inputs: x, outputs: y, name: 'dup' })).toThrow("dup: two different layers are named 'twin'; layer names in a model must be unique");
  });

  it('rejects inputs the model does not have (intermediate inputs: intermediate_inputs.test.ts)', () => {
    const x = input({ shape: [2] });
    const h = layers.dense({ units: 2, name: 'h_layer' }).apply(x);
    const m = model({ inputs: { x }, outputs: h, name: 'named' });
    expect(() => m.apply({ y: zeros([1, 2]) } as never)).toThrow("named: 'y' is not an input of the model; it expects 1 input (x)");
    expect(() => m.apply([zeros([1, 2]), zeros([1, 2])])).toThrow('named: the model expects 1 input (x), got 2');
  });

  it('rebuilds from its config (saving tests cover shared layers, nesting and files)', () => {
    const x = input({ shape: [2], name: 'x' });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1, name: 'd' }).apply(x), name: 'saved' });
    const copy = Functional.fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    expect(copy.getConfig()).toEqual(m.getConfig());
  });

  it('rejects inputs of the wrong rank or size', () => {
    const x = input({ shape: [4] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x), name: 'shaped' });
    expect(() => m.apply(zeros([2, 3, 4]))).toThrow(
      'Input 0 of layer shaped is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: [2, 3, 4]',
    );
    expect(() => m.apply(zeros([2, 5]))).toThrow('Input 0 of layer shaped is incompatible with the layer: expected shape=[null, 4], found shape=[2, 5]');
  });
});

describe('memory', () => {
  it('applying a model 100 times keeps memory flat, training or not', () => {
    const text = input({ shape: [3], dtype: 'int32' });
    const nums = input({ shape: [2] });
    const emb = layers.embedding({ inputDim: 10, outputDim: 2, maskZero: true }).apply(text);
    const pooled = new MaskedMean().apply(emb);
    const shared = layers.dense({ units: 2, activation: 'relu' });
    const joined = layers.concatenate().apply([shared.apply(pooled), shared.apply(nums), layers.identity().apply(nums)]);
    const out = layers.dropout({ rate: 0.2 }).apply(layers.dense({ units: 2, activityRegularizer: 'l2' }).apply(joined));
    const m = model({ inputs: [text, nums], outputs: [out, pooled] });
    const ids = tensor([[1, 2, 0]], undefined, 'int32');
    const x = randomTensor([1, 2]);
    expectNoLeaks(() => {
      for (const y of m.apply([ids, x], { training: true })) y.dispose();
      for (const y of m.apply([ids, x])) y.dispose();
    }, 50);
  });

  it('a training step under a tape leaks nothing', () => {
    const x = input({ shape: [3] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(layers.dense({ units: 4, activation: 'relu', kernelRegularizer: 'l2' }).apply(x)) });
    const data = randomTensor([4, 3]);
    expectNoLeaks(() => {
      const tape = new GradientTape();
      const y = m.apply(data);
      const penalties = m.losses;
      const total = sum(y);
      const loss = add(total, penalties[0]);
      const grads = tape.gradient(loss, m.trainableWeights);
      for (const t of [y, total, loss, ...penalties, ...grads]) t?.dispose();
    }, 20);
  });

  // Graph.walk's precomputed schedule: each value goes when no later node reads it.
  it('releases each intermediate once no later node reads it, and everything when a layer throws', () => {
    const seen: number[] = [];
    let throwAt = -1;
    class Probe extends layers.Layer {
      static override className = 'Probe';
      constructor(readonly index: number) {
        super({});
      }
      override call(x: Tensor): Tensor {
        seen.push(liveTensors());
        if (this.index === throwAt) throw new Error(`probe ${this.index} fails`);
        return add(x, 1);
      }
    }
    const x = input({ shape: [2] });
    let h = x;
    for (let i = 0; i < 6; i++) h = new Probe(i).apply(h) as typeof x;
    // A diamond at the end: one value read by two nodes and by the outputs.
    const left = new Probe(6).apply(h);
    const joined = layers.add().apply([left, h]);
    const m = model({ inputs: x, outputs: [joined, h] });
    const data = tensor([1, 2], [1, 2]);
    const before = liveTensors();
    seen.length = 0; // building the model called the probes too
    const [out, mid] = m.apply(data) as Tensor[];
    // A chain holds one intermediate at a time: the first probe reads the caller's data,
    // each later one sees exactly one intermediate (its own input).
    expect(seen).toEqual([before, ...Array(6).fill(before + 1)]);
    expect(Array.from(mid.dataSync())).toEqual([7, 8]);
    expect(Array.from(out.dataSync())).toEqual([15, 17]);
    out.dispose();
    mid.dispose();
    expect(liveTensors()).toBe(before);
    throwAt = 3;
    seen.length = 0;
    expect(() => m.apply(data)).toThrow(/probe 3 fails/);
    expect(seen).toHaveLength(4);
    expect(liveTensors()).toBe(before);
    m.dispose();
    data.dispose();
  });

  it('dispose releases every weight', () => {
    const before = liveTensors();
    const x = input({ shape: [3] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.dense({ units: 4 }).apply(x)) });
    expect(liveTensors()).toBe(before + 4);
    m.dispose();
    expect(liveTensors()).toBe(before);
    expect(m.weights.every((w: Variable) => w.isDisposed)).toBe(true);
  });

  it('is a Model and a Functional', () => {
    const x = input({ shape: [1] });
    const m = model({ inputs: x, outputs: x });
    expect(m).toBeInstanceOf(Model);
    expect(m).toBeInstanceOf(Functional);
    const t = tensor([[1]]);
    expect(m.apply(t)).toBe(t);
  });
});
