// Deterministic weights named by their path ('conv1_bn/gamma'), the same bits as
// scripts/fixtures/applications_pattern.py computes in Keras: an architecture's output can then
// be compared with Keras's without committing its (large) weights. Order-free: each value
// comes from the weight's own name.
import * as ts from '../../src';

// Math.imul, written out: Math's functions cost ~1 us a call under jest, minutes for
// ResNet50's 23M weights. The halves keep every product below 2^53 (exact).
const mul32 = (a: number, b: number): number => ((a & 0xffff) * b + ((((a >>> 16) * b) & 0xffff) << 16)) >>> 0;

// FNV-1a of the name, then murmur3's finalizer of (hash + i * golden ratio): 24-bit
// uniforms, exact in float32, computed the same in NumPy (vectorized there).
function uniforms(key: string, n: number): Float64Array {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(key, 'utf8')) h = mul32(h ^ ch, 0x01000193);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = (h + mul32(i, 0x9e3779b9)) >>> 0;
    x ^= x >>> 16;
    x = mul32(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = mul32(x, 0xc2b2ae35);
    x ^= x >>> 16;
    out[i] = (x >>> 8) / 16777216;
  }
  return out;
}

/** The pattern value of the weight `path` ('layer/name') of `shape`, as Float32Array. */
export function patternWeight(path: string, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = uniforms(path, n);
  const short = path.slice(path.lastIndexOf('/') + 1);
  const out = new Float32Array(n);
  const fanIn = shape.length >= 2 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
  const bound = Math.sqrt(3 / fanIn);
  for (let i = 0; i < n; i++) {
    const c = 2 * u[i] - 1;
    if (short === 'gamma' || short === 'moving_variance') out[i] = 1 + 0.25 * u[i];
    else if (shape.length < 2) out[i] = 0.1 * c;
    else out[i] = c * bound;
  }
  return out;
}

/**
 * Sets every weight of `model` to its pattern value, by its path 'layer/weight' (Keras's w.path).
 * Not by w.name: variable names stay unique in a process, so a second model's are 'kernel_1'.
 */
export function setPatternWeights(model: { readonly layers: readonly ts.layers.Layer[] }): void {
  for (const layer of model.layers)
    for (const { name, variable: w } of layer.ownWeights())
      w.assign(ts.tensor(patternWeight(`${layer.name}/${kerasWeightName(layer, name)}`, w.shape), w.shape, w.dtype));
}

// Keras 3 calls a DepthwiseConv's kernel 'kernel'; Tessera keeps TensorFlow.js's (and Keras 2's)
// 'depthwise_kernel', which a SeparableConv's keeps in Keras 3 too.
function kerasWeightName(layer: ts.layers.Layer, name: string): string {
  return name === 'depthwise_kernel' && !(layer instanceof ts.layers.SeparableConv) ? 'kernel' : name;
}
