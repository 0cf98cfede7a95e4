// Subclassed models: sublayers found through properties, training flag, gradients,
// use inside a functional model, summary.
import { Model, Variable, input, layers, model, sum, tensor, variableGrads, zeros, type Tensor } from '../../src';
import { expectNoLeaks, liveTensors } from '../helpers/memory';
import { expectClose, randomTensor } from '../helpers/reference';

class Mlp extends Model {
  hidden = layers.dense({ units: 4, activation: 'relu' });
  drop = layers.dropout({ rate: 0.5 });
  heads = { out: layers.dense({ units: 2 }) };
  override call(x: Tensor, { training }: layers.CallOptions): Tensor {
    return this.heads.out.apply(this.drop.apply(this.hidden.apply(x), { training }));
  }
}

describe('subclassed models', () => {
  it('tracks sublayers in fields and plain objects; weights appear after the first call', () => {
    const m = new Mlp();
    expect(m.name).toMatch(/^mlp/);
    expect(m.layers.map((l) => l.constructor.name)).toEqual(['Dense', 'Dropout', 'Dense']);
    expect(m.weights).toEqual([]);
    const y = m.apply(randomTensor([3, 5]));
    expect(y.shape).toEqual([3, 2]);
    expect(m.weights.map((w: Variable) => w.shape)).toEqual([[5, 4], [4], [4, 2], [2]]);
    expect(m.countParams()).toBe(34);
  });

  it('passes the training flag and gradients to every weight', () => {
    const m = new Mlp();
    const x = randomTensor([2, 5]);
    const a = m.apply(x);
    expectClose(Array.from(m.apply(x).dataSync()), Array.from(a.dataSync()));
    const { grads } = variableGrads(() => sum(m.apply(x, { training: true })));
    expect(Object.keys(grads).sort()).toEqual(m.trainableWeights.map((w: Variable) => w.name).sort());
    m.trainable = false;
    expect(m.trainableWeights).toEqual([]);
    expect(m.heads.out.trainable).toBe(false);
  });

  it('works as a layer in a functional model (shapes found by running it)', () => {
    const sub = new Mlp();
    const x = input({ shape: [5] });
    const y = sub.apply(x);
    expect(y.shape).toEqual([null, 2]);
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(y) });
    expect(m.apply(zeros([3, 5])).shape).toEqual([3, 1]);
    expect(m.weights.length).toBe(6);
  });

  it('prints a summary of its sublayers', () => {
    const m = new Mlp({ name: 'mlp_summary' });
    m.apply(zeros([1, 5]));
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines[0]).toBe('Model: "mlp_summary"');
    expect(lines.some((l) => /^dense\S* \(Dense\)\s+\?\s+24$/.test(l))).toBe(true);
    expect(lines).toContain('Total params: 34');
  });

  it('build(shape) builds the sublayers by running call once, leaving nothing behind', () => {
    const m = new Mlp();
    const before = liveTensors();
    m.build([null, 5]);
    expect(m.built).toBe(true);
    expect(m.countParams()).toBe(34);
    expect(liveTensors()).toBe(before + 4);
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines).toContain('Total params: 34');
    // The first call keeps those weights.
    const w = m.getWeights();
    m.apply(zeros([2, 5])).dispose();
    expect(m.weights.length).toBe(4);
    m.getWeights().forEach((v, i) => expectClose(v.dataSync(), w[i].dataSync()));
  });

  it("build(shape) runs a subclass's own build once, and its failure names the model", () => {
    class WithBias extends Model {
      bias: Variable | null = null;
      builds = 0;
      dense = layers.dense({ units: 2 });
      override build(shape: layers.SymbolicShape): void {
        this.builds++;
        this.bias = this.addWeight('bias', [2], 'float32', 'zeros');
        super.build(shape);
      }
      override call(x: Tensor): Tensor {
        return this.dense.apply(x);
      }
    }
    const m = new WithBias({ name: 'with_bias' });
    m.build([null, 3]);
    expect(m.builds).toBe(1);
    expect(m.countParams()).toBe(10);
    const first = new WithBias({ name: 'with_bias_call' });
    first.apply(zeros([1, 3]));
    expect(first.builds).toBe(1);
    expect(first.countParams()).toBe(10);
    class Broken extends Model {
      override call(): Tensor {
        throw new Error('shape mismatch inside');
      }
    }
    const broken = new Broken({ name: 'broken' });
    expect(() => broken.build([null, 5])).toThrow("broken.build: running the model's call on zeros of shape [null, 5] failed: shape mismatch inside");
    expect(broken.built).toBe(false);
    expect(() => new Mlp({ name: 'mlp_bad_shape' }).build('5' as never)).toThrow(/mlp_bad_shape\.build: expected inputShape to be an array/);
  });

  it('summary of an unbuilt model says to build it first instead of printing 0 params', () => {
    const m = new Mlp({ name: 'mlp_unbuilt' });
    expect(() => m.summary(undefined, undefined, () => undefined)).toThrow(
      /mlp_unbuilt\.summary: this model has not yet been built.*calling build\(inputShape\) or by calling the model on a batch of data/,
    );
  });

  it('leaks nothing across calls', () => {
    const m = new Mlp();
    const x = randomTensor([2, 5]);
    expectNoLeaks(() => {
      m.apply(x, { training: true }).dispose();
    }, 50);
  });

  it('a subclass that forgets call() gets a clear error', () => {
    class Empty extends Model {}
    expect(() => new Empty({ name: 'empty' }).apply(tensor([1]))).toThrow('Layer empty (Empty) does not implement call()');
  });
});
