// Variable.path is Keras's variable.path: the name scopes open when the weight was made
// ('outer_layer/dense/kernel'), never numbered, where the variable names of a second
// model's layer of the same name are numbered apart. The nested cases are what Keras 3.15
// printed (KERAS_BACKEND=jax, `[(w.name, w.path) for w in model.weights]`):
//   Sequential([Dense(3, name='dense_in_seq')], name='seq') called in a functional model,
//     then Dense(2, name='top'): seq/dense_in_seq/kernel, seq/dense_in_seq/bias, top/kernel, top/bias
//   a functional model (Dense 'd_in_func') called in another: d_in_func/kernel, d_in_func/bias
//   a Layer subclass holding Dense(3, name='d_in_block'), called in a functional model:
//     block/d_in_block/kernel, block/d_in_block/bias; its own weight 'own' made in build: block2/own
//   Sequential([Input((4,)), Dense(3, name='ds')], name='s2'): s2/ds/kernel; in
//     Sequential([Input((4,)), s2, Dense(1, name='d3')], name='s3'): s2/ds/..., s3/d3/...
//   a Model subclass 'mymodel' holding Dense(2, name='dm'), called eagerly: mymodel/dm/kernel
import * as ts from '../../src';

const paths = (m: { weights: ts.Variable[] }) => m.weights.map((w) => w.path);
let unique = 0;
const tag = () => `p${unique++}`;

test("a lone layer's weight path is 'layer/weight'; other variables' path is their name", () => {
  const d = ts.layers.dense({ units: 2, name: 'lone' });
  d.apply(ts.zeros([1, 3]));
  expect(paths(d)).toEqual(['lone/kernel', 'lone/bias']);
  const v = ts.variable(ts.zeros([2]), true, 'free_standing');
  expect(v.path).toBe('free_standing');
});

test("a Sequential's layers are under its name, the same in a second model (whose variable names are numbered apart)", () => {
  const build = () => ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3], name: 'head' })], name: 'seq_head' });
  const [first, second] = [build(), build()];
  expect(paths(first)).toEqual(['seq_head/head/kernel', 'seq_head/head/bias']);
  expect(paths(second)).toEqual(['seq_head/head/kernel', 'seq_head/head/bias']);
  expect(second.weights[0].name).not.toBe(first.weights[0].name);
  // The names (which key saving) stay as they were.
  expect(first.weights.map((w) => w.name)).toEqual(['head/kernel', 'head/bias']);
});

test('a Sequential built when a functional model first calls it, then a Dense after it', () => {
  const t = tag();
  const seq = ts.sequential({ layers: [ts.layers.dense({ units: 3, name: `dense_in_seq_${t}` })], name: `seq_${t}` });
  const x = ts.input({ shape: [4] });
  const y = ts.layers.dense({ units: 2, name: `top_${t}` }).apply(seq.apply(x) as ts.SymbolicTensor) as ts.SymbolicTensor;
  const m = ts.model({ inputs: x, outputs: y, name: `outer_${t}` });
  expect(paths(m)).toEqual([`seq_${t}/dense_in_seq_${t}/kernel`, `seq_${t}/dense_in_seq_${t}/bias`, `top_${t}/kernel`, `top_${t}/bias`]);
});

test("a functional model's layers are built before it exists: called in another functional model, no prefix", () => {
  const t = tag();
  const i = ts.input({ shape: [4] });
  const inner = ts.model({ inputs: i, outputs: ts.layers.dense({ units: 3, name: `d_in_func_${t}` }).apply(i) as ts.SymbolicTensor, name: `innerf_${t}` });
  const x = ts.input({ shape: [4] });
  const outer = ts.model({ inputs: x, outputs: inner.apply(x) as ts.SymbolicTensor });
  expect(paths(outer)).toEqual([`d_in_func_${t}/kernel`, `d_in_func_${t}/bias`]);
});

test('a Sequential with an input, inside another Sequential: each under the Sequential that built it', () => {
  const t = tag();
  const s2 = ts.sequential({ layers: [ts.input({ shape: [4] }), ts.layers.dense({ units: 3, name: `ds_${t}` })], name: `s2_${t}` });
  const s3 = ts.sequential({ layers: [ts.input({ shape: [4] }), s2, ts.layers.dense({ units: 1, name: `d3_${t}` })], name: `s3_${t}` });
  expect(paths(s3)).toEqual([`s2_${t}/ds_${t}/kernel`, `s2_${t}/ds_${t}/bias`, `s3_${t}/d3_${t}/kernel`, `s3_${t}/d3_${t}/bias`]);
});

test('a Layer subclass building a Dense it holds: under the subclass, in a functional model and eagerly', () => {
  class Block extends ts.layers.Layer {
    inner = ts.layers.dense({ units: 3, name: `d_in_block_${tag()}` });
    override build(): void {
      this.addWeight('own', [2], 'float32', 'zeros');
    }
    override call(x: ts.Tensor): ts.Tensor {
      return this.inner.apply(x) as ts.Tensor;
    }
  }
  const b = new Block({ name: `block_${tag()}` });
  const x = ts.input({ shape: [4] });
  ts.model({ inputs: x, outputs: b.apply(x) as ts.SymbolicTensor });
  expect(paths(b)).toEqual([`${b.name}/own`, `${b.name}/${b.inner.name}/kernel`, `${b.name}/${b.inner.name}/bias`]);
  const eager = new Block({ name: `block_${tag()}` });
  eager.apply(ts.zeros([1, 4]));
  expect(paths(eager)).toEqual([`${eager.name}/own`, `${eager.name}/${eager.inner.name}/kernel`, `${eager.name}/${eager.inner.name}/bias`]);
});

test('a Model subclass called eagerly: its layers under its name; a later scope does not move them', () => {
  const t = tag();
  class MyModel extends ts.Model {
    dense = ts.layers.dense({ units: 2, name: `dm_${t}` });
    override call(x: ts.Tensor | ts.Tensor[] | { [k: string]: ts.Tensor }) {
      return this.dense.apply(x as ts.Tensor) as ts.Tensor;
    }
  }
  const m = new MyModel({ name: `mymodel_${t}` });
  m.apply(ts.zeros([1, 4]));
  expect(paths(m)).toEqual([`mymodel_${t}/dm_${t}/kernel`, `mymodel_${t}/dm_${t}/bias`]);
  // Keras fixes a layer's parent the first time it builds or runs.
  const wrapper = ts.sequential({ layers: [ts.input({ shape: [4] }), m], name: `wrap_${t}` });
  expect(paths(wrapper)).toEqual([`mymodel_${t}/dm_${t}/kernel`, `mymodel_${t}/dm_${t}/bias`]);
});

test('an error inside a scope leaves no scope open', () => {
  const bad = ts.layers.dense({ units: 2, name: `bad_${tag()}` });
  expect(() => bad.apply(ts.zeros([2]))).toThrow();
  const d = ts.layers.dense({ units: 2, name: `after_${tag()}` });
  d.apply(ts.zeros([1, 3]));
  expect(paths(d)).toEqual([`${d.name}/kernel`, `${d.name}/bias`]);
});
