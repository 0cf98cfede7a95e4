// The configs Keras 3.15 writes for common layers (test/fixtures/keras/config_keys.json, made
// by scripts/fixtures/make_config_keys_fixtures.py): Tessera reads each as it is, and writes
// every key Keras writes for the same layer (Tessera may write more: its own options).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers } from '../../src';
import { layerFromDisk, layerToDisk } from '../../src/saving/model_config';
import { serializeLayer } from '../../src/layers/serialization';

type Json = Record<string, any>;
const fx: { layers: Record<string, Json> } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keras', 'config_keys.json'), 'utf8'));

describe('configs as Keras 3.15 writes them', () => {
  for (const [className, entry] of Object.entries(fx.layers)) {
    test(`${className}: read as written, and written with Keras's keys`, () => {
      const read = layerFromDisk(entry, 'keras', 'config_keys.json');
      const layer = layers.deserializeLayer(read);
      const written = layerToDisk(serializeLayer(layer), 'keras') as Json;
      expect(written.class_name).toBe(entry.class_name);
      const missing = Object.keys(entry.config).filter((k) => !(k in written.config));
      expect(missing).toEqual([]);
      // And what Tessera writes reads back.
      expect(() => layers.deserializeLayer(layerFromDisk(written, 'keras', 'written'))).not.toThrow();
    });
  }
});

describe('keys Keras writes for features Tessera lacks', () => {
  test('quantization_config: null reads; a set one is refused naming the layer and the key', () => {
    const entry = fx.layers.Embedding;
    const quantized = { ...entry, config: { ...entry.config, quantization_config: { class_name: 'Int8QuantizationConfig', config: {} } } };
    expect(() => layerFromDisk(quantized, 'keras', 'q.keras')).toThrow(
      /q.keras: layer Embedding 'embedding' sets quantizationConfig = an object, which Tessera does not support/,
    );
    const renorm = { ...fx.layers.BatchNormalization, config: { ...fx.layers.BatchNormalization.config, renorm: true } };
    expect(() => layerFromDisk(renorm, 'keras', 'bn.keras')).toThrow(
      /bn.keras: layer BatchNormalization .* sets renorm = true \(a boolean\), which Tessera does not support/,
    );
  });

  test('an activity regularizer is written as itself, not as the null default', () => {
    const layer = layers.embedding({ inputDim: 5, outputDim: 2, activityRegularizer: 'l2' });
    const written = layerToDisk(serializeLayer(layer), 'keras') as Json;
    expect(written.config.activity_regularizer).toMatchObject({ class_name: 'L2' });
    expect(written.config.quantization_config).toBeNull();
    const back = layers.deserializeLayer(layerFromDisk(written, 'keras', 'written'));
    expect(back.activityRegularizer).not.toBeNull();
  });
});
