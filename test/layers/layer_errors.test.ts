// An op failing inside a layer names the layer it ran for (Keras's "when calling layer ...").
import * as ts from '../../src';

describe('errors from inside a layer name the layer', () => {
  it('an op deep in call names the innermost layer once', () => {
    const up = ts.layers.upSampling2d({ size: [100000, 100000], name: 'big_up' });
    expect(() => up.apply(ts.ones([1, 2, 2, 1]))).toThrow(/^broadcastTo: .*\(in layer 'big_up', UpSampling2D\)$/);
    const model = ts.sequential({ name: 'outer', layers: [ts.layers.zeroPadding2d({ padding: [100000, 100000], inputShape: [2, 2, 1], name: 'pad_it' })] });
    let message = '';
    try {
      model.predict(ts.ones([1, 2, 2, 1]));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^pad: .*\(in layer 'pad_it', ZeroPadding2D\)$/);
    expect(message).not.toMatch(/outer/);
  });

  it('a weight that cannot be made names the layer building it (symbolic and eager)', () => {
    expect(() => ts.layers.dense({ units: 2 ** 31, name: 'huge_dense' }).apply(ts.input({ shape: [4] }))).toThrow(/\(in layer 'huge_dense', Dense\)$/);
    expect(() => ts.layers.embedding({ inputDim: 2 ** 31, outputDim: 8, name: 'huge_table' }).apply(ts.ones([1, 2], 'int32'))).toThrow(
      /\(in layer 'huge_table', Embedding\)$/,
    );
  });

  it("a message that names the layer already is left as it is, and the error's class stays", () => {
    class Strict extends ts.layers.Layer {
      override call(): ts.Tensor {
        throw new RangeError(`${this.name}: refuses everything`);
      }
    }
    const layer = new Strict({ name: 'strict_one' });
    let caught: unknown;
    try {
      layer.apply(ts.ones([2]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as Error).message).toBe('strict_one: refuses everything');
  });
});
