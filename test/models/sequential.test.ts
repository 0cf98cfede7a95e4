// Sequential: three ways to give the input shape build the same model; add, pop,
// lazy build, config round trip, errors.
import { Sequential, input, layers, model, sequential, tensor, zeros } from '../../src';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, randomTensor } from '../helpers/reference';

const stack = (prefix: string, first: Partial<layers.DenseArgs> = {}) => [
  layers.dense({ units: 8, activation: 'relu', name: `${prefix}_hidden`, ...first }),
  layers.dropout({ rate: 0.1, name: `${prefix}_drop` }),
  layers.dense({ units: 3, activation: 'softmax', name: `${prefix}_out` }),
];

const summaryOf = (m: Sequential) => {
  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  return lines.join('\n');
};

describe('sequential', () => {
  it('inputShape on the first layer, input() first, or the first call: the same model', () => {
    const a = sequential({ layers: stack('s', { inputShape: [5] }), name: 'same' });
    const b = sequential({ name: 'same' });
    b.add(input({ shape: [5] }));
    for (const l of stack('s')) b.add(l);
    const c = sequential({ layers: stack('s'), name: 'same' });
    expect(c.built).toBe(false);
    c.apply(zeros([2, 5])).dispose();
    expect(c.built).toBe(true);
    const summary = summaryOf(a);
    expect(summaryOf(b)).toBe(summary);
    expect(summaryOf(c)).toBe(summary);
    expect(summary).toContain('s_hidden (Dense)             [null, 8]                 48');
    expect(summary).toContain('Total params: 75');
    expect(a.outputs[0].shape).toEqual([null, 3]);
  });

  it('computes the layers in order and passes gradients', () => {
    const m = sequential({
      layers: [layers.dense({ units: 2, inputShape: [2], kernelInitializer: 'identity', biasInitializer: 'ones' }), layers.activation({ activation: 'relu' })],
    });
    expectClose(Array.from(m.apply(tensor([[1, -3]])).dataSync()), [2, 0]);
    expect(m.layers.length).toBe(2);
    expect(m.weights.length).toBe(2);
  });

  it('add checks each layer against the shape so far; pop removes the last', () => {
    const m = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] })] });
    m.add(layers.dense({ units: 2 }));
    expect(m.outputs[0].shape).toEqual([null, 2]);
    m.add(layers.repeatVector({ n: 2 }));
    expect(m.outputs[0].shape).toEqual([null, 2, 2]);
    m.pop();
    expect(m.outputs[0].shape).toEqual([null, 2]);
    expect(() => m.add(layers.permute({ dims: [2, 1], name: 'perm' }))).toThrow(
      'Input 0 of layer perm is incompatible with the layer: expected ndim=3, found ndim=2',
    );
    expect(m.layers.length).toBe(2);
    m.pop();
    m.pop();
    expect(() => m.pop()).toThrow('the model has no layers');
    expect(() => m.apply(zeros([1, 3]))).toThrow('the model has no layers to run');
  });

  it('nests: a sequential inside a functional model and a model inside a sequential', () => {
    const inner = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] })] });
    const x = input({ shape: [3] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(inner.apply(x)) });
    expect(m.apply(zeros([2, 3])).shape).toEqual([2, 1]);
    const outer = sequential({ layers: [inner, layers.dense({ units: 2 })] });
    expect(outer.apply(zeros([2, 3])).shape).toEqual([2, 2]);
    expect(outer.weights.length).toBe(4);
  });

  it('propagates masks through its layers', () => {
    const m = sequential({ layers: [layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputShape: [3] }), layers.dense({ units: 2 })] });
    const x = input({ shape: [3], dtype: 'int32' });
    const seen: unknown[] = [];
    const probe = layers.lambda({ function: (t: any, { mask }) => (seen.push(mask && (mask as any).arraySync()), t) });
    const outer = model({ inputs: x, outputs: probe.apply(m.apply(x)) });
    outer.apply(tensor([[1, 0, 2]], undefined, 'int32'));
    expect(seen.pop()).toEqual([[true, false, true]]);
  });

  it('round-trips its config', () => {
    const a = sequential({ layers: stack('cfg', { inputShape: [5] }) });
    const b = Sequential.fromConfig(JSON.parse(JSON.stringify(a.getConfig())));
    expect(b.getConfig()).toEqual(a.getConfig());
    const c = sequential();
    c.add(input({ shape: [2], name: 'cfg_in' }));
    c.add(layers.dense({ units: 1, name: 'cfg_d' }));
    const d = layers.deserializeLayer(layers.serializeLayer(c)) as Sequential;
    expect(d.outputs[0].shape).toEqual([null, 1]);
    expect(d.getConfig()).toEqual(c.getConfig());
  });

  it('rejects inputs added late, multi-output layers and non-layers', () => {
    const m = sequential({ layers: [layers.dense({ units: 2 })] });
    expect(() => m.add(input({ shape: [2] }))).toThrow('an input can only be added first');
    expect(() => m.add(3 as never)).toThrow('expected a Layer, got number');
    const split = layers.lambda<'list'>({ function: (t: any) => [t, t] });
    const n = sequential({ layers: [layers.dense({ units: 2, inputShape: [2] })] });
    expect(() => n.add(split)).toThrow('has several outputs; Sequential layers must have one');
  });

  it('leaks nothing across calls', () => {
    const m = sequential({ layers: stack('mem', { inputShape: [5] }) });
    const x = randomTensor([4, 5]);
    expectNoLeaks(() => {
      m.apply(x, { training: true }).dispose();
      m.apply(x).dispose();
    }, 100);
  });
});
