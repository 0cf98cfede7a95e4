// new Model({ inputs, outputs }): Keras's keras.Model(inputs=..., outputs=...) (Model.__new__
// gives a Functional) and TensorFlow.js's new tf.LayersModel({inputs, outputs}), as the
// Keras tutorials build their models.
import * as ts from '../../src';

function graph(): { inputs: ts.SymbolicTensor; outputs: ts.SymbolicTensor } {
  const inputs = ts.input({ shape: [3] });
  const outputs = ts.layers.dense({ units: 2, activation: 'relu' }).apply(ts.layers.dense({ units: 4 }).apply(inputs)) as ts.SymbolicTensor;
  return { inputs, outputs };
}

describe('new Model({ inputs, outputs })', () => {
  test('is the functional model model() builds, and trains and saves as one', async () => {
    const { inputs, outputs } = graph();
    const m = new ts.Model({ inputs, outputs, name: 'tutorial' });
    expect(m).toBeInstanceOf(ts.Functional);
    expect(m.name).toBe('tutorial');
    expect(m.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Dense', 'Dense']);
    const x = ts.randomNormal([5, 3]);
    const same = ts.model({ inputs, outputs });
    expect(Array.from((m.predict(x) as ts.Tensor).dataSync())).toEqual(Array.from((same.predict(x) as ts.Tensor).dataSync()));
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const h = await m.fit(x, ts.zeros([5, 2]), { epochs: 1, verbose: 0 });
    expect(h.history.loss).toHaveLength(1);
    expect(m.getConfig().layers).toHaveLength(3);
  });

  test("TensorFlow.js's new LayersModel({inputs, outputs}) too", () => {
    const { inputs, outputs } = graph();
    expect(new ts.LayersModel({ inputs, outputs })).toBeInstanceOf(ts.Functional);
  });

  test('a subclass or a plain Model is unchanged; bad graphs and arguments are errors as model() gives', () => {
    class Sub extends ts.Model {
      dense = ts.layers.dense({ units: 1 });
      override call(x: ts.Tensor): ts.Tensor {
        return this.dense.apply(x);
      }
    }
    const { inputs, outputs } = graph();
    expect(() => new Sub({ inputs, outputs } as never)).toThrow(/Sub: got \{inputs, outputs\} \(a graph of symbolic tensors\)/);
    expect(new ts.Model({ name: 'plain' })).not.toBeInstanceOf(ts.Functional);
    expect(() => new ts.Model({ inputs } as never)).toThrow(/outputs: expected a SymbolicTensor, an array or an object of them, got undefined/);
    expect(() => new (ts.Model as new (...a: unknown[]) => unknown)({ inputs, outputs }, 1)).toThrow(/Model: expected at most 1 argument/);
  });
});
