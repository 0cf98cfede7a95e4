// FeatureSpace features named as what every object inherits ('__proto__', 'constructor',
// 'toString', 'hasOwnProperty'): plain feature names, as in Keras's Python dicts. Before, a
// '__proto__' feature vanished (assigned, it set the table's prototype) and the others were
// found as Object's own functions ('constructor' had a one-hot encoder: Object).
import * as ts from '../../src';

const FS = ts.utils.FeatureSpace;
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

// { [name]: value, b: ... } with `name` an own key even for '__proto__' (a literal would set the prototype).
const dict = <T>(name: string, value: T, b: unknown): Record<string, T | unknown> => {
  const out: Record<string, unknown> = JSON.parse('{}');
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  out.b = b;
  return out;
};

const space = (name: string, outputMode: 'dict' | 'concat') =>
  new FS({ features: dict(name, 'integer_categorical', 'string_categorical') as never, crosses: [[name, 'b']] as never, outputMode });

const rows = (name: string) => [3, 5, 3].map((v, i) => dict(name, v, ['x', 'y', 'x'][i])) as never[];

describe.each(NAMES)("a feature named '%s'", (name) => {
  it('is a feature: adapted, encoded in the output dict under its name, crossed', async () => {
    const fs = space(name, 'dict');
    expect(Object.keys(fs.features)).toEqual([name, 'b']);
    expect(Object.getPrototypeOf(fs.features)).toBe(Object.prototype);
    await fs.adapt(ts.data.fromArrays(rows(name)));
    const out = fs.apply(dict(name, [3, 5, 7], ['x', 'y', 'z'])) as Record<string, ts.Tensor>;
    // Keras's order: features by sorted name, then crosses.
    expect(Object.keys(out)).toEqual([...[name, 'b'].sort(), `${name}_X_b`]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const vocab = (fs.preprocessors[name] as ts.layers.IntegerLookup).getVocabulary();
    expect(vocab).toEqual([-1, 3, 5]);
    // One-hot over [OOV, 3, 5] and ['[UNK]', 'x', 'y']: 7 and 'z' are out of vocabulary.
    const hot = [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ];
    expect(out[name].arraySync()).toEqual(hot);
    expect(out.b.arraySync()).toEqual(hot);
    expect(out[`${name}_X_b`].shape).toEqual([3, 32]);
    expect(Object.keys(fs.getInputs())).toEqual([name, 'b']);
    ts.dispose(Object.values(out));
  });

  it('round-trips getConfig / fromConfig with the same output', async () => {
    const fs = space(name, 'concat');
    await fs.adapt(ts.data.fromArrays(rows(name)));
    const config = fs.getConfig();
    expect(Object.keys(config.features as object)).toEqual([name, 'b']);
    const back = FS.fromConfig(JSON.parse(JSON.stringify(config))) as ts.utils.FeatureSpace;
    expect(Object.keys(back.features)).toEqual([name, 'b']);
    const input = dict(name, [5, 3], ['y', 'x']);
    const [a, b] = [fs.apply(input) as ts.Tensor, back.apply(input) as ts.Tensor];
    expect(a.shape).toEqual([2, 3 + 3 + 32]);
    expect(b.arraySync()).toEqual(a.arraySync());
    ts.dispose([a, b]);
  });

  it('a column so named is missing unless the dict has it as its own', async () => {
    const fs = space(name, 'dict');
    await fs.adapt(ts.data.fromArrays(rows(name)));
    expect(() => fs.apply({ b: ['x'] })).toThrow(`${fs.name}: missing column '${name}'`);
    await expect(fs.adapt(ts.data.fromArrays([{ b: 'x' }]))).rejects.toThrow(`dataset element 0 has no feature '${name}'`);
  });
});

it('a column named as an inherited name that no feature has is refused', () => {
  const fs = new FS({ features: { a: 'float' }, outputMode: 'dict' });
  for (const name of NAMES) {
    expect(() => fs.apply(dict(name, [1], [1]))).toThrow(`got columns '${name}', 'b' that features does not define (a)`);
    expect(() => new FS({ features: { a: 'float' }, crosses: [['a', name]] })).toThrow(`names feature '${name}' that features does not define (a)`);
  }
});
