// A custom layer that passes its options object up (super(args)) and writes no getConfig
// saves and loads, as Keras 3 records a layer's arguments itself (Operation.__new__,
// Layer.get_config): its config is Layer's options merged with those it passed up, when
// they are plain data (or layers, initializers, regularizers, constraints, registered activations:
// test/saving/auto_config_nested.test.ts);
// fromConfig calls new cls(config). Keras 3.15's own file of the same layer
// (scripts/fixtures/make_auto_config_fixture.py) loads and predicts Keras's values.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';

interface ScaleArgs extends ts.layers.LayerArgs {
  factor: number;
  mode?: 'mul' | 'add';
  sizes?: number[] | null;
  tag?: string;
}

// The common pattern: the whole options object goes up; the layer keeps what it reads.
class Scale extends ts.layers.Layer {
  static override className = 'Scale';
  factor: number;
  mode: string;
  offset!: ts.Variable;
  constructor(args: ScaleArgs) {
    super(args);
    this.factor = args.factor;
    this.mode = args.mode ?? 'mul';
  }
  override build(inputShape: ts.SymbolicShape): void {
    this.offset = this.addWeight('offset', [inputShape[inputShape.length - 1] as number], 'float32', 'randomNormal');
  }
  override call(x: ts.Tensor): ts.Tensor {
    const y = this.mode === 'mul' ? ts.mul(x, this.factor) : ts.add(x, this.factor);
    return ts.add(y, this.offset);
  }
}
ts.utils.registerKerasSerializable(Scale, { package: 'autoconfig' });

const fixtures = join(__dirname, '..', 'fixtures', 'keras', 'auto_config');
const ref = JSON.parse(readFileSync(join(fixtures, 'scale.json'), 'utf8'));
const data = (t: unknown) => Array.from((t as ts.Tensor).dataSync());

function model(): ts.LayersModel {
  return ts.sequential({
    layers: [ts.input({ shape: [3] }), ts.layers.dense({ units: 4 }), new Scale({ factor: 2.5, mode: 'add', sizes: [1, 2], tag: 'fastMode', name: 'scale' })],
  });
}

describe('a custom layer without getConfig', () => {
  const x = ts.tensor(ref.input.data, ref.input.shape);

  test("getConfig holds the options it passed up, merged with Layer's; fromConfig rebuilds it", () => {
    const s = new Scale({ factor: 2, sizes: [3], name: 's1' });
    expect(s.getConfig()).toEqual({ name: 's1', trainable: true, dtype: 'float32', factor: 2, sizes: [3] });
    const again = Scale.fromConfig(s.getConfig());
    expect(again).toBeInstanceOf(Scale);
    expect([again.name, again.factor, again.mode]).toEqual(['s1', 2, 'mul']);
    // What the constructor got is copied: changing the caller's object later changes nothing.
    const args: ScaleArgs = { factor: 1 };
    const t = new Scale(args);
    args.factor = 7;
    expect(t.getConfig().factor).toBe(1);
  });

  test('saves to .keras as Keras writes it and loads back, registered or by customObjects', async () => {
    const m = model();
    const want = data(m.predict(x));
    const dir = mkdtempSync(join(tmpdir(), 'tessera-autoconfig-'));
    const path = join(dir, 'm.keras');
    await m.save(path);
    const entries = readZip(path, new Uint8Array(readFileSync(path)));
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')!));
    const entry = (config.config.layers as { class_name: string }[]).find((l) => l.class_name === 'Scale') as Record<string, any>;
    // Keras 3.15's entry for the same layer (the fixture) has these keys and values.
    expect(entry.registered_name).toBe(ref.scale_entry.registered_name);
    expect(entry.module).toBe(null);
    for (const k of ['name', 'factor', 'mode', 'sizes', 'trainable']) expect([k, entry.config[k]]).toEqual([k, ref.scale_entry.config[k]]);
    expect(entry.config.dtype).toMatchObject({ class_name: 'DTypePolicy', config: { name: 'float32' } });
    // Its own string values as given (built-in layers' enum values go snake_case, as Keras spells them).
    expect(entry.config.tag).toBe('fastMode');

    const loaded = await ts.loadModel(path);
    expect(loaded.layers[1]).toBeInstanceOf(Scale);
    expect((loaded.layers[1] as Scale).mode).toBe('add');
    expect(loaded.layers[1].getConfig().tag).toBe('fastMode');
    expect(data(loaded.predict(x))).toEqual(want);
    const byCustomObjects = await ts.loadModel(path, { customObjects: { 'autoconfig>Scale': Scale } });
    expect(data(byCustomObjects.predict(x))).toEqual(want);
  });

  test("saves to TensorFlow.js's format and loads back", async () => {
    const m = model();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-autoconfig-'));
    await m.save(`file://${dir}`);
    const loaded = await ts.loadLayersModel(`file://${dir}/model.json`);
    expect((loaded.layers[1] as Scale).factor).toBe(2.5);
    expect(loaded.layers[1].getConfig().tag).toBe('fastMode');
    expect(data(loaded.predict(x))).toEqual(data(m.predict(x)));
  });

  test("Keras 3.15's file of the same layer (no get_config) loads and predicts Keras's values", async () => {
    const loaded = await ts.loadModel(join(fixtures, 'scale.keras'));
    const scale = loaded.layers[1] as Scale;
    expect(scale).toBeInstanceOf(Scale);
    expect([scale.name, scale.factor, scale.mode]).toEqual(['scale', 2.5, 'add']);
    expect(scale.getConfig().sizes).toEqual([1, 2]);
    expectClose(data(loaded.predict(x)), ref.output.data, 1e-5, 1e-6);
  });

  test("initializers, regularizers, constraints and activations are saved in Keras's form and rebuilt", async () => {
    class Projection extends ts.layers.Layer {
      kernel!: ts.Variable;
      constructor(
        readonly args: ts.layers.LayerArgs & {
          units: number;
          init: ts.initializers.Initializer;
          reg: ts.regularizers.Regularizer;
          act: ts.activations.ActivationFn;
          limits: { max: ts.constraints.Constraint };
        },
      ) {
        super(args);
      }
      override build(shape: ts.SymbolicShape): void {
        this.kernel = this.addWeight({
          name: 'kernel',
          shape: [shape[1] as number, this.args.units],
          initializer: ts.initializers.get(this.args.init),
          regularizer: ts.regularizers.get(this.args.reg),
        });
      }
      override call(x: ts.Tensor): ts.Tensor {
        return ts.activations.get(this.args.act)(ts.matMul(x, this.kernel));
      }
    }
    const p = new Projection({
      units: 2,
      init: ts.initializers.constant({ value: 0.5 }),
      reg: ts.regularizers.l2({ l2: 0.1 }),
      act: ts.activations.relu,
      limits: { max: ts.constraints.maxNorm({ maxValue: 2 }) },
    });
    const config = p.getConfig();
    // Keras's serialize_keras_object form; fromConfig gives the constructor the objects again.
    expect(config.init).toEqual({ module: 'keras.initializers', class_name: 'Constant', config: { value: 0.5 }, registered_name: null });
    expect(config.reg).toMatchObject({ module: 'keras.regularizers', class_name: 'L2' });
    expect(config.act).toEqual({ module: 'builtins', class_name: 'function', config: 'relu', registered_name: 'function' });
    expect((config.limits as { max: unknown }).max).toMatchObject({ module: 'keras.constraints', class_name: 'MaxNorm' });
    const again = Projection.fromConfig(config);
    expect(again.args.init).toBeInstanceOf(ts.initializers.Constant);
    expect(again.args.act).toBe(ts.activations.relu);
    expect(again.args.limits.max).toBeInstanceOf(ts.constraints.MaxNorm);
    expect(data(again.apply(ts.tensor([[1, -3]])))).toEqual([0, 0]);
    expect(data(again.apply(ts.tensor([[1, 3]])))).toEqual([2, 2]);
    expect(again.losses.length).toBe(1);
  });

  test('values that are not plain data, and constructors it cannot call, are errors saying what to write', async () => {
    class Holder extends ts.layers.Layer {
      constructor(args: ts.layers.LayerArgs & { table: unknown }) {
        super(args);
      }
      override call(x: ts.Tensor): ts.Tensor {
        return x;
      }
    }
    expect(() => new Holder({ table: ts.ones([2]) }).getConfig()).toThrow(
      /Holder\.getConfig: Tessera records the options a custom layer passes to super\(args\) as its config .*, but option 'table' is a Tensor \(shape \[2\], float32\), which is neither plain data nor an object Keras serializes .*; override getConfig/,
    );
    expect(() => new Holder({ table: { inner: [1, new Map()] } }).getConfig()).toThrow(/option 'table'\.inner\[1\] is a Map/);
    expect(() => new Holder({ table: (t: ts.Tensor) => t }).getConfig()).toThrow(
      /option 'table' is a function \(table\) that is not a built-in or registered activation/,
    );
    expect(() => new Holder({ table: NaN }).getConfig()).toThrow(/option 'table' is NaN, which JSON cannot hold/);
    // Positional parameters: fromConfig's new cls(config) cannot call the constructor.
    class Positional extends ts.layers.Layer {
      constructor(
        readonly units: number,
        args: ts.layers.LayerArgs & { extra?: number },
      ) {
        super(args);
      }
    }
    expect(() => new Positional(3, { extra: 1 }).getConfig()).toThrow(
      /Positional\.getConfig: .*its constructor takes 2 parameters, and fromConfig passes one options object/,
    );
    // Saving says the same.
    const m = ts.sequential({ layers: [ts.input({ shape: [2] }), new Holder({ table: ts.ones([2]) })] });
    await expect(m.save(join(mkdtempSync(join(tmpdir(), 'tessera-autoconfig-')), 'm.keras'))).rejects.toThrow(
      /Holder\.getConfig: .*option 'table' is a Tensor/,
    );
  });

  test('a layer that passed only some options up keeps the fromConfig error naming what to write', () => {
    class Partial extends ts.layers.Layer {
      units: number;
      constructor(args: ts.layers.LayerArgs & { units: number }) {
        super({ name: args.name });
        if (!Number.isInteger(args.units)) throw new Error(`Partial: expected units to be an integer, got ${String(args.units)}`);
        this.units = args.units;
      }
    }
    const p = new Partial({ units: 3, name: 'part' });
    expect(p.getConfig()).toEqual({ name: 'part', trainable: true, dtype: 'float32' });
    expect(() => Partial.fromConfig(p.getConfig())).toThrow(
      /Partial\.fromConfig: rebuilding from its config \{ name, trainable, dtype \} failed \(Partial: expected units to be an integer, got undefined\); Partial does not override getConfig, so its config holds Layer's options and those its constructor passed to super\(args\): pass the constructor's whole options object up \(super\(args\)\)/,
    );
  });

  test('a class that writes getConfig keeps its own (nothing merged); built-in layers are unchanged', () => {
    class Own extends ts.layers.Layer {
      units: number;
      constructor(args: ts.layers.LayerArgs & { units: number; unused?: string }) {
        super(args);
        this.units = args.units;
      }
      override getConfig(): Record<string, unknown> {
        return { ...super.getConfig(), units: this.units };
      }
    }
    expect(new Own({ units: 2, unused: 'x', name: 'own' }).getConfig()).toEqual({ name: 'own', trainable: true, dtype: 'float32', units: 2 });
    expect(Object.keys(ts.layers.dropout({ rate: 0.5 }).getConfig()).sort()).toEqual(['dtype', 'name', 'noiseShape', 'rate', 'seed', 'trainable']);
  });
});
