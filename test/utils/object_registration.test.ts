// Keras 3's register_keras_serializable / custom_object_scope / get_custom_objects /
// get_registered_name / get_registered_object (keras/src/saving/object_registration.py and
// its docstring examples).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layers, loadModel, mul, sequential, tensor, utils, type Tensor, type Variable } from '../../src';
import { readZip } from '../../src/saving/zip';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registration-'));

/** x * scale, with the scale a weight. */
class Doubler extends layers.Layer {
  scale: Variable | null = null;
  override build(): void {
    this.scale = this.addWeight('scale', [], 'float32', { className: 'Constant', config: { value: 2 } });
  }
  override call(x: Tensor): Tensor {
    return mul(x, this.scale!);
  }
}
class Tripler extends Doubler {}

const model = (layer: layers.Layer) => {
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' }), layer] });
  m.apply(tensor([[0, 0, 0]]));
  return m;
};
const x = tensor([[1, 2, 3]]);

describe('utils.registerKerasSerializable', () => {
  test("registers 'package>Name' (Keras's docstring example), which getRegisteredObject and getRegisteredName give back", () => {
    class MyDense extends layers.Dense {}
    expect(utils.registerKerasSerializable(MyDense, { package: 'my_package' })).toBe(MyDense);
    expect(utils.getRegisteredObject('my_package>MyDense')).toBe(MyDense);
    expect(utils.getRegisteredName(MyDense)).toBe('my_package>MyDense');
    expect(utils.getCustomObjects()['my_package>MyDense']).toBe(MyDense);
    // Keras's defaults: package 'Custom', the JS name; an unregistered object: its own name.
    const fn = function squash(t: Tensor) {
      return mul(t, 0.5);
    };
    utils.registerKerasSerializable(fn);
    expect(utils.getRegisteredName(fn)).toBe('Custom>squash');
    expect(utils.getRegisteredName(Tripler)).toBe('Tripler');
    expect(utils.getRegisteredObject('nothing')).toBeNull();
    expect(utils.getRegisteredObject('nothing', null, { nothing: fn })).toBe(fn);
    // A frozen copy: mutating it is an error, not a registration that does nothing.
    expect(() => ((utils.getCustomObjects() as Record<string, unknown>).x = fn)).toThrow(TypeError);
  });

  test('a registered custom layer saves under its registered name and loads from the .keras file', async () => {
    utils.registerKerasSerializable(Doubler, { package: 'my_package', name: 'Doubler2' });
    const m = model(new Doubler({ name: 'double' }));
    (m.layers[1] as Doubler).scale!.assign(tensor(3.5));
    const file = path.join(dir, 'doubler.keras');
    await m.save(file);
    const config = JSON.parse(new TextDecoder().decode(readZip(file, new Uint8Array(fs.readFileSync(file))).get('config.json')));
    const entry = config.config.layers.find((l: { config: { name: string } }) => l.config.name === 'double');
    expect([entry.class_name, entry.registered_name]).toEqual(['Doubler2', 'my_package>Doubler2']);
    const loaded = await loadModel(file);
    expect(loaded.layers[1]).toBeInstanceOf(Doubler);
    expect(Array.from((loaded.predict(x) as Tensor).dataSync())).toEqual(Array.from((m.predict(x) as Tensor).dataSync()));
  });

  test('a registered activation function saves by its registered name and loads', async () => {
    const halve = function halve(t: Tensor) {
      return mul(t, 0.5);
    };
    utils.registerKerasSerializable(halve, { package: 'my_package' });
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: halve })] });
    const file = path.join(dir, 'halve.keras');
    await m.save(file);
    const loaded = await loadModel(file);
    expect(Array.from((loaded.predict(x) as Tensor).dataSync())).toEqual(Array.from((m.predict(x) as Tensor).dataSync()));
  });

  test('customObjectScope serves the loads it runs, and only those', async () => {
    const file = path.join(dir, 'tripler.keras');
    await model(new Tripler({ name: 'triple' })).save(file);
    await expect(loadModel(file)).rejects.toThrow(/unknown layer class 'Tripler'/);
    const loaded = await utils.customObjectScope({ Tripler }, () => loadModel(file));
    expect(loaded.layers[1]).toBeInstanceOf(Tripler);
    expect(utils.customObjectScope({ Tripler }, () => utils.getRegisteredObject('Tripler'))).toBe(Tripler);
    expect(utils.getRegisteredObject('Tripler')).toBeNull();
    // Keras: the scope's objects are not the global ones.
    expect(utils.customObjectScope({ Tripler }, () => utils.getCustomObjects().Tripler)).toBeUndefined();
  });

  test('bad arguments raise errors naming the function', () => {
    expect(() => utils.registerKerasSerializable(42 as never)).toThrow(/utils.registerKerasSerializable: expected a class or a function to register, got/);
    class NoConfig {}
    expect(() => utils.registerKerasSerializable(NoConfig)).toThrow(/cannot register a class that does not have a getConfig\(\) method/);
    expect(() => utils.registerKerasSerializable(Tripler, { pkg: 'x' } as never)).toThrow(/pkg/);
    expect(() => utils.registerKerasSerializable(Tripler, { package: '' })).toThrow(/expected package to be a non-empty string/);
    expect(() => utils.registerKerasSerializable(() => 1)).toThrow(/the function has no name/);
    expect(() => utils.customObjectScope({ a: 1 } as never, () => 1)).toThrow(/utils.customObjectScope: customObjects\['a'\]/);
    expect(() => utils.customObjectScope({}, 'f' as never)).toThrow(/utils.customObjectScope: expected a function/);
    expect(() => utils.getRegisteredName('x' as never)).toThrow(/utils.getRegisteredName: expected a class or a function/);
    expect(() => utils.getRegisteredObject(1 as never)).toThrow(/utils.getRegisteredObject: expected a name/);
    expect(() => (utils.getCustomObjects as (...a: unknown[]) => unknown)(1)).toThrow(/utils.getCustomObjects/);
  });
});
