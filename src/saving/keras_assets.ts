// Keras 3 keeps an adapted StringLookup / TextVectorization vocabulary out of config.json,
// as an asset file (assets/<layer path>/vocabulary.txt, one token a line, special tokens
// first). A layer whose config came without a vocabulary takes it from that file.
import type { Layer } from '../layers/layer';
import type { ZipEntries } from './zip';

interface VocabularyLayer {
  getVocabulary(): unknown[];
  setVocabulary(vocabulary: string[]): void;
}

function hasVocabulary(l: unknown): l is VocabularyLayer & Layer<any> {
  return typeof (l as VocabularyLayer).setVocabulary === 'function' && typeof (l as VocabularyLayer).getVocabulary === 'function';
}

/** Sets the vocabulary of each string layer left without one from its asset file, when the archive has it. */
export function loadVocabularyAssets(file: string, entries: ZipEntries, model: Layer<any>): void {
  const assets = [...entries.keys()].filter((k) => k.startsWith('assets/') && k.endsWith('/vocabulary.txt'));
  if (assets.length === 0) return;
  for (const layer of model.allLayers()) {
    if (!hasVocabulary(layer)) continue;
    const key = assets.find((k) => k.endsWith(`/${layer.name}/vocabulary.txt`));
    if (key === undefined) continue;
    const text = new TextDecoder().decode(entries.get(key)!);
    const tokens = text.length === 0 ? [] : text.split('\n');
    if (typeof layer.getVocabulary()[0] === 'number') continue; // integerLookup: not a string asset
    try {
      layer.setVocabulary(tokens);
    } catch (e) {
      throw new Error(`${file}: ${key} does not fit layer ${layer.name}: ${(e as Error).message}`, { cause: e });
    }
  }
}
