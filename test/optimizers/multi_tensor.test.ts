// The multi-tensor updates (one kernel call for all of a device's and dtype's variables)
// against the per-tensor kernels, the reference: for every optimizer with a multi kernel and
// every option, N steps on both paths leave the SAME BITS in the weights and every slot on
// the CPU (both run one loop body, cpu/optimizers.cpp), whatever the tensor sizes.
import { optimizers, tensor, variable, type Tensor, type Variable } from '../../src';
import { native } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';
import { DTYPE_CODE } from '../../src/tensor/dtype';
import * as multi from '../../src/ops/optimizer_updates_multi';
import { randomData } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

type DType = 'float32' | 'float64';

// Random values in [-1, 1): windows of one pool at a seed's offset (generating a million
// numbers for every tensor and step would dominate the run).
const POOL = Float64Array.from(randomData(1 << 21, 5));
function randomTensor(shape: number[], seed: number, dtype: DType = 'float32'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const at = (seed * 7919) % (POOL.length - n);
  const data = POOL.subarray(at, at + n);
  return tensor(dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data), shape, dtype);
}
type Make = () => optimizers.Optimizer;

// The first variable that decay skips is named '.../bias' (and varList excludes another).
function makeVariables(sizes: number[], dtype: DType | DType[]): Variable[] {
  return sizes.map((n, i) => {
    const dt = Array.isArray(dtype) ? dtype[i % dtype.length] : dtype;
    const init = randomTensor([n], 100 + i, dt);
    const v = variable(init, true, i % 3 === 1 ? `layer${i}/bias` : `layer${i}/kernel`);
    init.dispose();
    return v;
  });
}

interface Run {
  weights: Float32Array[] | Float64Array[];
  state: { name: string; data: Float32Array | Float64Array }[];
}

// `steps` updates with random gradients (the same on both paths), then every weight and slot.
function run(make: Make, multiTensor: boolean, sizes: number[], dtype: DType | DType[], steps: number, exclude = false): Run {
  const vars = makeVariables(sizes, dtype);
  const opt = make();
  opt.multiTensor = multiTensor;
  if (exclude) opt.excludeFromWeightDecay({ varNames: ['bias'], varList: vars.length > 2 ? [vars[2]] : [] });
  for (let s = 0; s < steps; s++) {
    const grads = vars.map((v, i) => randomTensor(v.shape, 1000 * s + i, v.dtype as DType));
    opt.applyGradients(grads.map((g, i): [Tensor, Variable] => [g, vars[i]]));
    grads.forEach((g) => g.dispose());
  }
  const weights = vars.map((v) => v.dataSync().slice()) as Float32Array[];
  const state = opt.getWeights().map(({ name, tensor: t }) => {
    const data = t.dataSync().slice() as Float32Array;
    t.dispose();
    return { name, data };
  });
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return { weights, state };
}

// Bitwise equality, naming the first element that differs.
function expectSameBits(got: Float32Array | Float64Array, want: Float32Array | Float64Array, what: string): void {
  expect(got.length).toBe(want.length);
  const a = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  const b = Buffer.from(want.buffer, want.byteOffset, want.byteLength);
  if (!a.equals(b)) {
    const i = got.findIndex((x, k) => !Object.is(x, want[k]));
    throw new Error(`${what}: element ${i} is ${got[i]} on the multi-tensor path, ${want[i]} per tensor`);
  }
}

function expectSamePaths(label: string, make: Make, sizes: number[], dtype: DType | DType[], steps = 3, exclude = false): void {
  const many = run(make, true, sizes, dtype, steps, exclude);
  const each = run(make, false, sizes, dtype, steps, exclude);
  many.weights.forEach((w, i) => expectSameBits(w, each.weights[i], `${label}: weight ${i}`));
  expect(many.state.map((s) => s.name)).toEqual(each.state.map((s) => s.name));
  many.state.forEach((s, i) => expectSameBits(s.data, each.state[i].data, `${label}: ${s.name}`));
  // The run moved the weights (a test of two no-ops would pass too).
  const start = makeVariables(sizes.slice(0, 1), Array.isArray(dtype) ? dtype[0] : dtype);
  expect(Buffer.from(start[0].dataSync().buffer).equals(Buffer.from(many.weights[0].buffer))).toBe(false);
  start[0].dispose();
}

const OPTIONS: [string, Make][] = [
  ['SGD', () => new optimizers.SGD({ learningRate: 0.1 })],
  ['SGD momentum', () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 })],
  ['SGD nesterov', () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['SGD momentum weightDecay', () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.5, weightDecay: 0.01 })],
  ['Adam', () => new optimizers.Adam({ learningRate: 0.01 })],
  ['Adam amsgrad', () => new optimizers.Adam({ learningRate: 0.01, amsgrad: true })],
  ['Adam weightDecay clipnorm', () => new optimizers.Adam({ learningRate: 0.01, weightDecay: 0.1, clipnorm: 0.5 })],
  ['AdamW', () => new optimizers.AdamW({ learningRate: 0.01 })],
  ['AdamW amsgrad globalClipnorm', () => new optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.05, amsgrad: true, globalClipnorm: 1 })],
  ['RMSprop', () => new optimizers.RMSprop({ learningRate: 0.01 })],
  ['RMSprop momentum', () => new optimizers.RMSprop({ learningRate: 0.01, momentum: 0.9 })],
  ['RMSprop centered', () => new optimizers.RMSprop({ learningRate: 0.01, centered: true })],
  ['RMSprop momentum centered weightDecay', () => new optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true, weightDecay: 0.02 })],
  ['Adagrad', () => new optimizers.Adagrad({ learningRate: 0.1 })],
  ['Adagrad weightDecay clipvalue', () => new optimizers.Adagrad({ learningRate: 0.1, weightDecay: 0.03, clipvalue: 0.4 })],
];

describe('multi-tensor optimizer updates give the per-tensor bits', () => {
  it.each(OPTIONS)('%s: sizes 1, 7, 1000003 and 4 more, float32, decay excluded from some', (label, make) => {
    expectSamePaths(label, make, [1, 7, 1000003, 33, 5, 16385], 'float32', 2, true);
  });

  it.each(OPTIONS)('%s: float64, and float32 next to float64 (one call per dtype)', (label, make) => {
    expectSamePaths(label, make, [7, 40001, 1], 'float64', 2, true);
    expectSamePaths(label, make, [3, 7, 300, 11, 1], ['float32', 'float64'], 2, true);
  });

  it.each(OPTIONS)('%s: 200 tiny tensors', (label, make) => {
    const sizes = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7) % 5));
    expectSamePaths(label, make, sizes, 'float32', 3, true);
  });
});

describe('which path runs', () => {
  afterEach(() => jest.restoreAllMocks());

  it('one kernel call per (device, dtype, weight decay) group; none per variable', () => {
    const spy = jest.spyOn(multi, 'multiAdamUpdate');
    const vars = makeVariables([4, 5, 6, 7], ['float32', 'float32', 'float64', 'float32']);
    const opt = new optimizers.AdamW({ weightDecay: 0.1 });
    opt.excludeFromWeightDecay({ varNames: ['bias'] }); // layer1/bias
    opt.applyGradients(vars.map((v): [Tensor, Variable] => [randomTensor(v.shape, 3, v.dtype as DType), v]));
    // float32 decayed {0, 3}, float32 excluded {1}, float64 decayed {2}
    expect(spy.mock.calls.map(([groups, attrs]) => [groups.map((g) => g.param.name), attrs.weightDecay])).toEqual([
      [['layer0/kernel', 'layer3/kernel'], 0.1],
      [['layer1/bias'], 0],
      [['layer2/kernel'], 0.1],
    ]);
    opt.dispose();
    vars.forEach((v) => v.dispose());
  });

  it('per variable when multiTensor is false, updateStep is overridden, a variable comes twice, or there is no multi kernel', () => {
    const spies = [jest.spyOn(multi, 'multiAdamUpdate'), jest.spyOn(multi, 'multiSgdUpdate')];
    const [a, b] = makeVariables([3, 3], 'float32');
    const g = tensor([0.1, -0.2, 0.3]);
    const off = new optimizers.Adam();
    off.multiTensor = false;
    off.applyGradients([[g, a]]);
    let stepped = 0;
    class Custom extends optimizers.SGD {
      override updateStep(gradient: Tensor, v: Variable, lr: number): void {
        stepped++;
        super.updateStep(gradient, v, lr);
      }
    }
    const custom = new Custom();
    custom.applyGradients([
      [g, a],
      [g, b],
    ]);
    expect(stepped).toBe(2);
    const twice = new optimizers.Adam();
    twice.applyGradients([
      [g, a],
      [g, a],
    ]);
    const nadam = new optimizers.Nadam();
    nadam.applyGradients([[g, a]]);
    for (const s of spies) expect(s).not.toHaveBeenCalled();
    [off, custom, twice, nadam].forEach((o) => o.dispose());
    [a, b, g].forEach((t) => t.dispose());
  });

  // applyGradients caches its groups per variable list (Optimizer.planFor): whatever the
  // cache holds, each call must group as a fresh optimizer would.
  it('the cached plan follows a changed list, new exclusions and multiTensor flips', () => {
    const spy = jest.spyOn(multi, 'multiAdamUpdate');
    const vars = makeVariables([4, 5, 6], 'float32');
    const opt = new optimizers.AdamW({ weightDecay: 0.1 });
    const step = (vs: Variable[]) => {
      spy.mockClear();
      opt.applyGradients(vs.map((v): [Tensor, Variable] => [randomTensor(v.shape, 3), v]));
      return spy.mock.calls.map(([groups, attrs]) => [groups.map((g) => g.param.name), attrs.weightDecay]);
    };
    const all = [['layer0/kernel', 'layer1/bias', 'layer2/kernel'], 0.1];
    expect(step(vars)).toEqual([all]);
    expect(step(vars)).toEqual([all]);
    // Another list (fewer, reordered), then back.
    expect(step([vars[2], vars[0]])).toEqual([[['layer2/kernel', 'layer0/kernel'], 0.1]]);
    expect(step(vars)).toEqual([all]);
    // Exclusions after steps regroup the same list.
    opt.excludeFromWeightDecay({ varNames: ['bias'] });
    expect(step(vars)).toEqual([
      [['layer0/kernel', 'layer2/kernel'], 0.1],
      [['layer1/bias'], 0],
    ]);
    // multiTensor off: no multi call; on again: the groups again.
    opt.multiTensor = false;
    expect(step(vars)).toEqual([]);
    opt.multiTensor = true;
    expect(step(vars)).toHaveLength(2);
    // A new variable in the same-length list gets its slots.
    const [extra] = makeVariables([9], 'float32').map((v) => v);
    const renamed = variable(extra, true, 'extra/kernel');
    expect(step([vars[0], vars[1], renamed])).toEqual([
      [['layer0/kernel', 'extra/kernel'], 0.1],
      [['layer1/bias'], 0],
    ]);
    expect(opt.variables).toContain(renamed);
    opt.dispose();
    [...vars, extra, renamed].forEach((v) => v.dispose());
  });

  it('100 multi-tensor steps keep the live tensor count flat', () => {
    const vars = makeVariables([5, 6, 7], 'float32');
    const opt = new optimizers.Adam();
    const grads = vars.map((v, i) => randomTensor(v.shape, i));
    const step = () => opt.applyGradients(grads.map((g, i): [Tensor, Variable] => [g, vars[i]]));
    step();
    const before = liveTensors();
    for (let i = 0; i < 100; i++) step();
    expect(liveTensors()).toBe(before);
    opt.dispose();
    [...vars, ...grads].forEach((t) => t.dispose());
  });
});

describe('the multi-tensor ops reject malformed groups', () => {
  const attrs = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, step: 1, weightDecay: 0 };
  const v32 = (n: number, name: string) => variable(tensor(new Float32Array(n)), true, name);

  it('in TypeScript: no groups, a missing or extra slot, a mismatched gradient, mixed dtypes', () => {
    const [p0, m0, s0, p1, m1, s1] = ['p0', 'm0', 's0', 'p1', 'm1', 's1'].map((n) => v32(3, `mt_${n}`));
    const g = tensor([1, 2, 3]);
    expect(() => multi.multiAdamUpdate([], attrs)).toThrow(/multiAdamUpdate: expected a non-empty array of variables/);
    expect(() =>
      multi.multiAdamUpdate(
        [
          { param: p0, grad: g, m: m0, v: s0, vHat: null },
          { param: p1, grad: g, m: m1, v: s1, vHat: s0 },
        ],
        attrs,
      ),
    ).toThrow(/multiAdamUpdate: variable 1: amsgrad false calls for no vHat slot/);
    expect(() => multi.multiAdamUpdate([{ param: p0, grad: tensor([1, 2]), m: m0, v: s0, vHat: null }], attrs)).toThrow(
      /multiAdamUpdate: variable 0: expected every slot and the gradient to match the variable \(\[3\] float32\), got \[2\] float32/,
    );
    const p64 = variable(tensor([1, 2, 3], undefined, 'float64'), true, 'mt_p64');
    const g64 = tensor([1, 2, 3], undefined, 'float64');
    const [m64, v64] = [0, 1].map((k) => variable(tensor([0, 0, 0], undefined, 'float64'), true, `mt_s64_${k}`));
    expect(() =>
      multi.multiSgdUpdate(
        [
          { param: p0, grad: g, m: null },
          { param: p64, grad: g64, m: null },
        ],
        { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
      ),
    ).toThrow(/multiSgdUpdate: variable 1: expected every variable to be float32 like variable 0, got float64/);
    expect(() =>
      multi.multiRMSpropUpdate([{ param: p0, grad: g, velocity: m0, m: null, averageGrad: null }], {
        lr: 0.1,
        rho: 0.9,
        momentum: 0.9,
        epsilon: 1e-7,
        centered: false,
        weightDecay: 0,
      }),
    ).toThrow(/multiRMSpropUpdate: variable 0: momentum 0.9 calls for the momentum slot, got null/);
    [p0, m0, s0, p1, m1, s1, g, p64, g64, m64, v64].forEach((t) => t.dispose());
  });

  // Straight to the addon, past the TypeScript checks: the native contract names the group.
  it('in the native contract: partial groups, another shape or dtype in group 1', () => {
    const h = (shape: number[], dtype: 'float32' | 'float64' = 'float32') => {
      const n = shape.reduce((a, b) => a * b, 1);
      return native.createTensor(dtype === 'float32' ? new Float32Array(n) : new Float64Array(n), shape, DTYPE_CODE[dtype], -1);
    };
    const adagrad = new Float64Array([0.1, 1e-7, 0]);
    const call = (inputs: ReturnType<typeof h>[]) => () => {
      try {
        native.run(OP.multi_adagrad_update, inputs, adagrad, new Float64Array([-1]));
      } finally {
        inputs.forEach((x) => native.dispose(x));
      }
    };
    expect(call([h([2, 3]), h([2, 3]), h([2, 3]), h([4])])).toThrow(/multiAdagradUpdate: expected groups of 3 inputs .*got 4 inputs/);
    expect(call([h([2, 3]), h([2, 3]), h([2, 3]), h([4]), h([2, 2]), h([4])])).toThrow(
      /multiAdagradUpdate: group 1: expected input 4 to have its parameter's shape \[4\], got \[2, 2\]/,
    );
    expect(call([h([2, 3]), h([2, 3]), h([2, 3]), h([4]), h([4]), h([4], 'float64')])).toThrow(
      /multiAdagradUpdate: group 1: expected input 5 to be float32 like input 0, got float64/,
    );
    expect(call([h([2, 3], 'float64'), h([2, 3], 'float64'), h([2, 3], 'float64'), h([4], 'float64'), h([4], 'float64'), h([4], 'float64')])).not.toThrow();
  });
});
