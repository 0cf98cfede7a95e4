// Functional models whose inputs are intermediate tensors (Keras 3's clone_graph_nodes):
// new input() tensors stand in for them, the layers after them are shared with the first
// graph, which stays as it was; inputs that do not cut the graph are refused.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Functional, data, input, layers, loadModel, model, tensor, utils, type SymbolicTensor, type Tensor } from '../../src';
import { expectSameBits, tempDir, tfjsFolder } from '../saving/helpers';
import { expectClose } from '../helpers/reference';

const x4 = () =>
  tensor([
    [1, 2, 3, 4],
    [0, -1, 0.5, 2],
    [2, 0, -1, 1],
  ]);
const values = (t: Tensor | Tensor[]) => Array.from((t as Tensor).dataSync());

// x -> enc -> hidden -> head -> out, and the model over the whole of it.
function encoderAndHead() {
  const x = input({ shape: [4], name: 'x' });
  const enc = layers.dense({ units: 3, activation: 'tanh', name: 'enc' });
  const head = layers.dense({ units: 2, name: 'head' });
  const hidden = enc.apply(x);
  const out = head.apply(hidden);
  return { x, enc, head, hidden, out, full: model({ inputs: x, outputs: out, name: 'full' }) };
}

describe('a model over an intermediate tensor', () => {
  it('gets a new input in its place and computes what the shared layers compute', () => {
    const { enc, head, hidden, out, full } = encoderAndHead();
    const part = model({ inputs: hidden, outputs: out, name: 'part' });
    const [inp] = part.inputs;
    expect(inp).not.toBe(hidden);
    expect(inp.sourceLayer).toBeInstanceOf(layers.InputLayer);
    expect(inp.shape).toEqual([null, 3]);
    expect(inp.dtype).toBe('float32');
    expect(part.inputNames).toEqual(['encCLONE']);
    expect(part.layers.map((l) => l.name)).toEqual(['encCLONE', 'head']);
    expect(part.layers[1]).toBe(head);
    expect(part.weights.length).toBe(2);
    part.weights.forEach((w, i) => expect(w).toBe(head.weights[i]));
    expect(part.outputs[0]).not.toBe(out);

    const h = enc.apply(x4()) as Tensor;
    expectSameBits(part.predict(h) as Tensor, head.apply(h) as Tensor);
    expectSameBits(part.predict(h) as Tensor, full.predict(x4()) as Tensor);
  });

  it('leaves the first model as it was', () => {
    const { x, hidden, out, full } = encoderAndHead();
    const before = full.predict(x4()) as Tensor;
    const config = JSON.stringify(full.getConfig());
    model({ inputs: hidden, outputs: out });
    expect(full.inputs).toEqual([x]);
    expect(full.outputs).toEqual([out]);
    expect(JSON.stringify(full.getConfig())).toBe(config);
    expectSameBits(full.predict(x4()) as Tensor, before);
    const lines: string[] = [];
    full.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.find((l) => l.startsWith('head (Dense)'))).toMatch(/\[null, 2\]\s+8/);
  });

  it('trains the layers it shares: fitting the part changes the whole', async () => {
    const { enc, hidden, out, full } = encoderAndHead();
    const part = model({ inputs: hidden, outputs: out });
    const before = values(full.predict(x4()));
    const h = enc.apply(x4()) as Tensor;
    part.compile({ optimizer: 'sgd', loss: 'mse' });
    await part.fit(
      h,
      tensor([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      { epochs: 3, verbose: 0 },
    );
    const after = values(full.predict(x4()));
    expect(after).not.toEqual(before);
    expectClose(after, values(part.predict(h)));
  });

  it('summarizes: the new input and the shared layer, no other nodes', () => {
    const { hidden, out } = encoderAndHead();
    const part = model({ inputs: hidden, outputs: out, name: 'part' });
    const lines: string[] = [];
    part.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines[0]).toBe('Model: "part"');
    expect(lines.find((l) => l.startsWith('encCLONE (InputLayer)'))).toMatch(/\[null, 3\]\s+0/);
    expect(lines.find((l) => l.startsWith('head (Dense)'))).toMatch(/\[null, 2\]\s+8/);
    expect(lines).toContain('Total params: 8');
  });

  it('mixes input() tensors and intermediate ones, by position or by name', () => {
    const a = input({ shape: [4], name: 'a_in' });
    const b = input({ shape: [2], name: 'b_in' });
    const aDense = layers.dense({ units: 2, name: 'a_dense' });
    const ha = aDense.apply(a);
    const joined = layers.add({ name: 'joiner' }).apply([ha, b]);
    const out = layers.dense({ units: 1, name: 'score' }).apply(joined);
    const whole = model({ inputs: [a, b], outputs: out });

    const mixed = model({ inputs: [ha, b], outputs: out });
    expect(mixed.inputs[1]).toBe(b);
    expect(mixed.inputNames).toEqual(['a_denseCLONE', 'b_in']);
    const hb = [tensor([[1, 2]]), tensor([[0.5, -1]])];
    const byName = model({ inputs: { left: ha, right: b }, outputs: out });
    expect(byName.inputNames).toEqual(['left', 'right']);
    expectSameBits(byName.predict({ left: hb[0], right: hb[1] }) as Tensor, mixed.predict(hb) as Tensor);

    const xa = tensor([[1, 0, -1, 2]]);
    expectSameBits(mixed.predict([aDense.apply(xa) as Tensor, hb[1]]) as Tensor, whole.predict([xa, hb[1]]) as Tensor);
  });

  it('re-makes branches and shared layers after the cut once each', () => {
    const x = input({ shape: [3] });
    const h = layers.dense({ units: 3, name: 'stem' }).apply(x);
    const shared = layers.dense({ units: 3, name: 'twice' });
    const y = layers.add({ name: 'sum' }).apply([shared.apply(h), shared.apply(shared.apply(h))]);
    const part = model({ inputs: h, outputs: y });
    expect(part.layers.map((l) => l.name)).toEqual(['stemCLONE', 'twice', 'sum']);
    const v = tensor([[1, -2, 0.5]]);
    const once = shared.apply(v) as Tensor;
    const want = values(layers.add().apply([once, shared.apply(once) as Tensor]));
    expectClose(values(part.predict(v)), want);
  });

  it('takes an intermediate tensor that is also an output, and a nested model after the cut', () => {
    const x = input({ shape: [2] });
    const h = layers.dense({ units: 2, name: 'pre' }).apply(x);
    const innerIn = input({ shape: [2] });
    const inner = model({ inputs: innerIn, outputs: layers.dense({ units: 1, name: 'inner_dense' }).apply(innerIn), name: 'inner' });
    const y = inner.apply(h) as SymbolicTensor;
    const part = model({ inputs: h, outputs: [h, y] });
    const v = tensor([[3, 4]]);
    const [same, z] = part.predict(v) as Tensor[];
    expect(values(same)).toEqual([3, 4]);
    expectSameBits(z, inner.predict(v) as Tensor);
  });

  it('keeps a given input that a call also makes, while the call runs on its own inputs', () => {
    const x = input({ shape: [3, 2], name: 'x' });
    const [seq, state] = layers.simpleRNN({ units: 2, returnSequences: true, returnState: true, name: 'rnn' }).apply(x) as SymbolicTensor[];
    const y = layers.add({ name: 'sum' }).apply([layers.globalAveragePooling1d({ name: 'pool' }).apply(seq), state]);
    const part = model({ inputs: [x, state], outputs: y });
    const xs = tensor([
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    ]);
    // The state comes from the caller, not from the rnn: zeros leave the pooled sequence.
    const pooled = model({ inputs: x, outputs: layers.globalAveragePooling1d().apply(seq) }).predict(xs) as Tensor;
    expectClose(values(part.predict([xs, tensor([[0, 0]])])), values(pooled));
  });

  it("builds the FeatureSpace tutorial's training model on the encoded features", async () => {
    const fs = new utils.FeatureSpace({ features: { n: 'float_normalized', c: 'string_categorical' }, outputMode: 'concat' });
    await fs.adapt(
      data.fromArrays([
        { n: 1, c: 'a' },
        { n: 3, c: 'b' },
        { n: 5, c: 'a' },
      ]),
    );
    const encoded = fs.getEncodedFeatures() as SymbolicTensor;
    const out = layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }).apply(layers.dense({ units: 4, name: 'hid' }).apply(encoded));
    const training = model({ inputs: encoded, outputs: out });
    const inference = model({ inputs: fs.getInputs(), outputs: out });
    training.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const rows = { n: [1, 5], c: ['a', 'b'] };
    await training.fit(fs.apply(rows) as Tensor, tensor([[1], [0]]), { epochs: 2, verbose: 0 });
    const columns = { n: tensor([[1], [5]]), c: [['a'], ['b']] };
    expectClose(values(inference.predict(columns)), values(training.predict(fs.apply(rows) as Tensor)));
  });
});

it('cuts a chain of 6,000 layers without overflowing the call stack', () => {
  const x = input({ shape: [2] });
  const h = layers.dense({ units: 2, name: 'first' }).apply(x);
  let y = h;
  for (let i = 0; i < 6_000; i++) y = layers.activation({ activation: 'linear' }).apply(y) as typeof x;
  const part = model({ inputs: h, outputs: y });
  expect(part.layers.length).toBe(6_001);
  expect(values(part.predict(tensor([[1, -2]])))).toEqual([1, -2]);
});

describe('inputs that do not cut the graph', () => {
  it('are refused, naming the missing input, before any layer changes', () => {
    const a = input({ shape: [2], name: 'a_in' });
    const b = input({ shape: [2], name: 'b_in' });
    const dense = layers.dense({ units: 2, name: 'a_dense' });
    const ha = dense.apply(a);
    const joiner = layers.add({ name: 'joiner' });
    const joined = joiner.apply([ha, b]);
    expect(() => model({ inputs: ha, outputs: joined, name: 'cut' })).toThrow(
      "cut: Graph disconnected: cannot obtain value for tensor b_in at layer joiner: it is upstream of the given inputs (a_dense), which do not cut it off from the outputs. Add b_in to the model's inputs",
    );
    // A path around the given input reaches a upstream of it.
    const skip = layers.add({ name: 'skip' }).apply([ha, a]);
    expect(() => model({ inputs: ha, outputs: skip, name: 'around' })).toThrow('around: Graph disconnected: cannot obtain value for tensor a_in at layer skip');
    // An output upstream of the given inputs.
    expect(() => model({ inputs: ha, outputs: [ha, a], name: 'up' })).toThrow(
      'up: Graph disconnected: cannot obtain value for tensor a_in at layer (the outputs of up)',
    );
    expect(dense.inboundNodes.length).toBe(1);
    expect(joiner.inboundNodes.length).toBe(1);
  });

  it('refuses an intermediate input listed twice', () => {
    const x = input({ shape: [2] });
    const h = layers.dense({ units: 2, name: 'h_layer' }).apply(x);
    expect(() => model({ inputs: [h, h], outputs: h, name: 'twice' })).toThrow('twice: input h_layerCLONE is listed twice');
  });
});

describe('saving a model over an intermediate tensor', () => {
  const dir = tempDir();
  const build = () => {
    const { hidden, out } = encoderAndHead();
    const side = input({ shape: [3], name: 'side' });
    const joined = layers.concatenate({ name: 'joined' }).apply([out, side]);
    return model({ inputs: [hidden, side], outputs: joined, name: 'part' });
  };
  const xs = () => [
    tensor([
      [0.1, -0.2, 0.3],
      [1, 0, -1],
    ]),
    tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]),
  ];

  it('reloads from a .keras file and predicts the same', async () => {
    const m = build();
    const file = path.join(dir, 'part.keras');
    await m.save(file);
    const loaded = await loadModel(file);
    expect(loaded).toBeInstanceOf(Functional);
    expect((loaded as Functional).inputNames).toEqual(['encCLONE', 'side']);
    expectSameBits(m.predict(xs()) as Tensor, loaded.predict(xs()) as Tensor);
  });

  it('reloads from a TensorFlow.js folder, in Tessera and in TensorFlow.js', async () => {
    const m = build();
    const where = path.join(dir, 'part_tfjs');
    await m.save(where);
    const loaded = await loadModel(where);
    expectSameBits(m.predict(xs()) as Tensor, loaded.predict(xs()) as Tensor);
    const theirs = await tf.loadLayersModel(tfjsFolder(tf, where));
    const got = theirs.predict(xs().map((t) => tf.tensor(Array.from(t.dataSync()), t.shape))) as tf.Tensor;
    expectClose(Array.from(got.dataSync()), values(m.predict(xs())));
  });
});
