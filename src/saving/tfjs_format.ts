// TensorFlow.js's Layers format: a folder with model.json ({format: 'layers-model',
// modelTopology, weightsManifest, ...}) and the weights files it lists. What Tessera
// writes, tf.loadLayersModel reads, and the reverse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Layer } from '../layers/layer';
import { serializeLayer } from '../layers/serialization';
import { Optimizer } from '../optimizers/optimizer';
import * as optimizers from '../optimizers';
import { tensor } from '../tensor/creation';
import { writeSavedFolder } from './atomic_write';
import { jsonBytes, saveResult, totalBytes, type SaveResult } from './save_result';
import { notRegularFile } from '../options/file_path';
import { configFromDisk, configToDisk, type Json } from './config_conversion';
import { layerToDisk } from './model_config';
import { buildConfigOf, loadInto, VERSION } from './build_model';
import { GraphModel } from '../models/graph_model';
import { assignWeights, matchWeights, modelWeights, readWeights, requireBuilt, type ModelWeight, type WeightValue } from './weights';
import { checkManifest, decodeWeights, encodeWeights, isOwnWeightsFile, manifestPaths, type WeightsGroup } from './weights_bin';

/** Options of model.save. */
export interface SaveOptions {
  /**
   * Also save the compile configuration and the optimizer's state (model.optimizer) so
   * training resumes where it stopped. Default false for TensorFlow.js folders, true for
   * .keras files (Keras 3 always keeps them).
   */
  includeOptimizer?: boolean;
}

// The loss and metrics a model was compiled with, when they are names (functions and
// objects cannot be written); TensorFlow.js needs the loss to compile a loaded model.
function compileNames(model: Layer<any>): { loss?: Json; metrics?: Json; weighted_metrics?: Json } {
  const args = (model as { compiled?: { compileArgs?: { loss?: unknown; metrics?: unknown; weightedMetrics?: unknown } } | null }).compiled?.compileArgs;
  const names = (v: unknown): Json | undefined => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.every((x) => names(x) !== undefined) ? (v.map(names) as Json[]) : undefined;
    if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
      const entries = Object.entries(v).map(([k, x]) => [k, names(x)] as const);
      return entries.every(([, x]) => x !== undefined) ? (Object.fromEntries(entries) as Json) : undefined;
    }
    return undefined;
  };
  const loss = names(args?.loss);
  const metrics = names(args?.metrics);
  const weighted = names(args?.weightedMetrics);
  return {
    ...(loss !== undefined ? { loss } : {}),
    ...(metrics !== undefined ? { metrics } : {}),
    ...(weighted !== undefined ? { weighted_metrics: weighted } : {}),
  };
}

/** The optimizer a model was compiled with, if any. */
export const optimizerOf = (model: Layer<any>): Optimizer | undefined => {
  const o = (model as { optimizer?: unknown }).optimizer;
  return o instanceof Optimizer ? o : undefined;
};

/** A model.json's contents and the weight values its manifest describes. */
export interface TfjsArtifacts {
  modelJson: { [k: string]: Json };
  weights: WeightValue[];
}

// An optimizer's slots are named '<variable>/<slot>'; files name them after the weight's
// file name instead ('dense/kernel/m'), so they find their variable in a rebuilt model.
function renamePrefixes(values: { name: string }[], renames: [string, string][]): void {
  const longestFirst = [...renames].sort((a, b) => b[0].length - a[0].length);
  for (const v of values) {
    const hit = longestFirst.find(([from]) => v.name.startsWith(`${from}/`));
    if (hit !== undefined) v.name = hit[1] + v.name.slice(hit[0].length);
  }
}

/** model.json's modelTopology for `model`: its config as TensorFlow.js writes it (model.toJSON()). */
export function tfjsTopology(model: Layer<any>): { [k: string]: Json } {
  // build_config lets a model whose weights appear only when called (subclassed) be rebuilt.
  const build = model instanceof GraphModel || !model.built ? undefined : buildConfigOf(model);
  return {
    ...layerToDisk(serializeLayer(model), 'tfjs'),
    ...(build ? { build_config: build as Json } : {}),
    keras_version: `tessera ${VERSION}`,
    backend: 'tensor_flow.js',
  };
}

/** model.json (as an object) and the weight values of `model`. */
export function toTfjsArtifacts(model: Layer<any>, options: SaveOptions = {}): TfjsArtifacts {
  requireBuilt(`${model.name}.save`, model);
  const topology = tfjsTopology(model);
  const weights = modelWeights(model);
  const values = readWeights(weights);
  const modelJson: { [k: string]: Json } = { format: 'layers-model', generatedBy: `Tessera ${VERSION}`, convertedBy: null, modelTopology: topology };
  if (options.includeOptimizer) {
    const opt = optimizerOf(model);
    if (opt === undefined) throw new Error(`${model.name}.save: includeOptimizer is true, but the model has no optimizer (compile it first)`);
    // Its OptimizerMap's keys are variable paths, which the format's key conversion would change.
    if (opt instanceof optimizers.MultiOptimizer || (opt instanceof optimizers.LossScaleOptimizer && opt.innerOptimizer instanceof optimizers.MultiOptimizer))
      throw new Error(
        `${model.name}.save: a MultiOptimizer cannot be saved in the TensorFlow.js format (TensorFlow.js has none); save a .keras file, or with {includeOptimizer: false}`,
      );
    modelJson.trainingConfig = {
      ...compileNames(model),
      optimizer_config: { class_name: opt.constructor.name, config: configToDisk(opt.getConfig(), 'tfjs') },
    };
    const state = opt.getWeights();
    const optValues = state.map(({ name, tensor: t }) => {
      const v: WeightValue = {
        name,
        shape: [...t.shape],
        dtype: t.dtype === 'float64' ? 'float32' : t.dtype,
        values: t.dtype === 'float64' ? Float32Array.from(t.dataSync()) : t.dataSync(),
        group: 'optimizer',
      };
      t.dispose();
      return v;
    });
    renamePrefixes(
      optValues,
      weights.map((w) => [w.variable.name, w.name]),
    );
    values.push(...optValues);
  }
  return { modelJson, weights: values };
}

/** Saves `model` as model.json + weights in folder `dir`; the folder holds a complete save at every moment (see writeSavedFolder). */
export async function saveTfjs(model: Layer<any>, dir: string, options: SaveOptions = {}): Promise<SaveResult> {
  const { modelJson, weights } = toTfjsArtifacts(model, options);
  const { manifest, files } = encodeWeights(weights);
  modelJson.weightsManifest = manifest as unknown as Json;
  await writeSavedFolder(dir, 'model.json', new TextEncoder().encode(JSON.stringify(modelJson)), files, (f) => f === 'model.json' || isOwnWeightsFile(f));
  return saveResult({ topology: jsonBytes(modelJson.modelTopology), specs: jsonBytes(manifest.flatMap((g) => g.weights)), data: totalBytes(files.values()) });
}

/** Reads a JSON file with errors that say which file and what is wrong. */
export function readJsonFile(file: string, what: string): unknown {
  const kind = notRegularFile(file);
  if (kind !== null) throw new Error(`cannot read ${what} ${file}: it is ${kind}, not a file`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${file}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); it is not a ${what} or it is damaged`, { cause: e });
  }
}

const realTarget = (p: string): string | null => {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
};
const within = (dirs: string[], file: string) => dirs.some((d) => !path.relative(d, file).startsWith('..') && !path.isAbsolute(path.relative(d, file)));

/** A weights file that a JSON file names is not there (a save may have replaced both since the JSON was read). */
class MissingWeightsFile extends Error {}

/** Reads the files of a manifest beside `jsonFile`, with errors naming a missing one or one outside the folder. */
export function readManifestFiles(jsonFile: string, manifest: WeightsGroup[]): WeightValue[] {
  const dir = path.dirname(jsonFile);
  // A link may lead elsewhere (Hugging Face's cache links model.json and its weights to the
  // same blobs folder), but not out of both the folder and the one model.json really is in.
  const realJson = realTarget(jsonFile);
  const realDirs = [realTarget(dir), realJson === null ? null : path.dirname(realJson)].filter((d): d is string => d !== null);
  const files = new Map<string, Uint8Array>();
  for (const p of manifestPaths(manifest)) {
    // fs refuses such a name with a TypeError that names neither file.
    if (p.includes('\0'))
      throw new Error(`${jsonFile} lists the weights file ${JSON.stringify(p)}, whose name holds a NUL character; it is damaged or hostile`);
    const file = path.resolve(dir, p);
    const inside = path.relative(path.resolve(dir), file);
    if (path.isAbsolute(p) || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      throw new Error(`${jsonFile} lists the weights file '${p}', which is outside its folder ${dir}; weights files must be in the model's folder`);
    }
    const kind = notRegularFile(file);
    if (kind !== null) throw new Error(`${jsonFile} lists the weights file '${p}', but ${file} is ${kind}, not a file`);
    const target = realTarget(file);
    if (target !== null && !within(realDirs, target))
      throw new Error(
        `${jsonFile} lists the weights file '${p}', a link to ${target}, which is outside the model's folder; weights files must be in the model's folder`,
      );
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new MissingWeightsFile(`${jsonFile} lists the weights file '${p}', which is missing from ${dir}`);
      throw new Error(`cannot read the weights file ${file} that ${jsonFile} lists: ${(e as Error).message}`, { cause: e });
    }
    files.set(p, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return decodeWeights(jsonFile, manifest, (p) => files.get(p)!);
}

/**
 * A folder's JSON file (`what`: 'TensorFlow.js model.json', ...) and the weights its
 * manifest (`manifestOf(json)`) names. When a weights file is missing but the JSON file
 * changed meanwhile, a save replaced both while they were read: they are read again.
 */
export function readSaved<T>(file: string, what: string, manifestOf: (json: unknown) => unknown): { json: T; weights: WeightValue[] } {
  for (let attempt = 1; ; attempt++) {
    const before = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    const json = readJsonFile(file, what);
    try {
      return { json: json as T, weights: readManifestFiles(file, checkManifest(file, manifestOf(json))) };
    } catch (e) {
      const replaced = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs !== before || JSON.stringify(readJsonFile(file, what)) !== JSON.stringify(json);
      if (!(e instanceof MissingWeightsFile) || !replaced || attempt >= 10) throw e;
    }
  }
}

/** Loads a model saved in TensorFlow.js's format: `pathOrDir` is model.json or its folder. */
export async function loadTfjs(pathOrDir: string, compile = true): Promise<Layer<any>> {
  const file = fs.existsSync(pathOrDir) && fs.statSync(pathOrDir).isDirectory() ? path.join(pathOrDir, 'model.json') : pathOrDir;
  if (!fs.existsSync(file)) throw new Error(`loadModel: ${file} does not exist`);
  const { json, weights } = readSaved<Record<string, unknown>>(file, 'TensorFlow.js model.json', (j) => {
    const json = j as Record<string, unknown>;
    if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
      throw new Error(`${file} has no modelTopology: it is not a TensorFlow.js Layers model.json (graph models from tf.saved_model are not supported)`);
    }
    return json.weightsManifest ?? [];
  });
  return fromTfjsArtifacts(file, json, weights, compile);
}

/**
 * A model from model.json's contents and its weight values (checked before any is
 * assigned), compiled as its trainingConfig says unless `compile` is false.
 */
export function fromTfjsArtifacts(source: string, json: Record<string, unknown>, weights: WeightValue[], compile = true): Promise<Layer<any>> {
  let topology = json.modelTopology as Record<string, unknown>;
  // Keras's converter nests the model under model_config.
  if (typeof topology.model_config === 'object' && topology.model_config !== null) topology = topology.model_config as Record<string, unknown>;
  return loadInto(
    topology,
    'tfjs',
    source,
    (model) => {
      const expected = modelWeights(model);
      const pairs = matchWeights(
        model.name,
        source,
        expected,
        weights.filter((w) => w.group !== 'optimizer'),
      );
      const restore = compile
        ? restoreOptimizer(
            model,
            expected,
            json.trainingConfig,
            weights.filter((w) => w.group === 'optimizer'),
            source,
          )
        : undefined;
      assignWeights(pairs);
      restore?.();
    },
    weights,
  );
}

// Rebuilds the optimizer of a trainingConfig and checks its state; returns what compiles
// the model with it. As TensorFlow.js's loader, a trainingConfig compiles the model even
// without optimizer state (a fresh optimizer of the saved class and settings): a model
// saved with includeOptimizer before its first step loads compiled too.
function restoreOptimizer(model: Layer<any>, expected: ModelWeight[], trainingConfig: unknown, state: WeightValue[], source: string): (() => void) | undefined {
  const cfg = (trainingConfig as { optimizer_config?: { class_name?: unknown; config?: unknown } } | undefined)?.optimizer_config;
  if (cfg === undefined || typeof cfg.class_name !== 'string') return undefined;
  if (cfg.class_name === 'MultiOptimizer') throw new Error(`${source}: trainingConfig's optimizer: a MultiOptimizer is not read from the TensorFlow.js format`);
  const loss = (trainingConfig as { loss?: unknown }).loss;
  const compile = (model as { compile?: (args: unknown) => void }).compile;
  if (loss === undefined || typeof compile !== 'function') {
    if (state.length === 0) return undefined; // nothing to compile with, and no state lost
    throw new Error(
      `${source} has optimizer state but no loss to compile the model with; load it without the optimizer (model.loadWeights) and compile it yourself`,
    );
  }
  let opt: Optimizer;
  try {
    opt = optimizers.get({ className: cfg.class_name, config: (configFromDisk(cfg.config ?? {}) ?? {}) as Record<string, unknown> });
  } catch (e) {
    throw new Error(`${source}: trainingConfig's optimizer: ${(e as Error).message}`, { cause: e });
  }
  if (state.length > 0) {
    opt.build(model.trainableWeights);
    renamePrefixes(
      state,
      expected.map((w) => [w.name, w.variable.name]),
    );
    const named = state.map((w) => ({ name: w.name, tensor: tensor(w.values, w.shape, w.dtype) }));
    try {
      opt.setWeights(named);
    } catch (e) {
      opt.dispose();
      throw new Error(`${source}: the optimizer state does not fit the model: ${(e as Error).message}`, { cause: e });
    } finally {
      for (const n of named) n.tensor.dispose();
    }
  }
  // The model is compiled again with the saved loss and metrics, and this optimizer.
  const metrics = (trainingConfig as { metrics?: unknown }).metrics ?? undefined;
  const weightedMetrics = (trainingConfig as { weighted_metrics?: unknown }).weighted_metrics ?? undefined;
  return () => {
    try {
      compile.call(model, {
        optimizer: opt,
        loss,
        ...(metrics !== undefined && metrics !== null ? { metrics } : {}),
        ...(weightedMetrics !== undefined && weightedMetrics !== null ? { weightedMetrics } : {}),
      });
    } catch (e) {
      opt.dispose();
      throw new Error(`${source}: cannot compile the model as its trainingConfig says: ${(e as Error).message}`, { cause: e });
    }
    // The loader made this optimizer, so the model releases it with itself.
    const compiled = (model as { compiled?: { ownsOptimizer: boolean } | null }).compiled;
    if (compiled) compiled.ownsOptimizer = true;
  };
}
