// A registered custom activation ('package>name') saves into .keras in Keras 3.15's own form
// ({module: 'builtins', class_name: 'function', config: 'package>name', registered_name:
// 'function'}, what Keras's Dense.get_config writes, see registered_activation.test.ts's
// fixture), not as the bare string Keras refuses; both Keras's forms of a registered function
// read back. TensorFlow.js's model.json keeps the name.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { readZip, writeZip } from '../../src/saving/zip';

function triple(t: ts.Tensor): ts.Tensor {
  return ts.mul(t, 3);
}
ts.utils.registerKerasSerializable(triple, { package: 'act_pkg' });

type LayerEntry = { class_name: string; config: Record<string, unknown> };

function model(): ts.LayersModel {
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 3, activation: triple, inputShape: [2], name: 'd' })] });
  return m;
}

describe('a registered activation in a .keras file', () => {
  const x = ts.tensor([
    [1, -2],
    [0.5, 4],
  ]);

  test("is written in Keras's form and loads back predicting the same", async () => {
    const m = model();
    expect(m.layers[0].getConfig().activation).toBe('act_pkg>triple');
    const dir = mkdtempSync(join(tmpdir(), 'tessera-activation-'));
    const path = join(dir, 'm.keras');
    await m.save(path);
    const entries = readZip(path, new Uint8Array(readFileSync(path)));
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')!));
    const dense = (config.config.layers as LayerEntry[]).find((l) => l.class_name === 'Dense')!;
    expect(dense.config.activation).toEqual({ module: 'builtins', class_name: 'function', config: 'act_pkg>triple', registered_name: 'function' });
    const want = Array.from((m.predict(x) as ts.Tensor).dataSync());
    const loaded = await ts.loadModel(path);
    expect(loaded.layers[0].getConfig().activation).toBe('act_pkg>triple');
    expect(Array.from((loaded.predict(x) as ts.Tensor).dataSync())).toEqual(want);

    // serialize_keras_object's form (module null, registered_name 'package>name') reads too.
    dense.config.activation = { module: null, class_name: 'function', config: 'triple', registered_name: 'act_pkg>triple' };
    const out = new Map<string, Uint8Array>();
    for (const k of entries.keys()) out.set(k, entries.get(k)!);
    out.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
    const other = join(dir, 'other.keras');
    writeFileSync(other, writeZip(out));
    const again = await ts.loadModel(other);
    expect(Array.from((again.predict(x) as ts.Tensor).dataSync())).toEqual(want);

    // A name nobody registered is an error naming it.
    dense.config.activation = { module: 'builtins', class_name: 'function', config: 'act_pkg>nope', registered_name: 'function' };
    out.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
    const broken = join(dir, 'broken.keras');
    writeFileSync(broken, writeZip(out));
    await expect(ts.loadModel(broken)).rejects.toThrow(/act_pkg>nope/);
  });

  test("TensorFlow.js's format keeps the registered name as a string", async () => {
    const m = model();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-activation-'));
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const layers = (json.modelTopology.model_config ?? json.modelTopology).config.layers as LayerEntry[];
    expect(layers.find((l) => l.class_name === 'Dense')!.config.activation).toBe('act_pkg>triple');
    const loaded = await ts.loadLayersModel(`file://${dir}/model.json`);
    expect(Array.from((loaded.predict(x) as ts.Tensor).dataSync())).toEqual(Array.from((m.predict(x) as ts.Tensor).dataSync()));
  });
});
