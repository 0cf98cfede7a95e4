// A TextVectorization with a custom standardize function (Keras's text classification
// tutorial's custom_standardization) saves and loads when the function is registered:
// Keras 3 writes it as {class_name: 'function', config: name, registered_name:
// 'package>name'} (serialize_keras_object) and TextVectorization.from_config
// deserializes it by that name.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../../src';
import { readZip, writeZip } from '../../../src/saving/zip';

function customStandardization(text: string): string {
  return text.toLowerCase().replaceAll('<br />', ' ');
}

function endToEnd(standardize: (s: string) => string): ts.LayersModel {
  const inputs = ts.input({ shape: [1], dtype: 'string' });
  const tv = ts.layers.textVectorization({ standardize, split: 'whitespace', outputSequenceLength: 4, vocabulary: ['good', 'bad', 'movie'] });
  const x = ts.layers.embedding({ inputDim: 5, outputDim: 2 }).apply(tv.apply(inputs));
  const y = ts.layers.dense({ units: 1 }).apply(ts.layers.globalAveragePooling1d().apply(x));
  return ts.model({ inputs, outputs: y as ts.SymbolicTensor });
}

describe('TextVectorization with a registered custom standardize', () => {
  const texts = [['GOOD<br />movie'], ['Bad movie']];

  test("saves by its registered name, in Keras's form, and loads back predicting the same", async () => {
    ts.utils.registerKerasSerializable(customStandardization, { package: 'my_package' });
    const model = endToEnd(customStandardization);
    expect((model.layers[1] as ts.layers.TextVectorization).getConfig().standardize).toBe('my_package>customStandardization');
    const dir = mkdtempSync(join(tmpdir(), 'tessera-standardize-'));
    const path = join(dir, 'model.keras');
    await model.save(path);
    const entries = readZip(path, new Uint8Array(readFileSync(path)));
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')!));
    const layer = (config.config.layers as { class_name: string; config: Record<string, unknown> }[]).find((l) => l.class_name === 'TextVectorization')!;
    expect(layer.config.standardize).toEqual({
      module: null,
      class_name: 'function',
      config: 'customStandardization',
      registered_name: 'my_package>customStandardization',
    });
    expect(layer.config.split).toBe('whitespace');
    const loaded = await ts.loadModel(path);
    const tv = loaded.layers[1] as ts.layers.TextVectorization;
    expect(tv.standardize).toBe(customStandardization);
    expect(Array.from((loaded.predict(texts) as ts.Tensor).dataSync())).toEqual(Array.from((model.predict(texts) as ts.Tensor).dataSync()));
    // The registered name in a config resolves; a name nobody registered is an error naming it.
    const other = ts.layers.textVectorization({ standardize: 'my_package>customStandardization' as never });
    expect(other.standardize).toBe(customStandardization);

    layer.config.standardize = { module: null, class_name: 'function', config: 'nope', registered_name: 'other_package>nope' };
    const out = new Map<string, Uint8Array>();
    for (const k of entries.keys()) out.set(k, entries.get(k)!);
    out.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
    const broken = join(dir, 'broken.keras');
    writeFileSync(broken, writeZip(out));
    await expect(ts.loadModel(broken)).rejects.toThrow(
      /standardize 'other_package>nope' names no registered function; register it with utils.registerKerasSerializable/,
    );
  });

  test('an unregistered function cannot be saved, and the error says how to register it', async () => {
    const model = endToEnd((s) => s.toLowerCase());
    await expect(model.save(join(mkdtempSync(join(tmpdir(), 'tessera-standardize-')), 'm.keras'))).rejects.toThrow(
      /custom standardize function .* cannot be saved in the config; register it with utils.registerKerasSerializable/,
    );
  });
});
