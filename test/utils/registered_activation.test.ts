// A function registered with registerKerasSerializable serves as an activation by its
// registered name 'package>name' (test/fixtures/keras/registered_activation, written by
// Keras 3.15 with scripts/fixtures/make_registered_activation_fixture.py): Keras writes such
// an activation as {class_name: 'function', config: 'my_package>halve'} and loads it by
// that name; Tessera's configs hold it as the string 'my_package>halve', so the string
// resolves. Keras 3.15's activations.get refuses the bare string (only the config dict or
// the function resolve there); Tessera takes it, as the config form of the same function.
// The function's own name ('halve') resolves in neither.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activations, layers, loadModel, mul, tensor, utils, type Tensor } from '../../src';
import { expectClose } from '../helpers/reference';

const root = path.join(__dirname, '..', 'fixtures', 'keras', 'registered_activation');
const ref = JSON.parse(fs.readFileSync(path.join(root, 'halve.json'), 'utf8'));

describe('a registered function as an activation', () => {
  test('an unregistered one in a Keras file is an error naming it', async () => {
    await expect(loadModel(path.join(root, 'halve.keras'))).rejects.toThrow(/my_package>halve/);
  });

  test("Keras 3.15's file loads with the registered function and predicts Keras's values", async () => {
    const halve = function halve(t: Tensor) {
      return mul(t, 0.5);
    };
    utils.registerKerasSerializable(halve, { package: 'my_package' });
    expect(ref.activation_config).toMatchObject({ class_name: 'function', config: 'my_package>halve' });
    const m = await loadModel(path.join(root, 'halve.keras'));
    const y = m.predict(tensor(ref.input.data, ref.input.shape)) as Tensor;
    expect(y.shape).toEqual(ref.output.shape);
    expectClose(y.dataSync(), ref.output.data, 1e-6, 1e-7);
    // The registered name resolves (Tessera's config form); the function's own name does not, as in Keras.
    expect(activations.get('my_package>halve')).toBeDefined();
    expect(ref.get_refuses_bare_name).toBe(true);
    expect(() => activations.get('halve')).toThrow(/halve/);
    const dense = layers.dense({ units: 2, activation: 'my_package>halve' });
    expect(dense.getConfig().activation).toBe('my_package>halve');
    const x = tensor([2, -4], [1, 2]);
    expect(Array.from((activations.get('my_package>halve') as (t: Tensor) => Tensor)(x).dataSync())).toEqual([1, -2]);
  });
});
