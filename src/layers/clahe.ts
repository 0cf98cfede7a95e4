// Keras 3's ContrastLimitedAdaptiveHistogramEqualization (CLAHE), in training and inference
// alike: per tile a clipped 256-bin histogram equalization, the tiles' mappings blended
// bilinearly per pixel. Computed on the host in float32 steps, as Keras's float32 graph.
// Eagerly it also takes Keras's {images, labels, bounding_boxes, segmentation_masks}: the
// images are equalized, the rest passes (Keras 3.15 raises NotImplementedError for all three).
import { layerFactory } from './keras_positional';
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray, isFloatDType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkValueRange } from './augmentation';
import { checkDataFormat, imagesInChannelsLast, type DataFormat } from './conv_utils';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { isPlainObject, routeImageDict } from './image_dict_input';
import { withNewImages } from './image_dict_call';
import { layerOptions } from './layer_options';
import type { SymbolicShape } from './symbolic_tensor';
import { everyEntry } from '../options/every_entry';

/** Options of contrastLimitedAdaptiveHistogramEqualization. */
export interface ContrastLimitedAdaptiveHistogramEqualizationArgs extends LayerArgs {
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
  /** Caps each histogram bin at clipLimit * (tile pixels) / 256, the excess spread over all bins; 0 or less: no cap (default 4). */
  clipLimit?: number;
  /** The number of tiles [rows, columns] (default [8, 8]). */
  tileGridSize?: [number, number];
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

const f = Math.fround;
// XLA (Keras's JAX backend, on CPU) divides as a times the float32 reciprocal of b; so here,
// for the same last bits (they decide where integer outputs truncate).
const div = (a: number, b: number) => f(a * f(1 / b));

/** numpy.pad's 'symmetric' source row of padded index `i` (edge repeated, any pad width). */
function symmetric(i: number, size: number): number {
  const m = i % (2 * size);
  return m < size ? m : 2 * size - 1 - m;
}

/**
 * The float32 CLAHE of `pixels` ([n, h, w, c] on the 0..255 scale) as Keras 3.15: images padded
 * (symmetric) to whole tiles; per tile and channel a 256-bin histogram of the truncated values,
 * clipped and redistributed, its cumulative sum stretched to [0, 255]; each pixel blends the
 * mappings of its four nearest tile centres (edge tiles repeated).
 */
function clahe(pixels: Float32Array, [n, h, w, c]: number[], clipLimit: number, [gh, gw]: [number, number]): Float32Array {
  const th = Math.ceil(h / gh);
  const tw = Math.ceil(w / gw);
  const area = th * tw;
  const bin = (v: number) => Math.min(Math.max(Math.trunc(v) || 0, 0), 255);
  // cdf[((b * (gh + 2) + ty) * (gw + 2) + tx) * c + ch][256]: tile (ty - 1, tx - 1), edges repeated.
  const cdf = new Float32Array(n * (gh + 2) * (gw + 2) * c * 256);
  const limit = f((clipLimit * area) / 256);
  const hist = new Float32Array(256);
  for (let b = 0; b < n; b++)
    for (let ty = 0; ty < gh; ty++)
      for (let tx = 0; tx < gw; tx++)
        for (let ch = 0; ch < c; ch++) {
          hist.fill(0);
          for (let y = ty * th; y < (ty + 1) * th; y++)
            for (let x = tx * tw; x < (tx + 1) * tw; x++) hist[bin(pixels[((b * h + symmetric(y, h)) * w + symmetric(x, w)) * c + ch])]++;
          if (clipLimit > 0) {
            let excess = 0;
            for (let k = 0; k < 256; k++) {
              const clipped = Math.min(hist[k], limit);
              excess = f(excess + f(hist[k] - clipped));
              hist[k] = clipped;
            }
            const redistributed = div(excess, 256);
            for (let k = 0; k < 256; k++) hist[k] = f(hist[k] + redistributed);
          }
          const out = new Float32Array(256);
          let run = 0;
          for (let k = 0; k < 256; k++) out[k] = run = f(run + hist[k]);
          const low = out[0];
          const denominator = f(area - low) === 0 ? 1 : f(area - low);
          for (let k = 0; k < 256; k++) out[k] = Math.min(Math.max(div(f(f(out[k] - low) * 255), denominator), 0), 255);
          cdf.set(out, (((b * (gh + 2) + ty + 1) * (gw + 2) + tx + 1) * c + ch) * 256);
        }
  fillEdges(cdf, n, gh, gw, c);
  // Per padded row (column): the two tile rows it blends and the weight of the second.
  const along = (size: number, tile: number, grid: number) =>
    Array.from({ length: size }, (_, i) => {
      const g = f(div(f(i - tile / 2), tile) + 1);
      const lo = Math.floor(g);
      const clip = (v: number) => Math.min(Math.max(v, 0), grid + 1);
      return [clip(lo), clip(lo + 1), f(g - lo)];
    });
  const rows = along(h, th, gh);
  const cols = along(w, tw, gw);
  const out = new Float32Array(pixels.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const i = ((b * h + y) * w + x) * c + ch;
          const v = Math.trunc(Math.min(Math.max(pixels[i], 0), 255)) || 0;
          const [y0, y1, wy] = rows[y];
          const [x0, x1, wx] = cols[x];
          const at = (ty: number, tx: number) => cdf[(((b * (gh + 2) + ty) * (gw + 2) + tx) * c + ch) * 256 + v];
          const top = f(f(at(y0, x0) * f(1 - wx)) + f(at(y0, x1) * wx));
          const bottom = f(f(at(y1, x0) * f(1 - wx)) + f(at(y1, x1) * wx));
          out[i] = f(f(top * f(1 - wy)) + f(bottom * wy));
        }
  return out;
}

/** The grid's border (Keras's concatenated edge tiles): each entry a copy of the nearest tile. */
function fillEdges(cdf: Float32Array, n: number, gh: number, gw: number, c: number): void {
  const block = c * 256;
  const at = (b: number, py: number, px: number) => ((b * (gh + 2) + py) * (gw + 2) + px) * block;
  for (let b = 0; b < n; b++)
    for (let py = 0; py < gh + 2; py++)
      for (let px = 0; px < gw + 2; px++) {
        const sy = Math.min(Math.max(py, 1), gh);
        const sx = Math.min(Math.max(px, 1), gw);
        if (sy !== py || sx !== px) cdf.copyWithin(at(b, py, px), at(b, sy, sx), at(b, sy, sx) + block);
      }
}

/**
 * Contrast-limited adaptive histogram equalization of each image channel, as Keras 3's layer
 * of that name (it applies in inference too): the image is split into tileGridSize tiles
 * (padded by reflection to whole tiles), each tile's histogram of the values on the 0..255
 * scale is capped at clipLimit times the mean bin count and equalized, and each pixel blends
 * the mappings of the four nearest tile centres bilinearly. Outputs have the inputs' dtype
 * (integer ones truncated, as Keras casts back). Not differentiable (Keras's bins are integers).
 */
export class ContrastLimitedAdaptiveHistogramEqualization extends Layer {
  static override className = 'ContrastLimitedAdaptiveHistogramEqualization';
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  /** The histogram cap, in multiples of the mean bin count (0 or less: none). */
  readonly clipLimit: number;
  /** The number of tiles [rows, columns]. */
  readonly tileGridSize: [number, number];
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  constructor(args?: ContrastLimitedAdaptiveHistogramEqualizationArgs) {
    args = layerOptions(ContrastLimitedAdaptiveHistogramEqualization, new.target, args) ?? {};
    super(args);
    this.valueRange = checkValueRange(this.name, args.valueRange);
    this.clipLimit = args.clipLimit ?? 4;
    if (typeof this.clipLimit !== 'number' || !Number.isFinite(this.clipLimit))
      throw new Error(`${this.name}: expected clipLimit a finite number, got ${describe(args.clipLimit)}`);
    const grid = args.tileGridSize ?? [8, 8];
    if (!Array.isArray(grid) || grid.length !== 2 || !everyEntry(grid, (g) => Number.isInteger(g) && g >= 1 && g <= 4096))
      throw new Error(`${this.name}: expected tileGridSize [rows, columns], two integers in [1, 4096], got ${describe(args.tileGridSize)}`);
    this.tileGridSize = [grid[0], grid[1]];
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
  }

  // Keras's dict input: checked and flattened here, nested back after the call (boxes pass, so no format is needed).
  protected override applyWithCallArgs(inputs: unknown, options: CallOptions, callArgs: Parameters<Layer['applyWithCallArgs']>[2]): unknown {
    return routeImageDict(this.name, inputs, true, undefined, (x) => super.applyWithCallArgs(x, options, callArgs));
  }

  /** @internal Whether the layer takes Keras's {images, bounding_boxes, ...} input (for Pipeline). */
  protected takesImageDict(): boolean {
    return true;
  }

  override call(x: Tensor | Tensor[] | { [name: string]: Tensor }): Tensor | { [name: string]: Tensor } {
    if (x instanceof Tensor) return this.callImages(x);
    if (!isPlainObject(x)) throw new Error(`${this.name}: expected a tensor of images or an {images, ...} object, got ${describe(x)}`);
    const dict = x as Record<string, Tensor>;
    return withNewImages(this.name, dict, this.callImages(dict.images), this.dataFormat);
  }

  private callImages(x: Tensor): Tensor {
    if (x.rank !== 3 && x.rank !== 4) throw new Error(`${this.name}: expected images of rank 3 or 4 (${this.dataFormat}), got shape [${x.shape.join(', ')}]`);
    return imagesInChannelsLast(this.dataFormat, x, (xl) => this.equalize(xl));
  }

  // CLAHE of channels-last images (one, or a batch).
  private equalize(x: Tensor): Tensor {
    if (!isFloatDType(x.dtype) && x.dtype !== 'int32') throw new Error(`${this.name}: expected float or int32 images, got ${x.dtype}`);
    const shape = x.rank === 3 ? [1, ...x.shape] : x.shape;
    if (shape[1] === 0 || shape[2] === 0) throw new Error(`${this.name}: cannot equalize empty images of shape [${x.shape.join(', ')}]`);
    // No images or no channels: nothing to equalize (the tiles are sized by the height and width).
    if (x.size === 0) return x;
    const [lo, hi] = this.valueRange;
    const identity = lo === 0 && hi === 255;
    // Keras's _transform_value_range in float32: (x - lo) / (hi - lo) * 255 and back.
    const values = x.dataSync() as ArrayLike<number>;
    const pixels = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) pixels[i] = identity ? values[i] : f(div(f(values[i] - f(lo)), f(f(hi) - f(lo))) * 255);
    const y = clahe(pixels, shape, this.clipLimit, this.tileGridSize);
    const out = allocTypedArray(x.dtype, y.length, this.name);
    for (let i = 0; i < y.length; i++) {
      const v = identity ? y[i] : f(f(div(y[i], 255) * f(f(hi) - f(lo))) + f(lo));
      out[i] = x.dtype === 'int32' ? Math.trunc(v) : v;
    }
    return fromTypedArray(out, x.shape, x.dtype, x.device);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: this.valueRange, clipLimit: this.clipLimit, tileGridSize: this.tileGridSize, dataFormat: this.dataFormat };
  }
}

/** Equalizes each image channel's histogram per tile, contrast-limited (CLAHE). */
export const contrastLimitedAdaptiveHistogramEqualization = layerFactory(ContrastLimitedAdaptiveHistogramEqualization);
