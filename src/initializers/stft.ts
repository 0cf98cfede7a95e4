// The STFT initializer (Keras 3's keras.initializers.STFT): kernels [frameLength, 1, bins]
// that make a 1-D convolution compute the real or imaginary part of a windowed DFT of
// length 2 (bins - 1), as STFTSpectrogram uses them (and may train them further).
import { classOptions } from '../options/check';
import { checkBoolean } from '../options/check_args';
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray, isFloatDType, type DType } from '../tensor/dtype';
import { describe, quoted, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { namedWindow } from '../signal/windows';
import { checkInitShape, Initializer } from './initializer';
import { everyEntry } from '../options/every_entry';

/** Options of the STFT initializer. */
export interface STFTArgs {
  /** Which part the kernel computes. */
  side: 'real' | 'imag';
  /** 'hann' (default) or 'hamming', the window's values (frameLength of them), or null for none. */
  window?: 'hann' | 'hamming' | number[] | null;
  /** The window over sqrt(sum w^2) ('density', default), over sum |w| ('spectrum'), or as it is (null). */
  scaling?: 'density' | 'spectrum' | null;
  /** A periodic window rather than a symmetric one (default false). */
  periodic?: boolean;
}

/** Kernels of a windowed DFT for a 1-D convolution (Keras's STFTInitializer, also named STFT in configs). */
export class STFTInitializer extends Initializer {
  static override className = 'STFTInitializer';
  /** Which part of the DFT the kernel computes. */
  readonly side: 'real' | 'imag';
  /** 'hann', 'hamming', the window's values, or null. */
  readonly window: 'hann' | 'hamming' | number[] | null;
  /** How the window is normalized: 'density', 'spectrum' or not (null). */
  readonly scaling: 'density' | 'spectrum' | null;
  /** A periodic window rather than a symmetric one. */
  readonly periodic: boolean;

  constructor(args: STFTArgs) {
    args = classOptions('initializers', STFTInitializer, new.target, args);
    super();
    const op = 'initializers.stft';
    if (args.side !== 'real' && args.side !== 'imag') throw new Error(`${op}: expected side 'real' or 'imag', got ${quoted(args.side)}`);
    this.side = args.side;
    const window = args.window === undefined ? 'hann' : args.window;
    if (window !== null && window !== 'hann' && window !== 'hamming' && !(Array.isArray(window) && everyEntry(window, (v) => typeof v === 'number'))) {
      throw new Error(`${op}: expected window 'hann', 'hamming', an array of numbers or null, got ${describe(window)}`);
    }
    this.window = window;
    const scaling = args.scaling === undefined ? 'density' : args.scaling;
    if (scaling !== null && scaling !== 'density' && scaling !== 'spectrum')
      throw new Error(`${op}: expected scaling 'density', 'spectrum' or null, got ${quoted(scaling)}`);
    this.scaling = scaling;
    this.periodic = checkBoolean(op, 'periodic', args.periodic ?? false);
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    const op = 'initializers.stft';
    checkInitShape(op, shape);
    if (shape.length !== 3 || shape[1] !== 1 || shape[2] < 2) throw new Error(`${op}: expected a shape [frameLength, 1, bins >= 2], got [${shape.join(', ')}]`);
    if (!isFloatDType(dtype)) throw new Error(`${op}: expected a float dtype, got ${dtype}`);
    const [length, , bins] = shape;
    const window = this.windowValues(op, length);
    const scale =
      window === null
        ? 1
        : this.scaling === 'density'
          ? Math.sqrt(window.reduce((a, w) => a + w * w, 0))
          : this.scaling === 'spectrum'
            ? window.reduce((a, w) => a + Math.abs(w), 0)
            : 1;
    const n = 2 * (bins - 1);
    const out = allocTypedArray(dtype === 'float32' ? 'float32' : 'float64', length * bins, op);
    for (let t = 0; t < length; t++) {
      const w = window === null ? 1 : window[t] / scale;
      for (let f = 0; f < bins; f++) {
        // e^(-2 pi i t f / n), the angle reduced first.
        const angle = (-2 * Math.PI * ((t * f) % n)) / n;
        out[t * bins + f] = w * (this.side === 'real' ? Math.cos(angle) : Math.sin(angle));
      }
    }
    return fromTypedArray(out, [length, 1, bins], dtype);
  }

  private windowValues(op: string, length: number): number[] | null {
    if (this.window === null) return null;
    if (Array.isArray(this.window)) {
      if (this.window.length !== length) throw new Error(`${op}: expected a window of ${length} values (frameLength), got ${this.window.length}`);
      return this.window;
    }
    const t = namedWindow(op, this.window, length, this.periodic, 'float64');
    const values = Array.from(t.dataSync());
    t.dispose();
    return values;
  }

  override getConfig(): Record<string, unknown> {
    return { side: this.side, window: this.window, scaling: this.scaling, periodic: this.periodic };
  }
}
