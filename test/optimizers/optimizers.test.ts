import { add, matMul, mean, mul, optimizers, schedules, sign, square, sub, sum, tensor, variable, type Tensor, type Variable } from '../../src';
import { expectClose } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

// The quadratic every step test descends: loss = sum(0.5 c x^2 + d x), so grad = c x + d.
const C = [1, 2, 3];
const D = [0.5, -1, 0.2];
const X0 = [1, -2, 0.5];
const quadratic = (x: Tensor) => sum(add(mul(mul(square(x), C), 0.5), mul(x, D)));
const gradAt = (x: number[]) => x.map((v, i) => C[i] * v + D[i]);

// Runs `steps` updates of `opt` from X0 (float64) and returns x after each.
function trajectory(opt: optimizers.Optimizer, steps = 3, dtype: 'float32' | 'float64' = 'float64'): number[][] {
  const x = variable(tensor(X0, undefined, dtype), true, `x_${Math.random()}`);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    opt.minimize(() => quadratic(x), [x]);
    out.push(Array.from(x.dataSync()));
  }
  opt.dispose();
  x.dispose();
  return out;
}

// Keras 3 update rules on plain numbers, one element at a time (keras/src/optimizers/*.py).
type Rule = (g: number, state: Record<string, number>, lr: number, t: number) => number; // returns the delta
function reference(rule: Rule, lr: number | ((step: number) => number), steps = 3, weightDecay = 0, init: Record<string, number> = {}): number[][] {
  const x = [...X0];
  const states = x.map(() => ({ ...init }));
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const rate = typeof lr === 'number' ? lr : lr(s);
    const g = gradAt(x);
    for (let i = 0; i < x.length; i++) {
      x[i] -= x[i] * weightDecay * rate;
      x[i] += rule(g[i], states[i], rate, s + 1);
    }
    out.push([...x]);
  }
  return out;
}
const z = (st: Record<string, number>, k: string) => st[k] ?? 0;

const sgdMomentum: Rule = (g, st, lr) => ((st.m = 0.9 * z(st, 'm') - lr * g), st.m);
const adamRule =
  (b1: number, b2: number, eps: number, amsgrad = false): Rule =>
  (g, st, lr, t) => {
    st.m = z(st, 'm') + (g - z(st, 'm')) * (1 - b1);
    st.v = z(st, 'v') + (g * g - z(st, 'v')) * (1 - b2);
    st.vh = Math.max(z(st, 'vh'), st.v);
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    return (-alpha * st.m) / (Math.sqrt(amsgrad ? st.vh : st.v) + eps);
  };

describe('first steps against Keras 3 math', () => {
  const close = (got: number[][], want: number[][], rtol = 1e-10) => expectClose(got.flat(), want.flat(), rtol, 1e-12);

  it('SGD: plain, momentum, Nesterov (and PyTorch agrees)', () => {
    close(
      trajectory(new optimizers.SGD({ learningRate: 0.1 })),
      reference((g, _s, lr) => -lr * g, 0.1),
    );
    const torchMomentum = [
      [0.85, -1.5, 0.33],
      [0.58, -0.65, 0.058],
      [0.229, 0.345, -0.2242],
    ];
    close(trajectory(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 })), reference(sgdMomentum, 0.1));
    close(trajectory(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 })), torchMomentum);
    const torchNesterov = [
      [0.715, -1.05, 0.177],
      [0.36265, -0.056, -0.09959],
      [-0.0090185, 0.77088, -0.2639647],
    ];
    close(trajectory(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })), torchNesterov);
  });
  it('Adam and AMSGrad: epsilon added to sqrt(v) after folding bias correction into the step', () => {
    close(trajectory(new optimizers.Adam({ learningRate: 0.01 })), reference(adamRule(0.9, 0.999, 1e-7), 0.01));
    close(trajectory(new optimizers.Adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 0.1 }), 4), reference(adamRule(0.5, 0.9, 0.1), 0.05, 4));
    close(trajectory(new optimizers.Adam({ learningRate: 0.05, amsgrad: true, epsilon: 0.01 }), 5), reference(adamRule(0.9, 0.999, 0.01, true), 0.05, 5));
  });
  it('AdamW: decoupled decay lr * wd * var before Adam (PyTorch AdamW with eps 0 agrees)', () => {
    close(trajectory(new optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.1 })), reference(adamRule(0.9, 0.999, 1e-7), 0.01, 3, 0.1));
    const torchAdamW = [
      [0.989, -1.988, 0.4895],
      [0.978012986224612, -1.976013283098436, 0.47901581200262],
      [0.967040281931474, -1.964040694738352, 0.468551081160771],
    ];
    close(trajectory(new optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.1, epsilon: 0 })), torchAdamW, 1e-12);
    expect(new optimizers.AdamW().weightDecay).toBe(0.004);
  });
  it('Adamax', () => {
    const rule: Rule = (g, st, lr, t) => {
      st.m = z(st, 'm') + (g - z(st, 'm')) * 0.1;
      st.u = Math.max(0.999 * z(st, 'u'), Math.abs(g));
      return (-lr * st.m) / ((1 - 0.9 ** t) * (st.u + 1e-7));
    };
    close(trajectory(new optimizers.Adamax({ learningRate: 0.02 }), 4), reference(rule, 0.02, 4));
  });
  it('Nadam, with the momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^t)', () => {
    // (PyTorch 1.13's NAdam multiplies mu_t into the next product twice, so it is no reference.)
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    const product: number[] = [1];
    for (let t = 1; t <= 4; t++) product.push(product[t - 1] * mu(t));
    const rule: Rule = (g, st, lr, t) => {
      st.m = z(st, 'm') + (g - z(st, 'm')) * 0.1;
      st.v = z(st, 'v') + (g * g - z(st, 'v')) * 0.001;
      const mHat = (mu(t + 1) * st.m) / (1 - product[t] * mu(t + 1)) + ((1 - mu(t)) * g) / (1 - product[t]);
      return (-lr * mHat) / (Math.sqrt(st.v / (1 - 0.999 ** t)) + 1e-7);
    };
    close(trajectory(new optimizers.Nadam({ learningRate: 0.01 }), 4), reference(rule, 0.01, 4));
  });
  it('RMSprop: plain, momentum, centered (epsilon inside the root)', () => {
    const rule =
      (momentum: number, centered: boolean): Rule =>
      (g, st, lr) => {
        st.v = 0.9 * z(st, 'v') + 0.1 * g * g;
        st.a = 0.9 * z(st, 'a') + 0.1 * g;
        const inc = (lr * g) / Math.sqrt((centered ? st.v - st.a * st.a : st.v) + 1e-7);
        if (momentum === 0) return -inc;
        st.mo = momentum * z(st, 'mo') + inc;
        return -st.mo;
      };
    close(trajectory(new optimizers.RMSprop({ learningRate: 0.01 })), reference(rule(0, false), 0.01));
    close(trajectory(new optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5 }), 4), reference(rule(0.5, false), 0.01, 4));
    close(trajectory(new optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }), 4), reference(rule(0.5, true), 0.01, 4));
  });
  it('Adagrad, from its initial accumulator', () => {
    const rule: Rule = (g, st, lr) => ((st.acc = z(st, 'acc') + g * g), (-lr * g) / Math.sqrt(st.acc + 1e-7));
    close(trajectory(new optimizers.Adagrad({ learningRate: 0.1 })), reference(rule, 0.1, 3, 0, { acc: 0.1 }));
    close(trajectory(new optimizers.Adagrad({ learningRate: 0.1, initialAccumulatorValue: 2 })), reference(rule, 0.1, 3, 0, { acc: 2 }));
  });
  it('Adadelta (PyTorch agrees)', () => {
    const torchAdadelta = [
      [0.996837729367092, -1.996837722972287, 0.496837727810886],
      [0.993596553668048, -1.993595241116882, 0.493601919324878],
      [0.99030353014411, -1.990299097235141, 0.490321763909628],
    ];
    close(trajectory(new optimizers.Adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-6 })), torchAdadelta, 1e-11);
  });
  it('float32 variables follow the same math', () => {
    expectClose(trajectory(new optimizers.Adam({ learningRate: 0.01 }), 3, 'float32').flat(), reference(adamRule(0.9, 0.999, 1e-7), 0.01).flat(), 1e-5);
  });
});

describe('learning rates, clipping, weight decay', () => {
  it("a schedule or a function of the step sets each step's rate", () => {
    const decay = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const want = reference(
      (g, _s, lr) => -lr * g,
      (s) => 0.1 * 0.5 ** s,
    );
    expectClose(trajectory(new optimizers.SGD({ learningRate: decay })).flat(), want.flat(), 1e-12);
    expectClose(trajectory(new optimizers.SGD({ learningRate: (s: number) => 0.1 * 0.5 ** s })).flat(), want.flat(), 1e-12);
    const opt = new optimizers.SGD({ learningRate: decay });
    expect(() => {
      opt.learningRate = 0.3;
    }).toThrow(/comes from a LearningRateSchedule and cannot be set/);
    const fixed = new optimizers.SGD();
    expect(fixed.learningRate).toBe(0.01);
    fixed.learningRate = 0.5;
    expect(fixed.learningRate).toBe(0.5);
  });
  it('clipnorm (per variable), globalClipnorm and clipvalue', () => {
    const a = variable(tensor([3, 4]), true, 'clip_a');
    const b = variable(tensor([0, 0]), true, 'clip_b');
    const step = (opt: optimizers.Optimizer, ga: number[], gb: number[]) => {
      a.assign(tensor([3, 4]));
      b.assign(tensor([0, 0]));
      opt.applyGradients([
        [tensor(ga), a],
        [tensor(gb), b],
      ]);
      return [...a.dataSync(), ...b.dataSync()];
    };
    // grads [6, 8] (norm 10) and [0.3, 0.4] (norm 0.5); lr 1
    expectClose(step(new optimizers.SGD({ learningRate: 1, clipnorm: 1 }), [6, 8], [0.3, 0.4]), [3 - 0.6, 4 - 0.8, -0.3, -0.4], 1e-6);
    const scale = 1 / Math.sqrt(100 + 0.25);
    expectClose(
      step(new optimizers.SGD({ learningRate: 1, global_clipnorm: 1 }), [6, 8], [0.3, 0.4]),
      [3 - 6 * scale, 4 - 8 * scale, -0.3 * scale, -0.4 * scale],
      1e-6,
    );
    expectClose(step(new optimizers.SGD({ learningRate: 1, clipValue: 0.35 }), [6, -8], [0.3, 0.4]), [3 - 0.35, 4 + 0.35, -0.3, -0.35], 1e-6);
    // no clipping when under the limit
    expectClose(step(new optimizers.SGD({ learningRate: 1, globalClipnorm: 100 }), [6, 8], [0.3, 0.4]), [-3, -4, -0.3, -0.4], 1e-6);
    expect(() => new optimizers.SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm can be set/);
  });
  it('weight decay on every optimizer, and excluded variables', () => {
    for (const make of [
      () => new optimizers.SGD({ learningRate: 0.1, weightDecay: 0.5 }),
      () => new optimizers.Adamax({ learningRate: 0.1, weightDecay: 0.5 }),
      () => new optimizers.Adagrad({ learningRate: 0.1, weight_decay: 0.5 }),
    ]) {
      const w = variable(tensor([2, -4]), true, 'wd_w');
      const bias = variable(tensor([2, -4]), true, 'wd_bias');
      const opt = make();
      opt.excludeFromWeightDecay({ varNames: ['bias'] });
      // zero gradients: only the decay moves w (Adamax/Adagrad updates are 0 for g = 0)
      opt.applyGradients([
        [tensor([0, 0]), w],
        [tensor([0, 0]), bias],
      ]);
      expectClose(Array.from(w.dataSync()), [2 - 2 * 0.5 * 0.1, -4 + 4 * 0.5 * 0.1], 1e-6);
      expectClose(Array.from(bias.dataSync()), [2, -4]);
      opt.dispose();
      w.dispose();
      bias.dispose();
    }
  });
});

describe('state, custom optimizers, convergence, memory', () => {
  it('getWeights / setWeights restore the state: the next steps are identical', () => {
    for (const make of [
      () => new optimizers.Adam({ learningRate: 0.05, amsgrad: true }),
      () => new optimizers.Nadam({ learningRate: 0.05 }),
      () => new optimizers.RMSprop({ momentum: 0.5, centered: true }),
      () => new optimizers.SGD({ momentum: 0.9 }),
      () => new optimizers.Adadelta({ learningRate: 1 }),
    ]) {
      const x = variable(tensor(X0, undefined, 'float64'), true, 'state_x');
      const first = make();
      for (let i = 0; i < 3; i++) first.minimize(() => quadratic(x), [x]);
      const saved = first.getWeights();
      expect(saved[0]).toMatchObject({ name: 'iterations' });
      expect(saved[0].tensor.dataSync()[0]).toBe(3);
      const y = variable(x, true, 'state_y');
      const second = make();
      second.build([y]);
      second.setWeights(saved.map((w) => ({ name: w.name.replace('state_x', 'state_y'), tensor: w.tensor })));
      expect(second.iterations).toBe(3);
      for (let i = 0; i < 3; i++) {
        first.minimize(() => quadratic(x), [x]);
        second.minimize(() => quadratic(y), [y]);
      }
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      for (const w of saved) w.tensor.dispose();
      first.dispose();
      second.dispose();
      x.dispose();
      y.dispose();
    }
  });
  it('getConfig round trips, with a schedule, through optimizers.get', () => {
    const opt = new optimizers.Adam({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }), beta_1: 0.8, clipnorm: 2 } as never);
    const config = JSON.parse(JSON.stringify(optimizers.serialize(opt)));
    expect(config.className).toBe('Adam');
    expect(config.config).toMatchObject({ beta1: 0.8, beta2: 0.999, epsilon: 1e-7, amsgrad: false, clipnorm: 2, learningRate: { className: 'CosineDecay' } });
    const copy = optimizers.get(config);
    expect(copy).toBeInstanceOf(optimizers.Adam);
    expect(copy.getConfig()).toEqual(opt.getConfig());
    expect(optimizers.get('adam')).toBeInstanceOf(optimizers.Adam);
    expect(optimizers.get('RMSprop')).toBeInstanceOf(optimizers.RMSprop);
    expect(optimizers.get('adamw')).toBeInstanceOf(optimizers.AdamW);
    expect(optimizers.get('sgd').getConfig()).toMatchObject({ learningRate: 0.01, momentum: 0, nesterov: false });
  });
  it('a custom optimizer implements only updateStep, with lazily created slots', () => {
    class SignMomentum extends optimizers.Optimizer {
      constructor() {
        super('SignMomentum', { learningRate: 0.1 });
      }
      updateStep(g: Tensor, v: Variable, lr: number): void {
        const m = this.slot(v, 'm');
        m.assign(add(mul(m, 0.5), g));
        v.assign(sub(v, mul(sign(m), lr)));
      }
    }
    const got = trajectory(new SignMomentum(), 2);
    expectClose(
      got.flat(),
      [
        [0.9, -1.9, 0.4],
        [0.8, -1.8, 0.3],
      ].flat(),
      1e-12,
    );
    const opt = new SignMomentum();
    const x = variable(tensor([1]), true, 'custom_x');
    opt.minimize(() => sum(square(x)));
    expect(opt.getWeights().map((w) => w.name)).toEqual(['iterations', 'custom_x/m']);
    opt.dispose();
    x.dispose();
  });
  it.each([
    ['sgd', () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 })],
    ['adam', () => new optimizers.Adam({ learningRate: 0.05 })],
    ['adamw', () => new optimizers.AdamW({ learningRate: 0.05, weightDecay: 0.001 })],
    ['adamax', () => new optimizers.Adamax({ learningRate: 0.05 })],
    ['nadam', () => new optimizers.Nadam({ learningRate: 0.05 })],
    ['rmsprop', () => new optimizers.RMSprop({ learningRate: 0.01 })],
    ['adagrad', () => new optimizers.Adagrad({ learningRate: 0.5 })],
    ['adadelta', () => new optimizers.Adadelta({ learningRate: 20 })],
  ])('%s fits a small linear regression', (_name, make) => {
    // y = 2 x0 - 3 x1 + 0.5
    const xs = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
      [2, 1],
      [0.5, -1],
      [-1, 2],
    ]);
    const ys = tensor([[2.5], [-2.5], [-0.5], [1.5], [4], [-7.5]]);
    const w = variable(tensor([[0], [0]]), true, 'lr_w');
    const b = variable(tensor([0]), true, 'lr_b');
    const opt = make();
    const mse = () => mean(square(sub(add(matMul(xs, w), b), ys)));
    const first = (opt.minimize(mse, [w, b], true) as Tensor).dataSync()[0];
    let last = first;
    for (let i = 0; i < 500; i++) {
      const l = opt.minimize(mse, [w, b], true) as Tensor;
      last = l.dataSync()[0];
      l.dispose();
    }
    expect(last).toBeLessThan(0.05);
    expect(last).toBeLessThan(first / 100);
    opt.dispose();
    w.dispose();
    b.dispose();
  });
  it('100 steps keep the live tensor count flat after slot creation', () => {
    for (const make of [
      () => new optimizers.Adam({ amsgrad: true, clipnorm: 1, weightDecay: 0.01 }),
      () => new optimizers.Nadam({ globalClipnorm: 1 }),
      () => new optimizers.RMSprop({ momentum: 0.9, centered: true, clipvalue: 0.5 }),
    ]) {
      const x = variable(tensor(X0), true, 'leak_x');
      const opt = make();
      opt.minimize(() => quadratic(x), [x]);
      const before = liveTensors();
      for (let i = 0; i < 100; i++) opt.minimize(() => quadratic(x));
      expect(liveTensors()).toBe(before);
      opt.dispose();
      x.dispose();
    }
  });
  it('bad input: unknown names and options, mismatched gradients', () => {
    expect(() => optimizers.get('adamm')).toThrow(
      /optimizers.get: unknown optimizer 'adamm'; did you mean 'adam'\? expected an Optimizer or one of sgd, adam, adamw, adamax, nadam, rmsprop, adagrad, adadelta/,
    );
    expect(() => new optimizers.Adam({ beta3: 1 } as never)).toThrow(/Adam: unknown option 'beta3'; did you mean 'beta1'?/);
    expect(() => new optimizers.Adam({ momentumm: 1 } as never)).toThrow(
      /Adam: unknown option 'momentumm'; valid options are: learningRate, weightDecay, clipnorm, clipvalue, globalClipnorm, name, useEma, emaMomentum, emaOverwriteFrequency, beta1, beta2, epsilon, amsgrad/,
    );
    expect(() => new optimizers.Adam({ beta1: 0.9, beta_1: 0.8 } as never)).toThrow(/options 'beta1' and 'beta_1' disagree/);
    const v = variable(tensor([1, 2]), true, 'bad_v');
    const opt = new optimizers.SGD();
    expect(() => opt.applyGradients([[tensor([1, 2, 3]), v]])).toThrow(/the gradient of variable 'bad_v' has shape \[3\], expected \[2\]/);
    expect(() => opt.applyGradients([[null, v]])).toThrow(/no gradients provided for any variable/);
    expect(() => opt.applyGradients({ nope: tensor([1, 2]) })).toThrow(/unknown variable 'nope'/);
    opt.applyGradients({ grads: [tensor([1, 1])], vars: [v] });
    opt.applyGradients({ bad_v: tensor([1, 1]) });
    expectClose(Array.from(v.dataSync()), [0.98, 1.98], 1e-6);
    expect(() => new optimizers.SGD({ learningRate: NaN })).toThrow(/expected a finite number at step 0, got NaN/);
    v.dispose();
  });
});
