// Names every object inherits ('constructor', 'toString', '__proto__', 'hasOwnProperty') as
// option keys, registry names and values looked up in tables: each is refused by name (never
// found as Object's own function), and nothing reaches Object.prototype.
import { unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { ownEntry } from '../../src/options/own_entry';

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('names every object inherits', () => {
  it("ownEntry finds only a table's own keys", () => {
    const table: Record<string, number> = { a: 1 };
    expect(ownEntry(table, 'a')).toBe(1);
    for (const k of INHERITED) expect(ownEntry(table, k)).toBeUndefined();
    expect(ownEntry(table, 1)).toBeUndefined();
  });

  it.each(INHERITED)('a loss reduction %s is refused', (k) => {
    expect(() => new ts.losses.MeanSquaredError({ reduction: k as never })).toThrow(`unknown reduction '${k}'`);
  });

  it.each(INHERITED)('a variance scaling mode or distribution %s is refused', (k) => {
    expect(() => ts.initializers.varianceScaling({ mode: k as never })).toThrow(`unknown mode '${k}'`);
    expect(() => ts.initializers.varianceScaling({ distribution: k as never })).toThrow(`unknown distribution '${k}'`);
  });

  it.each(INHERITED)('schedules.deserialize of class %s is refused by name', (k) => {
    expect(() => ts.schedules.deserialize({ className: k, config: {} })).toThrow(`schedules.deserialize: unknown schedule '${k}'`);
  });

  it.each(INHERITED)('a dtype %s gets no hint made of a function', (k) => {
    expect(() => ts.zeros([1], k as never)).toThrow(/^zeros: expected dtype to be one of float32, int32, float64, bool, got '.*' \(a string\)$/);
  });

  it.each(['constructor', '__proto__'])('a CSV bool column holding %s is refused', async (k) => {
    const file = join(tmpdir(), `tessera-hostile-${process.pid}.csv`);
    writeFileSync(file, `a\n${k}\n`);
    try {
      const d = ts.data.csv(`file://${file}`, { columnConfigs: { a: { dtype: 'bool' } } });
      await expect(d.toArray()).rejects.toThrow(`expected a bool (true, false, 1 or 0), got '${k}'`);
    } finally {
      unlinkSync(file);
    }
  });
});

describe("data keyed by '__proto__' or 'constructor' keeps the key", () => {
  it('CSV columns so named are read, batched and configured like any other (the __proto__ column was dropped)', async () => {
    const file = join(tmpdir(), `tessera-hostile-cols-${process.pid}.csv`);
    writeFileSync(file, '__proto__,constructor,b\n1,2,3\n4,5,6\n');
    try {
      const rows = (await ts.data.csv(`file://${file}`).toArray()) as Record<string, number>[];
      expect(rows.map((r) => Object.entries(r))).toEqual([
        [
          ['__proto__', 1],
          ['constructor', 2],
          ['b', 3],
        ],
        [
          ['__proto__', 4],
          ['constructor', 5],
          ['b', 6],
        ],
      ]);
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
      // Batched, the __proto__ column became the batch's prototype: a Tensor, so the batch passed for one.
      const [batch] = (await ts.data.csv(`file://${file}`).batch(2).toArray()) as Record<string, ts.Tensor>[];
      expect(batch instanceof ts.Tensor).toBe(false);
      expect(Object.keys(batch)).toEqual(['__proto__', 'constructor', 'b']);
      expect(batch.__proto__.arraySync()).toEqual([1, 4]);
      ts.dispose(Object.values(batch));
      // 'constructor' is no configured column (columnConfigs.constructor is Object).
      const only = await ts.data.csv(`file://${file}`, { columnConfigs: { b: { isLabel: true } }, configuredColumnsOnly: true }).toArray();
      expect(only[0]).toEqual({ xs: {}, ys: { b: 3 } });
    } finally {
      unlinkSync(file);
    }
  });

  it('tree.mapStructure and packSequenceAs keep a JSON __proto__ key', () => {
    const j = JSON.parse('{"__proto__": 1, "a": 2}');
    const mapped = ts.tree.mapStructure((x: unknown) => (x as number) * 10, j) as Record<string, number>;
    expect(Object.entries(mapped)).toEqual([
      ['__proto__', 10],
      ['a', 20],
    ]);
    expect(Object.entries(ts.tree.packSequenceAs(j, [5, 6]) as object)).toEqual([
      ['__proto__', 5],
      ['a', 6],
    ]);
  });
});

describe('option objects', () => {
  it('an inherited option is read and so checked: a misspelled one is an error', () => {
    const options = { units: 2, __proto__: { activaton: 'relu' } };
    expect(() => ts.layers.dense(options as never)).toThrow("Dense: unknown option 'activaton'; did you mean 'activation'?");
    expect(() => ts.layers.dense({ units: 2, __proto__: { polluted: 1 } } as never)).toThrow("Dense: unknown option 'polluted'");
  });

  it('inherited valid options work, in either spelling', () => {
    expect(ts.layers.dense(Object.create({ units: 3 })).units).toBe(3);
    const snake = Object.assign(Object.create({ use_bias: false }), { units: 2 });
    expect(ts.layers.dense(snake).useBias).toBe(false);
  });

  it("JSON's own __proto__ key is an unknown option, and pollutes nothing", () => {
    expect(() => ts.layers.dense(JSON.parse('{"units": 2, "__proto__": {"polluted": 1}}'))).toThrow("Dense: unknown option '__proto__'");
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => m.compile(JSON.parse('{"optimizer": "sgd", "loss": "mse", "__proto__": {"polluted": 1}}'))).toThrow("unknown option '__proto__'");
    m.dispose();
  });

  it('registry lookups by inherited names fail cleanly', () => {
    for (const k of INHERITED) {
      expect(() => ts.losses.get(k)).toThrow(`unknown loss '${k}'`);
      expect(() => ts.activations.get(k)).toThrow(`unknown activation '${k}'`);
      expect(() => ts.optimizers.get(k)).toThrow(`unknown optimizer '${k}'`);
      expect(() => ts.metrics.get(k)).toThrow(`unknown metric '${k}'`);
    }
  });
});

describe('loaded configs', () => {
  const base = (): string => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    const j = m.toJSON();
    m.dispose();
    return typeof j === 'string' ? j : JSON.stringify(j);
  };

  it.each(INHERITED)('a model JSON naming class %s fails by name', async (k) => {
    const j = JSON.parse(base());
    j.config.layers[0].class_name = k;
    await expect(Promise.resolve().then(() => ts.modelFromJSON(JSON.stringify(j)))).rejects.toThrow(`unknown layer class '${k}'`);
    const init = JSON.parse(base());
    init.config.layers[0].config.kernel_initializer.class_name = k;
    await expect(Promise.resolve().then(() => ts.modelFromJSON(JSON.stringify(init)))).rejects.toThrow(`unknown initializer '${k}'`);
  });
});
