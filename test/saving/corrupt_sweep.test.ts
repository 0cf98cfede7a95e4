// The corrupted-file sweep: a model saved in every format (TensorFlow.js folder, .keras,
// Keras 2 .h5, .weights.h5, a weights folder), damaged many ways (truncated, bytes
// flipped, ranges zeroed, blocks or entries swapped), each damaged copy loaded in a child
// process. Every load must end in a clear error naming the file, or load the very same
// model: no crash, no hang, no silently different model, nothing printed on stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { tensor, type Tensor } from '../../src';
import { damages, seeded, type DamageCounts } from './sweep/damage';
import { legacyH5 } from './sweep/legacy_h5_file';
import type { SweepCase } from './sweep/load_child';
import { runCases, type Outcome } from './sweep/run_cases';
import { sweepInput, sweepModel } from './sweep/sweep_model';
import { tempDir } from './helpers';

const dir = tempDir();

/** A format's saved files: one file, or a folder's files. */
interface Saved {
  format: string;
  load: 'model' | 'weights';
  /** The path to load: the file, or the folder. */
  target: string;
  /** The folder's files (name -> bytes), or the one file's. */
  files: Map<string, Uint8Array>;
  /**
   * Formats whose files have no checksum over the weight values (Keras 2 .h5, written by
   * others): a changed value there loads as it is, as it does in Keras.
   */
  unprotectedData: boolean;
}

const COUNTS: DamageCounts = { truncations: 10, flips: 24, zeroed: 8, swaps: 6 };

interface SweepRow extends SweepCase {
  format: string;
  file: string;
  what: string;
  /** The damage touched only the bytes of weight values. */
  inData: boolean;
  unprotectedData: boolean;
}

const readFolder = (d: string) => new Map(fs.readdirSync(d).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(d, f)))]));

// Where the bytes of each weight value lie in a file (found by their contents).
function dataRanges(bytes: Uint8Array, values: Float32Array[]): [number, number][] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return values.flatMap((v) => {
    const at = buf.indexOf(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    return at < 0 ? [] : [[at, at + v.byteLength] as [number, number]];
  });
}

async function saveEveryFormat(): Promise<{ saved: Saved[]; values: Float32Array[] }> {
  const model = sweepModel();
  // Fixed values (not a random initialization), so every run damages the same bytes.
  const rand = seeded(7);
  const values = model.weights.map((w) => Float32Array.from({ length: w.size }, () => rand() * 2 - 1));
  model.setWeights(model.weights.map((w, i) => tensor(values[i], w.shape)));
  const p = (name: string) => path.join(dir, 'pristine', name);
  fs.mkdirSync(p(''), { recursive: true });
  await model.save(p('tfjs'));
  await model.save(p('model.keras'));
  await model.saveWeights(p('model.weights.h5'));
  await model.saveWeights(p('weights'));
  const json = JSON.parse(fs.readFileSync(path.join(p('tfjs'), 'model.json'), 'utf8'));
  const named = ['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias'].map((name, i) => ({ name, shape: [...model.weights[i].shape], values: values[i] }));
  fs.writeFileSync(p('keras2.h5'), await legacyH5(json, named));
  const one = (f: string) => new Map([[path.basename(f), new Uint8Array(fs.readFileSync(f))]]);
  const saved: Saved[] = [
    { format: 'tfjs folder', load: 'model', target: p('tfjs'), files: readFolder(p('tfjs')), unprotectedData: false },
    { format: '.keras', load: 'model', target: p('model.keras'), files: one(p('model.keras')), unprotectedData: false },
    { format: 'keras 2 .h5', load: 'model', target: p('keras2.h5'), files: one(p('keras2.h5')), unprotectedData: true },
    { format: '.weights.h5', load: 'weights', target: p('model.weights.h5'), files: one(p('model.weights.h5')), unprotectedData: false },
    { format: 'weights folder', load: 'weights', target: p('weights'), files: readFolder(p('weights')), unprotectedData: false },
  ];
  model.dispose();
  return { saved, values };
}

// Writes a damaged copy of `s` (its file `file` replaced by `bytes`, or other files too) and returns where it is.
function writeCopy(s: Saved, id: number, replaced: Map<string, Uint8Array>): string {
  const caseDir = path.join(dir, 'cases', String(id));
  fs.mkdirSync(caseDir, { recursive: true });
  const folder = s.files.size > 1 || fs.statSync(s.target).isDirectory();
  const target = path.join(caseDir, path.basename(s.target));
  if (folder) fs.mkdirSync(target);
  for (const [name, bytes] of s.files) fs.writeFileSync(folder ? path.join(target, name) : target, replaced.get(name) ?? bytes);
  return target;
}

// Damages that know the format: entries of a zip swapped or reordered, a folder's files swapped.
function structuralDamages(s: Saved): { what: string; replaced: Map<string, Uint8Array> }[] {
  const out: { what: string; replaced: Map<string, Uint8Array> }[] = [];
  const [name, bytes] = [...s.files][0];
  if (name.endsWith('.keras')) {
    const entries = unzipSync(bytes);
    const keys = Object.keys(entries);
    const swapped = Object.fromEntries(keys.map((k, i) => [k, entries[keys[(i + 1) % keys.length]]]));
    out.push({ what: 'zip entries swapped', replaced: new Map([[name, zipSync(swapped, { level: 0 })]]) });
    out.push({
      what: 'zip entries reordered',
      replaced: new Map([[name, zipSync(Object.fromEntries(keys.reverse().map((k) => [k, entries[k]])), { level: 0 })]]),
    });
  }
  if (s.files.size > 1) {
    const names = [...s.files.keys()];
    out.push({ what: `files ${names.join(' <-> ')} swapped`, replaced: new Map(names.map((n, i) => [n, s.files.get(names[(i + 1) % names.length])!])) });
    const jsonName = names.find((n) => n.endsWith('.json'))!;
    const json = JSON.parse(new TextDecoder().decode(s.files.get(jsonName)));
    json.weightsManifest[0].weights.reverse();
    out.push({ what: 'manifest weights reversed', replaced: new Map([[jsonName, new TextEncoder().encode(JSON.stringify(json))]]) });
  }
  return out;
}

type Kind = 'clean error' | 'unclear error' | 'noisy' | 'loaded same' | 'silent wrong' | 'wrong, unprotected data' | 'crash' | 'hang';

// Errors in the implementation's terms rather than the file's.
const RAW =
  /name not defined|Maximum call stack|EISDIR|ENOENT|Cannot read propert|is not a function|is not iterable|Invalid typed array|Offset is outside|\[object Object\]/;

function classify(row: SweepRow, o: Outcome): Kind {
  if (o.kind === 'crash' || o.kind === 'hang') return o.kind;
  if (o.kind === 'loaded' && !o.same) return row.unprotectedData && row.inData ? 'wrong, unprotected data' : 'silent wrong';
  if (o.stderrBytes > 0) return 'noisy';
  if (o.kind === 'error') return RAW.test(o.message) || !o.message.includes(row.path) ? 'unclear error' : 'clean error';
  return 'loaded same';
}

test('damaged files in every format load cleanly or not at all', async () => {
  const { saved, values } = await saveEveryFormat();
  const reference = sweepModel();
  const x = sweepInput();
  reference.setWeights(reference.weights.map((w, i) => tensor(values[i], w.shape)));
  const expected = { outputs: Array.from((reference.apply(x) as Tensor).dataSync()), weights: values.flatMap((v) => Array.from(v)) };
  const rows: SweepRow[] = [];
  let id = 0;
  saved.forEach((s, si) => {
    for (const [file, bytes] of s.files) {
      const ranges = dataRanges(bytes, values);
      for (const d of damages(bytes, 1000 * si + file.length, COUNTS)) {
        // Only weight values changed (a truncation also loses the file's structure).
        const changed = d.bytes.length === bytes.length ? [...d.bytes.keys()].filter((i) => d.bytes[i] !== bytes[i]) : [-1];
        const inData = changed.every((i) => ranges.some(([x0, x1]) => i >= x0 && i < x1));
        const target = writeCopy(s, id, new Map([[file, d.bytes]]));
        rows.push({ id: id++, load: s.load, path: target, format: s.format, file, what: d.what, inData, unprotectedData: s.unprotectedData });
      }
    }
    for (const d of structuralDamages(s)) {
      rows.push({
        id,
        load: s.load,
        path: writeCopy(s, id, d.replaced),
        format: s.format,
        file: '*',
        what: d.what,
        inData: false,
        unprotectedData: s.unprotectedData,
      });
      id++;
    }
  });
  const outcomes = await runCases(path.join(dir, 'cases.json'), expected, rows);
  const kinds = rows.map((r) => [r, outcomes.get(r.id)!, classify(r, outcomes.get(r.id)!)] as const);
  const table = new Map<string, Map<Kind, number>>();
  for (const [r, , k] of kinds) {
    const t = table.get(r.format) ?? new Map<Kind, number>();
    t.set(k, (t.get(k) ?? 0) + 1);
    table.set(r.format, t);
  }
  const summary = [...table].map(([f, t]) => `${f}: ${[...t].map(([k, n]) => `${k} ${n}`).join(', ')}`).join('\n');
  const bad = kinds.filter(([, , k]) => !['clean error', 'loaded same', 'wrong, unprotected data'].includes(k));
  const details = bad.map(
    ([r, o, k]) => `${k}: ${r.format} ${r.file} ${r.what}: ${o.kind === 'error' ? o.message.slice(0, 300) : JSON.stringify(o).slice(0, 300)}`,
  );
  if (process.env.SWEEP_REPORT) fs.writeFileSync(process.env.SWEEP_REPORT, `${rows.length} cases\n${summary}\n\n${details.join('\n')}\n`);
  expect({ summary, bad: details }).toEqual({ summary, bad: [] });
}, 900_000);
