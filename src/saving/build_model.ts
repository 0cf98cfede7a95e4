// Building a model from a file's config: classes resolved (unknown ones named before
// anything is built), the model created, and models whose weights appear only when
// called (subclassed models) called once on zeros of their recorded input shape.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Layer } from '../layers/layer';
import { toSnakeCase } from '../layers/naming';
import { deserializeLayer } from '../layers/serialization';
import { withWeightCheck, type WeightCheck } from '../layers/weight_guard';
import { GraphModel } from '../models/graph_model';
import type { SymbolicShape } from '../layers/symbolic_tensor';
import { zeros } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import type { DiskFormat } from './config_conversion';
import { layerFromDisk } from './model_config';

function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tessera' && typeof pkg.version === 'string') return pkg.version;
    }
  }
  return 'unknown';
}

/** Tessera's version, written into saved files. */
export const VERSION = packageVersion();

/** A model (or layer) from a file's top-level config entry. */
export function buildModel(topology: unknown, format: DiskFormat, source: string): Layer<any> {
  const entry = layerFromDisk(topology, format, source);
  const layer = deserializeLayer(entry);
  const inputShape = (entry.buildConfig as { inputShape?: unknown } | undefined)?.inputShape;
  if (layer instanceof GraphModel && layer.built && layer.allLayers().some((l) => !l.built)) {
    // Some layers create weights only when they first run (a custom layer built in call): run
    // the graph once on zeros so every weight exists before the file's values are assigned.
    tidy(() => {
      const xs = layer.inputs.map((t) =>
        zeros(
          t.shape.map((d) => d ?? 1),
          t.dtype,
        ),
      );
      layer.apply(xs.length === 1 ? xs[0] : xs);
    });
  } else if (!layer.built && Array.isArray(inputShape)) {
    try {
      buildFromShape(layer, inputShape as SymbolicShape | SymbolicShape[]);
    } catch (e) {
      layer.dispose();
      throw new Error(`${source}: cannot build ${layer.name} for its saved input shape ${JSON.stringify(inputShape)}: ${(e as Error).message}`, { cause: e });
    }
  }
  return layer;
}

/** A weight a file holds: its name there ('dense/kernel', 'layers/dense/vars/0') and shape. */
export interface FileWeight {
  name: string;
  shape: readonly number[];
}

/** The deepest nesting of a config Tessera builds (real ones are a few dozen levels deep). */
export const MAX_CONFIG_DEPTH = 256;

// How deeply `v` nests (counted without recursion, which a hostile config would exhaust).
function depthOf(v: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    deepest = Math.max(deepest, d);
    if (deepest > MAX_CONFIG_DEPTH) return deepest;
    for (const child of Object.values(x)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** @internal Throws, naming `source`, for a config nested deeper than any model's (the readers of configs recurse). */
export function checkConfigDepth(source: string, topology: unknown, what = "the model's config"): void {
  if (depthOf(topology) > MAX_CONFIG_DEPTH) throw new Error(`${source}: ${what} nests more than ${MAX_CONFIG_DEPTH} levels deep; it is damaged or hostile`);
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

// Refuses a weight the file cannot hold before it is allocated: one whose name the file
// has with another shape, or one larger than every weight in the file.
function fileWeightCheck(source: string, weights: FileWeight[]): WeightCheck {
  const byName = new Map(weights.map((w) => [w.name.replace(/:\d+$/, ''), w]));
  const largest = weights.reduce<FileWeight | undefined>((a, w) => (a === undefined || count(w.shape) > count(a.shape) ? w : a), undefined);
  return (layer, weight, shape) => {
    const named = byName.get(`${layer}/${toSnakeCase(weight)}`);
    if (named !== undefined) {
      if (named.shape.length !== shape.length || named.shape.some((d, i) => d !== shape[i])) {
        throw new Error(
          `${source}: layer '${layer}' declares weight '${weight}' of shape ${fmt(shape)}, but the file's '${named.name}' has shape ${fmt(named.shape)}; the config and the weights do not match`,
        );
      }
      return;
    }
    if (largest === undefined || count(shape) > count(largest.shape)) {
      const biggest = largest === undefined ? 'it has none' : `the largest is '${largest.name}' ${fmt(largest.shape)}`;
      throw new Error(
        `${source}: layer '${layer}' declares weight '${weight}' of shape ${fmt(shape)} (${count(shape)} values), larger than any weight in the file (${biggest}); the config and the weights do not match`,
      );
    }
  };
}

/**
 * Builds a model from a file's config and fills it with `fill` (which checks the file's
 * weights, then assigns them); when anything fails, the half-made model is released.
 * With `fileWeights`, every weight the model creates is checked against them first.
 */
export async function loadInto(
  topology: unknown,
  format: DiskFormat,
  source: string,
  fill: (model: Layer<any>) => void | Promise<void>,
  fileWeights?: FileWeight[],
): Promise<Layer<any>> {
  checkConfigDepth(source, topology);
  let model: Layer<any>;
  try {
    model =
      fileWeights === undefined
        ? buildModel(topology, format, source)
        : withWeightCheck(fileWeightCheck(source, fileWeights), () => buildModel(topology, format, source));
  } catch (e) {
    // Errors of a layer's config name the layer; the file is named here.
    const message = (e as Error).message;
    throw message.includes(source) ? e : new Error(`${source}: ${message}`, { cause: e });
  }
  try {
    await fill(model);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** The most values of the zeros a model is built on (1 GiB of float32; real inputs are far smaller). */
export const MAX_BUILD_VALUES = 2 ** 28;

/**
 * Creates a layer's weights by calling it once on zeros (unknown dimensions 1). A file's
 * shape is checked first: zeros of a few billion values were allocated before any weight
 * was checked against the file.
 */
export function buildFromShape(layer: Layer<any>, shape: SymbolicShape | SymbolicShape[]): void {
  const several = Array.isArray(shape[0]);
  const shapes = (several ? shape : [shape]) as SymbolicShape[];
  for (const s of shapes) {
    const size = Array.isArray(s) ? s.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1) : 0;
    if (size > MAX_BUILD_VALUES) throw new Error(`zeros of that shape would hold ${size} values, more than the ${MAX_BUILD_VALUES} a model is built on`);
  }
  tidy(() => {
    const xs = shapes.map((s) => zeros(s.map((d) => d ?? 1)));
    layer.apply(several ? xs : xs[0]);
  });
  // Built for the saved shape, unknown dimensions and all (Keras's build_from_config): saved again, it says the same.
  layer.buildInputShape = several ? shapes.map((s) => [...s]) : [...shapes[0]];
}

/** Keras's build_config for a layer built by a call, or undefined. */
export function buildConfigOf(layer: Layer<any>): { input_shape: SymbolicShape | SymbolicShape[] } | undefined {
  return layer.buildInputShape === undefined ? undefined : { input_shape: layer.buildInputShape };
}
