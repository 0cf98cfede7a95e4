// A custom layer without getConfig whose options hold a layer, an initializer and an
// activation: its automatic config writes them in Keras's form (serialize_keras_object's
// {module, class_name, config, registered_name}) and fromConfig rebuilds them, so the
// constructor gets objects again. Keras 3.15 refuses such arguments in its own automatic
// config; a Keras layer writing get_config with serialize_keras_object writes the same form
// (scripts/fixtures/make_auto_config_nested_fixture.py), which this Block reads.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';

// Spelled as the Keras layer spells its arguments (units_count), on purpose: the file then means the same to both.
interface BlockArgs extends ts.layers.LayerArgs {
  inner: ts.layers.Layer;
  units_count: number;
  act: ts.activations.ActivationFn;
  init: ts.initializers.Initializer;
  extra?: { tags: string[]; depth: number };
}

class Block extends ts.layers.Layer {
  static override className = 'Block';
  // Fields named as the Keras layer's attributes: its weights are saved under them (layers/block/inner/vars).
  inner: ts.layers.Layer;
  unitsCount: number;
  act: ts.activations.ActivationFn;
  init: ts.initializers.Initializer;
  scale!: ts.Variable;
  constructor(args: BlockArgs) {
    super(args);
    if (!(args.inner instanceof ts.layers.Layer)) throw new Error(`Block: expected inner to be a layer, got ${typeof args.inner}`);
    if (typeof args.act !== 'function') throw new Error(`Block: expected act to be a function, got ${typeof args.act}`);
    this.inner = args.inner;
    this.unitsCount = args.units_count;
    this.act = args.act;
    this.init = args.init;
  }
  override build(shape: ts.SymbolicShape): void {
    // Rebuilt from its build_config when loaded: built already.
    if (!this.inner.built) this.inner.build(shape);
    this.scale = this.addWeight('scale', [this.unitsCount], 'float32', this.init);
  }
  override call(x: ts.Tensor): ts.Tensor {
    return ts.mul(this.act(this.inner.apply(x) as ts.Tensor), this.scale);
  }
}
ts.utils.registerKerasSerializable(Block, { package: 'autoconfig' });

// A subclassed Model that records its options; Keras 3.15's Tower (the fixture) writes get_config in the same form.
class Tower extends ts.Model {
  static override className = 'Tower';
  dense: ts.layers.Layer;
  constructor(readonly args: ts.layers.LayerArgs & { units?: number; act?: ts.activations.ActivationFn }) {
    super(args);
    this.dense = ts.layers.dense({ units: args.units ?? 2, activation: args.act, name: 'dense' });
  }
  override call(x: ts.Tensor): ts.Tensor {
    return this.dense.apply(x) as ts.Tensor;
  }
}
ts.utils.registerKerasSerializable(Tower, { package: 'autoconfig' });

const fixtures = join(__dirname, '..', 'fixtures', 'keras', 'auto_config');
const ref = JSON.parse(readFileSync(join(fixtures, 'block.json'), 'utf8'));
const data = (t: unknown) => Array.from((t as ts.Tensor).dataSync());
const tmp = () => mkdtempSync(join(tmpdir(), 'tessera-autoconfig-nested-'));

function model(): ts.LayersModel {
  const block = new Block({
    inner: ts.layers.dense({ units: 4, name: 'inner' }),
    units_count: 4,
    act: ts.activations.relu,
    init: ts.initializers.constant({ value: 0.3 }),
    extra: { tags: ['a', 'b'], depth: 2 },
    name: 'block',
  });
  return ts.sequential({ layers: [ts.input({ shape: [3] }), block], name: 'nested' });
}

describe('a custom layer whose options hold a layer, an initializer and an activation', () => {
  const x = ts.tensor(ref.input.data, ref.input.shape);

  test("getConfig writes them in Keras's form; fromConfig gives the constructor the objects again", () => {
    const b = model().layers[0] as Block;
    const config = b.getConfig();
    expect(config.inner).toMatchObject({ module: 'keras.layers', class_name: 'Dense', registered_name: null, config: { name: 'inner', units: 4 } });
    expect(config.act).toEqual({ module: 'builtins', class_name: 'function', config: 'relu', registered_name: 'function' });
    expect(config.init).toEqual({ module: 'keras.initializers', class_name: 'Constant', config: { value: 0.3 }, registered_name: null });
    expect(config.units_count).toBe(4);
    const again = Block.fromConfig(config);
    expect(again.inner).toBeInstanceOf(ts.layers.Dense);
    expect(again.inner).not.toBe(b.inner);
    expect(again.act).toBe(ts.activations.relu);
    expect(again.init).toBeInstanceOf(ts.initializers.Constant);
    expect(again.getConfig().extra).toEqual({ tags: ['a', 'b'], depth: 2 });
    expect(again.getConfig()).toEqual(config);
  });

  test('a .keras file holds the entry Keras 3.15 writes for the same layer; it loads back with the same weights', async () => {
    const m = model();
    const want = data(m.predict(x));
    const path = join(tmp(), 'm.keras');
    await m.save(path);
    const config = JSON.parse(new TextDecoder().decode(readZip(path, new Uint8Array(readFileSync(path))).get('config.json')!));
    const entry = (config.config.layers as { class_name: string }[]).find((l) => l.class_name === 'Block') as Record<string, any>;
    const kerasEntry = ref.block_entry;
    expect([entry.module, entry.registered_name]).toEqual([kerasEntry.module, kerasEntry.registered_name]);
    // The same keys, snake_case kept; the same forms for the objects (Dense's whole config, as Keras writes it).
    expect(Object.keys(entry.config).sort()).toEqual(Object.keys(kerasEntry.config).sort());
    for (const k of ['units_count', 'act', 'init', 'extra']) expect([k, entry.config[k]]).toEqual([k, kerasEntry.config[k]]);
    const { shared_object_id: _, ...kerasDtype } = kerasEntry.config.inner.config.dtype;
    expect(entry.config.inner).toMatchObject({ module: 'keras.layers', class_name: 'Dense', registered_name: null });
    // Keras 3.15 also writes its initializers' input_axes / output_axes at null (their default, which Tessera leaves out).
    const kernelInit = { ...kerasEntry.config.inner.config.kernel_initializer, config: { seed: null } };
    expect(entry.config.inner.config).toEqual({ ...kerasEntry.config.inner.config, dtype: kerasDtype, kernel_initializer: kernelInit });
    expect(entry.config.inner.build_config).toEqual(kerasEntry.config.inner.build_config);

    const loaded = await ts.loadModel(path);
    const block = loaded.layers[0] as Block;
    expect(block).toBeInstanceOf(Block);
    expect(block.inner).toBeInstanceOf(ts.layers.Dense);
    expect(data(loaded.predict(x))).toEqual(want);
    // By customObjects instead of the registration: the nested objects come back in that scope too.
    const byCustom = await ts.loadModel(path, { customObjects: { 'autoconfig>Block': Block } });
    expect(data(byCustom.predict(x))).toEqual(want);
  });

  test("TensorFlow.js's format keeps them too", async () => {
    const m = model();
    const dir = tmp();
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const entry = json.modelTopology.config.layers.find((l: { config: { name: string } }) => l.config.name === 'block');
    expect(entry.config.units_count).toBe(4);
    expect(entry.config.inner).toMatchObject({ module: 'keras.layers', class_name: 'Dense' });
    const loaded = await ts.loadLayersModel(`file://${dir}/model.json`);
    expect((loaded.layers[0] as Block).inner).toBeInstanceOf(ts.layers.Dense);
    expect(data(loaded.predict(x))).toEqual(data(m.predict(x)));
  });

  test("Keras 3.15's file of the same layer (get_config with serialize_keras_object) loads and predicts Keras's values", async () => {
    const loaded = await ts.loadModel(join(fixtures, 'block.keras'));
    const block = loaded.layers[0] as Block;
    expect(block).toBeInstanceOf(Block);
    expect(block.inner.name).toBe('inner');
    expect(block.unitsCount).toBe(4);
    expect(block.act).toBe(ts.activations.relu);
    expect(data(block.scale)).toEqual(ref.weights['nested/block/scale'].map((v: number) => Math.fround(v)));
    expectClose(data(loaded.predict(x)), ref.output.data, 1e-5, 1e-6);
  });
});

describe('a custom class among the options', () => {
  // A user's initializer, registered: written as Keras writes a registered class (module null, its registered name).
  class Fill extends ts.initializers.Initializer {
    static override className = 'Fill';
    constructor(readonly args: { value: number }) {
      super();
    }
    apply(shape: number[]): ts.Tensor {
      return ts.fill(shape, this.args.value);
    }
    override getConfig(): Record<string, unknown> {
      return { value: this.args.value };
    }
  }
  ts.utils.registerKerasSerializable(Fill, { package: 'autoconfig' });
  class Filled extends ts.layers.Layer {
    init: ts.initializers.Initializer;
    w!: ts.Variable;
    constructor(args: ts.layers.LayerArgs & { init: ts.initializers.Initializer }) {
      super(args);
      this.init = args.init;
    }
    override build(shape: ts.SymbolicShape): void {
      this.w = this.addWeight('w', [shape[1] as number], 'float32', this.init);
    }
    override call(x: ts.Tensor): ts.Tensor {
      return ts.add(x, this.w);
    }
  }

  test('is written in its registered form and rebuilt as that class', () => {
    const config = new Filled({ init: new Fill({ value: 1.5 }), name: 'filled' }).getConfig();
    // Keras 3.15's serialize_keras_object of the same registered class (scripts/fixtures/make_serialize_keras_object_fixtures.py).
    const keras = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'serialize_keras_object.json'), 'utf8'));
    expect(config.init).toEqual(keras.registered_initializer);
    const again = Filled.fromConfig(config);
    expect(again.init).toBeInstanceOf(Fill);
    expect(data(again.apply(ts.zeros([1, 2])))).toEqual([1.5, 1.5]);
  });
});

describe('layers inside layers', () => {
  // A stack of layers given as a list, one of them a custom layer that records its own options too.
  class Shift extends ts.layers.Layer {
    by: number;
    constructor(args: ts.layers.LayerArgs & { by: number }) {
      super(args);
      this.by = args.by;
    }
    override call(x: ts.Tensor): ts.Tensor {
      return ts.add(x, this.by);
    }
  }
  ts.utils.registerKerasSerializable(Shift, { package: 'autoconfig' });
  class Stack extends ts.layers.Layer {
    steps: ts.layers.Layer[];
    constructor(args: ts.layers.LayerArgs & { steps: ts.layers.Layer[] }) {
      super(args);
      this.steps = args.steps;
    }
    override call(x: ts.Tensor): ts.Tensor {
      return this.steps.reduce((y, l) => l.apply(y) as ts.Tensor, x);
    }
  }
  ts.utils.registerKerasSerializable(Stack, { package: 'autoconfig' });

  test('a list of layers, a custom one among them, saves and loads in both formats', async () => {
    const stack = new Stack({
      steps: [ts.layers.dense({ units: 3, name: 'd1' }), new Shift({ by: 0.5, name: 'shift' }), ts.layers.dense({ units: 2, name: 'd2' })],
    });
    const m = ts.sequential({ layers: [ts.input({ shape: [4] }), stack] });
    const x = ts.tensor([[0.1, 0.2, -0.3, 0.4]]);
    const want = data(m.predict(x));
    const config = stack.getConfig() as { steps: Record<string, unknown>[] };
    expect(config.steps.map((s) => [s.class_name, s.registered_name])).toEqual([
      ['Dense', null],
      ['Shift', 'autoconfig>Shift'],
      ['Dense', null],
    ]);
    for (const format of ['keras', 'tfjs'] as const) {
      const dir = tmp();
      const loaded = format === 'keras' ? await ts.loadModel(await savedKeras(m, dir)) : await ts.loadLayersModel(await saved(m, dir));
      const steps = (loaded.layers[0] as Stack).steps;
      expect([format, steps.map((l) => l.constructor.name)]).toEqual([format, ['Dense', 'Shift', 'Dense']]);
      expect((steps[1] as Shift).by).toBe(0.5);
      expect(data(loaded.predict(x))).toEqual(want);
    }
  });

  test('a class not registered when saved loads by customObjects, its camelCase option read back', async () => {
    class Gain extends ts.layers.Layer {
      gainValue: number;
      constructor(args: ts.layers.LayerArgs & { gainValue: number }) {
        super(args);
        this.gainValue = args.gainValue;
      }
      override call(x: ts.Tensor): ts.Tensor {
        return ts.mul(x, this.gainValue);
      }
    }
    const m = ts.sequential({ layers: [ts.input({ shape: [2] }), new Gain({ gainValue: 3, name: 'gain' })] });
    const loaded = await ts.loadModel(await savedKeras(m, tmp()), { customObjects: { Gain } });
    expect((loaded.layers[0] as Gain).gainValue).toBe(3);
    expect(data(loaded.predict(ts.tensor([[1, 2]])))).toEqual([3, 6]);
  });
});

describe('the keys of a custom layer’s options', () => {
  class Counter extends ts.layers.Layer {
    constructor(readonly args: ts.layers.LayerArgs & Record<string, unknown>) {
      super(args);
    }
    override call(x: ts.Tensor): ts.Tensor {
      return x;
    }
  }
  ts.utils.registerKerasSerializable(Counter, { package: 'autoconfig' });

  test('come back as given, snake_case or camelCase, through both formats', async () => {
    for (const format of ['keras', 'tfjs'] as const) {
      const m = ts.sequential({ layers: [ts.input({ shape: [2] }), new Counter({ units_count: 3, maxValue: 2, mixed_Case: 'fastMode', name: 'c' })] });
      const dir = tmp();
      const loaded = format === 'keras' ? await ts.loadModel(await savedKeras(m, dir)) : await ts.loadLayersModel(await saved(m, dir));
      // Its own options, Layer's (name, dtype, the input's shape and dtype) aside.
      const layerKeys = new Set(['name', 'trainable', 'dtype', 'batchInputShape', 'inputDType']);
      const own = Object.entries((loaded.layers[0] as Counter).args).filter(([k]) => !layerKeys.has(k));
      expect([format, Object.fromEntries(own)]).toEqual([format, { units_count: 3, maxValue: 2, mixed_Case: 'fastMode' }]);
    }
  });

  test("a key read in the other habit than the config's gets its value (a Keras file's units_count read as unitsCount)", () => {
    class Camel extends ts.layers.Layer {
      unitsCount: number;
      constructor(args: ts.layers.LayerArgs & { unitsCount?: number }) {
        super(args);
        this.unitsCount = args.unitsCount ?? 1;
      }
    }
    const c = Camel.fromConfig({ name: 'camel', units_count: 5 });
    expect(c.unitsCount).toBe(5);
    // The config keeps the file's spelling, so the file it saves to says the same.
    expect(c.getConfig()).toEqual({ name: 'camel', trainable: true, dtype: 'float32', units_count: 5 });
  });
});

async function saved(m: ts.layers.Layer, dir: string): Promise<string> {
  await (m as ts.LayersModel).save(`file://${dir}`);
  return `file://${dir}/model.json`;
}

async function savedKeras(m: ts.layers.Layer, dir: string): Promise<string> {
  await (m as ts.LayersModel).save(join(dir, 'm.keras'));
  return join(dir, 'm.keras');
}

describe("Keras 3.15's automatic config, where Tessera's differs (block.json's keras_auto_config)", () => {
  const facts = ref.keras_auto_config;

  test('Keras records the defaults of arguments left out; Tessera, which cannot see a constructor’s defaults, records what was passed', () => {
    expect(facts.defaults_recorded).toMatchObject({ factor: 2, mode: 'mul' });
    class WithDefault extends ts.layers.Layer {
      mode: string;
      constructor(args: ts.layers.LayerArgs & { factor: number; mode?: string }) {
        super(args);
        this.mode = args.mode ?? 'mul';
      }
    }
    const config = new WithDefault({ factor: 2, name: 'with_default' }).getConfig();
    expect(config).toEqual({ name: 'with_default', trainable: true, dtype: 'float32', factor: 2 });
    // Loading runs the same default again.
    expect(WithDefault.fromConfig(config).mode).toBe('mul');
  });

  test('Keras refuses a layer argument; a subclassed Model records its defaults, not the arguments given (units 2 for units=7); Tessera records them', async () => {
    expect(facts.layer_argument).toBe('NotImplementedError');
    expect(facts.model_subclass_units7.units).toBe(2);
    const tower = new Tower({ units: 7, act: ts.activations.tanh, name: 'tower' });
    expect(tower.getConfig()).toMatchObject({ units: 7, act: { class_name: 'function', config: 'tanh' } });
    const x = ts.tensor([[1, -2, 0.5]]);
    const want = data(tower.predict(x));
    for (const format of ['keras', 'tfjs'] as const) {
      const dir = tmp();
      const loaded = format === 'keras' ? await ts.loadModel(await savedKeras(tower, dir)) : await ts.loadLayersModel(await saved(tower, dir));
      expect(loaded).toBeInstanceOf(Tower);
      expect([format, (loaded as Tower).args.units, (loaded as Tower).args.act]).toEqual([format, 7, ts.activations.tanh]);
      expect(data(loaded.predict(x))).toEqual(want);
    }
  });

  test("Keras 3.15's file of a subclassed Model (get_config in the same form) loads into the Model that records its options", async () => {
    const tower = JSON.parse(readFileSync(join(fixtures, 'tower.json'), 'utf8'));
    expect(tower.entry.config).toMatchObject({ units: 3, act: { module: 'builtins', class_name: 'function', config: 'tanh' } });
    const loaded = (await ts.loadModel(join(fixtures, 'tower.keras'))) as Tower;
    expect(loaded).toBeInstanceOf(Tower);
    expect([loaded.args.units, loaded.args.act]).toEqual([3, ts.activations.tanh]);
    expectClose(data(loaded.predict(ts.tensor(tower.input.data, tower.input.shape))), tower.output.data, 1e-5, 1e-6);
  });
});

describe('options that cannot be saved', () => {
  class Holder extends ts.layers.Layer {
    constructor(args: ts.layers.LayerArgs & { table?: unknown }) {
      super(args);
    }
  }

  test('the error names the class, the option, and what to write instead', () => {
    expect(() => new Holder({ table: { rows: [new Map()] } }).getConfig()).toThrow(
      /^Holder\.getConfig: .*option 'table'\.rows\[0\] is a Map.*, which is neither plain data nor an object Keras serializes .*; override getConfig/,
    );
    expect(() => new Holder({ table: (t: ts.Tensor) => t }).getConfig()).toThrow(
      /Holder\.getConfig: .*option 'table' is a function \(table\) that is not a built-in or registered activation \(utils\.registerKerasSerializable registers one\); override getConfig/,
    );
    // A nested layer that cannot give its config: its own error, under the option's name.
    const inner = new Holder({ table: ts.ones([1]), name: 'inner_holder' });
    expect(() => new Holder({ table: inner }).getConfig()).toThrow(/^Holder\.getConfig: option 'table': Holder\.getConfig: .*option 'table' is a Tensor/);
  });

  test('one layer given twice is refused (written twice, it would load as two layers)', async () => {
    const shared = ts.layers.dense({ units: 2, name: 'shared' });
    const holder = new Holder({ table: { first: shared, again: [shared] } });
    expect(() => holder.getConfig()).toThrow(
      /^Holder\.getConfig: .*option 'table'\.again\[0\] is the layer 'shared' \(a Dense\) that option 'table'\.first holds too, which a config would write twice and a load rebuild as two layers; override getConfig/,
    );
  });

  test('a config whose object is of an unknown class fails naming it', () => {
    const config = { name: 'h', table: { module: null, class_name: 'Nope', config: {}, registered_name: 'pkg>Nope' } };
    expect(() => Holder.fromConfig(config)).toThrow(/Holder\.fromConfig: .*unknown class 'pkg>Nope'/);
  });
});
