// cloneModel (Keras 3's clone_model), model.toJSON and modelFromJSON: the same architecture
// with new layers and weights; Keras's cloneFunction / callFunction / inputTensors /
// recursive; JSON written by Keras 3's to_json read back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cloneModel, input, layers, model, modelFromJSON, models, sequential, tensor, train, type Functional, type Tensor } from '../../src';
import type { Layer } from '../../src/layers/layer';
import type { SymbolicTensor } from '../../src/layers/symbolic_tensor';

const x5 = () =>
  tensor(
    Array.from({ length: 20 }, (_, i) => Math.sin(i)),
    [5, 4],
  );

/** x -> d1 -> add(h, d1(h)) -> d2: a shared layer and a merge. */
function sharedNet(): Functional {
  const x = input({ shape: [4], name: 'x' });
  const d1 = layers.dense({ units: 4, activation: 'relu', name: 'd1' });
  const h = d1.apply(x) as SymbolicTensor;
  const y = layers.dense({ units: 2, name: 'd2' }).apply(layers.add({ name: 'add' }).apply([h, d1.apply(h) as SymbolicTensor]) as SymbolicTensor);
  return model({ inputs: x, outputs: y as SymbolicTensor, name: 'net' });
}

const values = (t: Tensor) => Array.from(t.dataSync());

describe('cloneModel', () => {
  test('a functional model: same names, shapes and sharing, new weights, the original untouched', () => {
    const m = sharedNet();
    const nodesBefore = m.layers.map((l) => l.inboundNodes.length);
    const c = cloneModel(m);
    expect(c.name).toBe('net');
    expect(c.layers.map((l) => l.name)).toEqual(['x', 'd1', 'add', 'd2']);
    expect(c.weights.map((w) => w.shape)).toEqual(m.weights.map((w) => w.shape));
    // d1 is shared in the clone too: its two calls use one kernel.
    expect(c.layers[1].inboundNodes.length).toBe(2);
    expect(c.weights.some((w) => m.weights.includes(w))).toBe(false);
    expect(values(c.weights[0])).not.toEqual(values(m.weights[0]));
    // With the original's weights the clone computes the same function.
    c.setWeights(m.getWeights());
    expect(values(c.predict(x5()) as Tensor)).toEqual(values(m.predict(x5()) as Tensor));
    expect(m.layers.map((l) => l.inboundNodes.length)).toEqual(nodesBefore);
  });

  test('a compiled model: the clone is compiled alike with its own optimizer, and training it leaves the original as it was', async () => {
    const m = sharedNet();
    m.compile({ optimizer: train.adam(0.01), loss: 'mse', metrics: ['mae'] });
    const c = cloneModel(m);
    expect(c.compiled).not.toBeNull();
    expect(c.compiled!.optimizer).not.toBe(m.compiled!.optimizer);
    expect(c.compiled!.optimizer.getConfig()).toEqual(m.compiled!.optimizer.getConfig());
    const before = m.getWeights().map(values);
    const h = await c.fit(x5(), tensor(new Array(10).fill(0.5), [5, 2]), { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae']);
    expect(m.getWeights().map(values)).toEqual(before);
  });

  test('a Sequential model keeps its input shape; an unbuilt one stays unbuilt', () => {
    const s = sequential({ layers: [layers.dense({ units: 3, inputShape: [4] }), layers.dense({ units: 1 })], name: 'seq' });
    const c = cloneModel(s);
    expect(c.name).toBe('seq');
    expect(c.inputs[0].shape).toEqual([null, 4]);
    expect(c.countParams()).toBe(19);
    const lazy = cloneModel(sequential({ layers: [layers.dense({ units: 2 })] }));
    expect(lazy.built).toBe(false);
    expect((lazy.predict(x5()) as Tensor).shape).toEqual([5, 2]);
  });

  test("cloneFunction and callFunction as Keras's docs use them: shared layers, each Dense followed by an Activation", () => {
    const m = sharedNet();
    const c = cloneModel(m, {
      cloneFunction: (l) => l,
      callFunction: (layer, inputs, options) => {
        const out = layer.apply(inputs, options) as SymbolicTensor;
        return layer.name === 'd2' ? layers.activation({ activation: 'sigmoid' }).apply(out) : out;
      },
    });
    expect(c.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Dense', 'Add', 'Dense', 'Activation']);
    expect(c.weights.every((w) => m.weights.includes(w))).toBe(true);
    const want = values(m.predict(x5()) as Tensor).map((v) => 1 / (1 + Math.exp(-v)));
    values(c.predict(x5()) as Tensor).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  });

  test('cloneFunction sees each layer once (a shared layer is cloned once) and not the input layers', () => {
    const seen: string[] = [];
    cloneModel(sharedNet(), {
      cloneFunction: (l: Layer<any>) => {
        seen.push(l.name);
        return layers.deserializeLayer(layers.serializeLayer(l));
      },
    });
    expect(seen.sort()).toEqual(['add', 'd1', 'd2']);
  });

  test('inputTensors: the clone is built on the given input; a wrong count is an error', () => {
    const given = input({ shape: [4], name: 'given' });
    const c = cloneModel(sharedNet(), { inputTensors: given });
    expect(c.inputs[0]).toBe(given);
    expect(() => cloneModel(sharedNet(), { inputTensors: [given, input({ shape: [4] })] })).toThrow(
      /cloneModel: inputTensors must match the model's inputs \(x\), got 2 tensors/,
    );
  });

  test('recursive clones a nested model layer by layer with cloneFunction; otherwise the nested model is one layer', () => {
    const inner = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], name: 'inner_dense' })], name: 'inner' });
    const x = input({ shape: [4] });
    const outer = model({ inputs: x, outputs: layers.dense({ units: 1, name: 'head' }).apply(inner.apply(x) as SymbolicTensor) as SymbolicTensor });
    const seen = (recursive: boolean) => {
      const names: string[] = [];
      cloneModel(outer, {
        recursive,
        cloneFunction: (l) => (names.push(l.name), layers.deserializeLayer(layers.serializeLayer(l))),
      });
      return names.sort();
    };
    expect(seen(false)).toEqual(['head', 'inner']);
    expect(seen(true)).toEqual(['head', 'inner_dense']);
  });

  test("Keras's refusals: callFunction on a Sequential model, bad options, not a model", () => {
    const s = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => cloneModel(s, { callFunction: (l, i, o) => l.apply(i, o) })).toThrow(/callFunction is not supported with Sequential models/);
    expect(() => cloneModel(s, { cloneFuncton: (l: Layer<any>) => l } as never)).toThrow(
      /cloneModel: unknown option 'cloneFuncton'; did you mean 'cloneFunction'/,
    );
    expect(() => cloneModel(s, { cloneFunction: 3 } as never)).toThrow(/cloneModel: expected cloneFunction to be a function, got 3/);
    expect(() => cloneModel(s, { cloneFunction: () => 3 } as never)).toThrow(/cloneModel: cloneFunction must return a Layer, got 3 for layer/);
    expect(() => cloneModel(layers.dense({ units: 1 }) as never)).toThrow(/cloneModel: expected a Model/);
    expect(models.cloneModel).toBe(cloneModel);
  });
});

describe('toJSON / modelFromJSON', () => {
  test('round trip: the same architecture, fresh weights; the object form too', () => {
    const m = sharedNet();
    const json = m.toJSON();
    expect(typeof json).toBe('string');
    const back = modelFromJSON(json as string);
    expect(back.layers.map((l) => l.name)).toEqual(['x', 'd1', 'add', 'd2']);
    expect(back.countParams()).toBe(m.countParams());
    expect(back.weights.some((w) => m.weights.includes(w))).toBe(false);
    const obj = m.toJSON(null, false) as { class_name: string };
    expect(obj.class_name).toBe('Model');
    expect(models.modelFromJSON(obj).countParams()).toBe(m.countParams());
  });

  test("reads Keras 3's model.to_json() (Sequential and functional, written by Keras 3.15)", () => {
    const read = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/models', name), 'utf8');
    const seq = modelFromJSON(read('keras3_sequential_to_json.json'));
    expect([seq.name, seq.layers.map((l) => l.name), seq.countParams()]).toEqual(['tiny', ['hidden', 'out'], 19]);
    const fun = modelFromJSON<Functional>(read('keras3_functional_to_json.json'));
    expect([fun.name, fun.countParams(), fun.outputs[0].shape]).toEqual(['fun', 12, [null, 7]]);
  });

  test('bad JSON, a model.json that lists weights and a layer are errors naming modelFromJSON', () => {
    expect(() => modelFromJSON('{"class_name": ')).toThrow(/modelFromJSON: the string is not JSON/);
    expect(() => modelFromJSON(42 as never)).toThrow(/modelFromJSON: expected a model's JSON/);
    expect(() => modelFromJSON({ modelTopology: JSON.parse(sharedNet().toJSON() as string), weightsManifest: [{ paths: ['w.bin'], weights: [] }] })).toThrow(
      /lists weight files; modelFromJSON builds the architecture only/,
    );
    expect(() => modelFromJSON({ class_name: 'Dense', config: { units: 2, name: 'lonely' } })).toThrow(/describes a layer \(Dense\), not a model/);
    // Keras 3 writes optional: false for every input; an optional input is refused, not ignored.
    const optional = fs
      .readFileSync(path.join(__dirname, '../fixtures/models/keras3_sequential_to_json.json'), 'utf8')
      .replace('"optional": false', '"optional": true');
    expect(() => modelFromJSON(optional)).toThrow(/sets optional = true \(a boolean\), which Tessera does not support/);
  });
});
