// Keras 3's keras.utils.Config (keras/src/utils/config.py): attribute and key access, freeze /
// unfreeze, as_dict / to_json, sorted iteration, unknown attributes as errors.
import { inspect } from 'node:util';
import * as ts from '../../src';

const { Config } = ts.utils;

describe('utils.Config', () => {
  test("Keras's docstring example: attributes and keys, then frozen", () => {
    const config = new Config({ learningRate: 0.1, momentum: 0.9 });
    config.useEma = true;
    config.set('seed', 123);
    expect(config.seed).toBe(123);
    expect(config.get('learningRate')).toBe(0.1);
    expect(config.get('missing')).toBeNull();
    expect(config.get('missing', 5)).toBe(5);
    expect(config.keys()).toEqual(['learningRate', 'momentum', 'useEma', 'seed']);
    expect(config.size).toBe(4);
    expect([...config]).toEqual(['learningRate', 'momentum', 'seed', 'useEma']);
    expect(config.asDict()).toEqual({ learningRate: 0.1, momentum: 0.9, useEma: true, seed: 123 });
    expect(JSON.parse(config.toJson())).toEqual(config.asDict());
    expect('seed' in config && config.has('seed')).toBe(true);
    config.freeze();
    expect(config.frozen).toBe(true);
    expect(() => {
      config.foo = 'bar';
    }).toThrow(/Config.foo: cannot change the config: it is frozen/);
    expect(() => config.set('seed', 1)).toThrow(/frozen/);
    expect(() => config.pop('seed')).toThrow(/frozen/);
    expect(() => config.update({ a: 1 })).toThrow(/frozen/);
    config.unfreeze();
    expect(config.pop('seed')).toBe(123);
    expect(config.pop('seed', 'gone')).toBe('gone');
    config.update({ a: 1 });
    expect(config.a).toBe(1);
  });

  test('an unknown attribute is an error with a suggestion, as Keras', () => {
    const config = new Config({ learningRate: 0.1 });
    expect(() => config.learningRat).toThrow(/Config: unknown attribute 'learningRat'; did you mean 'learningRate'\?/);
    expect(() => config.pop('nope')).toThrow(/Config.pop: unknown key 'nope'/);
    // Names JavaScript probes (await, JSON) are absent, not errors.
    expect(config.then).toBeUndefined();
    expect(JSON.stringify(config)).toBe('{"learningRate":0.1}');
    expect(inspect(config)).toBe('Config { learningRate: 0.1 }');
  });

  test('bad arguments name the method', () => {
    expect(() => new Config([1] as never)).toThrow(/utils.Config: expected an object of named values/);
    expect(() => new (Config as unknown as new (...a: unknown[]) => unknown)({}, 2)).toThrow(/utils.Config: expected at most 1 argument/);
    const config = new Config();
    expect(() => {
      (config as unknown as Record<string, unknown>).keys = 3;
    }).toThrow(/'keys' is a method or property of Config; set it as a key with config.set\('keys', value\)/);
    expect(() => config.update(3 as never)).toThrow(/Config.update: expected an object/);
    expect(() => (config.freeze as (...a: unknown[]) => void)(1)).toThrow(/Config.freeze: expected at most 0 arguments/);
  });
});
