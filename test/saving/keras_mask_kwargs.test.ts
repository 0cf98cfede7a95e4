// Mask tensors in a functional node's kwargs (Keras 3 writes mask=, query_mask=, ... there):
// honoured where the layer takes them by name (multiHeadAttention's queryMask / valueMask /
// keyMask, the attention layers' mask=[query_mask, value_mask]), refused naming the layer and
// the kwarg where it cannot (an LSTM's mask), never dropped. A mask given to a symbolic apply is
// refused the same way, except the attention layers', which become their named inputs.
import { input, layers, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { buildModel } from '../../src/saving/build_model';
import { expectClose, randomTensor } from '../helpers/reference';

type Json = Record<string, any>;
const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const ref = (name: string, shape: (number | null)[], dtype = 'float32') => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype, keras_history: [name, 0, 0] },
});
const inputLayer = (name: string, shape: (number | null)[], dtype = 'float32') => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: shape, dtype, sparse: false, name },
  registered_name: null,
  name,
  inbound_nodes: [],
});
const layer = (className: string, name: string, config: Json, node: Json) => ({
  module: 'keras.layers',
  class_name: className,
  config: { name, trainable: true, dtype: policy, ...config },
  registered_name: null,
  name,
  inbound_nodes: [node],
});
const functional = (layerList: Json[], inputs: string[], output: string) =>
  buildModel(
    {
      module: 'keras',
      class_name: 'Functional',
      config: { name: 'hand', trainable: true, layers: layerList, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: [[output, 0, 0]] },
      registered_name: 'Functional',
    },
    'keras',
    'hand.keras',
  ) as Model;

describe('mask tensors in node kwargs', () => {
  const x = inputLayer('x', [null, 5, 3]);
  const m = inputLayer('m', [null, 5], 'bool');

  test("an LSTM's mask kwarg is refused naming the layer and the kwarg (Tessera cannot take a mask by hand)", () => {
    const lstm = layer('LSTM', 'rnn', { units: 2 }, { args: [ref('x', [null, 5, 3])], kwargs: { training: false, mask: ref('m', [null, 5], 'bool') } });
    expect(() => functional([x, m, lstm], ['x', 'm'], 'rnn')).toThrow(
      /layer 'rnn': kwargs 'mask' passes a mask tensor explicitly \(.*\), which layer LSTM 'rnn' cannot take \(it takes no tensors by name\)/,
    );
    // A null mask is Keras's "none": nothing to refuse.
    const plain = layer('LSTM', 'rnn', { units: 2 }, { args: [ref('x', [null, 5, 3])], kwargs: { mask: null } });
    expect((functional([x, plain], ['x'], 'rnn').predict(randomTensor([1, 5, 3], 1)) as Tensor).shape).toEqual([1, 2]);
  });

  test("Attention's mask=[query_mask, value_mask] reaches the layer; a malformed list is refused naming the layer", () => {
    const attn = (mask: unknown) =>
      layer(
        'Attention',
        'attn',
        { use_scale: false, score_mode: 'dot', dropout: 0, seed: null },
        { args: [[ref('x', [null, 5, 3]), ref('x', [null, 5, 3])]], kwargs: { mask } },
      );
    const loaded = functional([x, m, attn([null, ref('m', [null, 5], 'bool')])], ['x', 'm'], 'attn');
    const xs = randomTensor([2, 5, 3], 7);
    const mask = tensor([1, 1, 1, 0, 0, 1, 1, 1, 1, 0].map(Boolean), [2, 5], 'bool');
    const want = layers.attention().apply([xs, xs], { mask: [null, mask] }) as Tensor;
    expectClose((loaded.predict([xs, mask]) as Tensor).dataSync(), want.dataSync(), 1e-6, 1e-7);
    expect(() => functional([x, m, attn([ref('m', [null, 5], 'bool')])], ['x', 'm'], 'attn')).toThrow(
      /layer 'attn': expected kwargs 'mask' of layer Attention 'attn' to be a list of 2 masks \[queryMask, valueMask\] or null/,
    );
    expect(() => functional([x, m, attn([null, null, ref('m', [null, 5], 'bool')])], ['x', 'm'], 'attn')).toThrow(
      /layer Attention 'attn' got a key mask \(mask\[2\]\), which Keras's attention layers ignore/,
    );
    expect(() => functional([x, m, attn([null, 3])], ['x', 'm'], 'attn')).toThrow(
      /expected each entry of kwargs 'mask' to be a tensor reference or null, got 3/,
    );
  });

  test("multiHeadAttention's value_mask / query_mask in kwargs or by position reach the layer", () => {
    const mhaConfig = { num_heads: 2, key_dim: 3, value_dim: 3, dropout: 0, use_bias: true, output_shape: null, attention_axes: null };
    const byName = layer('MultiHeadAttention', 'mha', mhaConfig, {
      args: [ref('x', [null, 5, 3])],
      kwargs: { value: ref('x', [null, 5, 3]), value_mask: ref('m', [null, 5], 'bool') },
    });
    const loaded = functional([x, m, byName], ['x', 'm'], 'mha');
    const byPosition = layer('MultiHeadAttention', 'mha', mhaConfig, {
      args: [ref('x', [null, 5, 3]), ref('x', [null, 5, 3]), null, null, ref('m', [null, 5], 'bool')],
      kwargs: {},
    });
    const loaded2 = functional([x, m, byPosition], ['x', 'm'], 'mha');
    loaded2.setWeights(loaded.getWeights());
    const xs = randomTensor([2, 5, 3], 7);
    const mask = tensor([1, 1, 1, 0, 0, 1, 1, 1, 1, 0].map(Boolean), [2, 5], 'bool');
    const mha = loaded.getLayer('mha') as InstanceType<typeof layers.MultiHeadAttention>;
    const want = mha.apply(xs, { value: xs, valueMask: mask }) as Tensor;
    expectClose((loaded.predict([xs, mask]) as Tensor).dataSync(), want.dataSync(), 1e-6, 1e-7);
    expectClose((loaded2.predict([xs, mask]) as Tensor).dataSync(), want.dataSync(), 1e-6, 1e-7);
  });
});

describe('a mask given to a symbolic apply', () => {
  test('is refused for a layer that cannot keep it', () => {
    const x = input({ shape: [5, 3] });
    const m = input({ shape: [5], dtype: 'bool' });
    expect(() => layers.lstm({ units: 2, name: 'rnn' }).apply(x, { mask: m as never })).toThrow(
      /rnn.apply: a mask given with symbolic inputs is not kept in the model/,
    );
    // mask: null (none) is no mask.
    expect((layers.lstm({ units: 2 }).apply(x, { mask: null }) as SymbolicTensor).shape).toEqual([null, 2]);
  });

  test('becomes the named inputs of multiHeadAttention: [queryMask, valueMask, keyMask]', () => {
    const x = input({ shape: [5, 3] });
    const qm = input({ shape: [5], dtype: 'bool' });
    const vm = input({ shape: [5], dtype: 'bool' });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3 });
    const m = model({ inputs: [x, qm, vm], outputs: mha.apply(x, { value: x, mask: [qm, vm] }) as SymbolicTensor });
    const xs = randomTensor([2, 5, 3], 3);
    const q = tensor([1, 1, 1, 1, 0, 1, 1, 0, 0, 0].map(Boolean), [2, 5], 'bool');
    const v = tensor([1, 1, 1, 0, 0, 1, 1, 1, 1, 0].map(Boolean), [2, 5], 'bool');
    const want = mha.apply(xs, { value: xs, queryMask: q, valueMask: v }) as Tensor;
    expectClose((m.predict([xs, q, v]) as Tensor).dataSync(), want.dataSync(), 1e-6, 1e-7);
    expect(() => mha.apply(x, { value: x, mask: [qm, vm], keyMask: vm })).toThrow(/not both \(got mask and keyMask\)/);
  });
});
