// Building a model from a file's config: classes resolved (unknown ones named before
// anything is built), the model created, and models whose weights appear only when
// called (subclassed models) called once on zeros of their recorded input shape.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Layer } from '../layers/layer';
import { deserializeLayer } from '../layers/serialization';
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
      const xs = layer.inputs.map((t) => zeros(t.shape.map((d) => d ?? 1), t.dtype));
      layer.apply(xs.length === 1 ? xs[0] : xs);
    });
  } else if (!layer.built && Array.isArray(inputShape)) {
    try {
      buildFromShape(layer, inputShape as SymbolicShape | SymbolicShape[]);
    } catch (e) {
      layer.dispose();
      throw new Error(`${source}: cannot build ${layer.name} for its saved input shape ${JSON.stringify(inputShape)}: ${(e as Error).message}`);
    }
  }
  return layer;
}

/**
 * Builds a model from a file's config and fills it with `fill` (which checks the file's
 * weights, then assigns them); when anything fails, the half-made model is released.
 */
export async function loadInto(topology: unknown, format: DiskFormat, source: string, fill: (model: Layer<any>) => void | Promise<void>): Promise<Layer<any>> {
  const model = buildModel(topology, format, source);
  try {
    await fill(model);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Creates a layer's weights by calling it once on zeros (unknown dimensions 1). */
export function buildFromShape(layer: Layer<any>, shape: SymbolicShape | SymbolicShape[]): void {
  const several = Array.isArray(shape[0]);
  const shapes = (several ? shape : [shape]) as SymbolicShape[];
  tidy(() => {
    const xs = shapes.map((s) => zeros(s.map((d) => d ?? 1)));
    layer.apply(several ? xs : xs[0]);
  });
}

/** Keras's build_config for a layer built by a call, or undefined. */
export function buildConfigOf(layer: Layer<any>): { input_shape: SymbolicShape | SymbolicShape[] } | undefined {
  return layer.buildInputShape === undefined ? undefined : { input_shape: layer.buildInputShape };
}
