// STFTSpectrogram: signals [batch, time, channels] -> spectrograms, as Keras 3's layer makes
// them: a strided 1-D convolution per channel with DFT kernels (the STFT initializer's, so
// they can be trained further), then the mode's reading of the (real, imag) pair.
import { add, atan2, maximum } from '../ops/binary';
import { concat } from '../ops/concat';
import { conv1d } from '../ops/conv';
import { pad } from '../ops/pad';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { transpose } from '../ops/transpose';
import { log, sqrt, square } from '../ops/unary';
import { checkBoolean, checkInteger } from '../options/check_args';
import { describe, quoted } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import { STFTInitializer } from '../initializers/stft';
import { checkDataFormat } from './conv_utils';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { epsilon } from '../config/settings';
import { everyEntry } from '../options/every_entry';

/** What the spectrogram holds. */
export type SpectrogramMode = 'log' | 'magnitude' | 'psd' | 'real' | 'imag' | 'angle' | 'stft';
const MODES: SpectrogramMode[] = ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'];

/** Options of stftSpectrogram (Keras 3's defaults). */
export interface STFTSpectrogramArgs extends LayerArgs {
  /** 'log' (default): log magnitude; 'magnitude'; 'psd': power, the inner bins doubled; 'real', 'imag', 'angle'; 'stft': real then imaginary bins. */
  mode?: SpectrogramMode;
  /** Samples per frame (default 256). */
  frameLength?: number;
  /** Samples between frames, at most frameLength (default frameLength / 2). */
  frameStep?: number | null;
  /** DFT length, at least frameLength (default the power of two at or above frameLength). */
  fftLength?: number | null;
  /** 'hann' (default), 'hamming', frameLength values, or null. */
  window?: 'hann' | 'hamming' | number[] | null;
  /** A periodic window rather than a symmetric one (default false). */
  periodic?: boolean;
  /** The window over sqrt(sum w^2) ('density', default), over sum |w| ('spectrum'), or null. */
  scaling?: 'density' | 'spectrum' | null;
  /** 'valid' (default): whole frames only; 'same': ceil(time / frameStep) frames. */
  padding?: 'valid' | 'same';
  /** [batch, frames, bins, channels] (an image) instead of [batch, frames, channels * bins]. */
  expandDims?: boolean;
  /** Only 'channelsLast' ([batch, time, channels]), as every Tessera layer. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

// Keras's backend epsilon, the floor of the power and the magnitude.

/** Signals -> spectrograms by a strided convolution with (trainable) DFT kernels, as Keras 3's STFTSpectrogram. */
export class STFTSpectrogram extends Layer {
  static override className = 'STFTSpectrogram';
  /** What the spectrogram holds. */
  readonly mode: SpectrogramMode;
  /** Samples per frame. */
  readonly frameLength: number;
  /** As given (null: frameLength / 2). */
  readonly frameStep: number | null;
  /** As given (null: the power of two at or above frameLength). */
  readonly fftLength: number | null;
  /** 'hann', 'hamming', the window's values, or null. */
  readonly window: 'hann' | 'hamming' | number[] | null;
  /** A periodic window rather than a symmetric one. */
  readonly periodic: boolean;
  /** How the window is normalized: 'density', 'spectrum' or not (null). */
  readonly scaling: 'density' | 'spectrum' | null;
  /** 'valid': whole frames only; 'same': ceil(time / frameStep) frames. */
  readonly padding: 'valid' | 'same';
  /** [batch, frames, bins, channels] rather than [batch, frames, channels * bins]. */
  readonly expandDims: boolean;
  private realKernel: Variable | null = null;
  private imagKernel: Variable | null = null;

  constructor(args: STFTSpectrogramArgs = {}) {
    args = layerOptions(STFTSpectrogram, new.target, args);
    const { mode, frameLength, frameStep, fftLength, window, periodic, scaling, padding, expandDims, dataFormat, ...rest } = args;
    super(rest);
    const name = this.name;
    if (mode !== undefined && !MODES.includes(mode)) throw new Error(`${name}: expected mode one of ${MODES.join(', ')}, got ${quoted(mode)}`);
    this.mode = mode ?? 'log';
    this.frameLength = checkInteger(name, 'frameLength', frameLength ?? 256, 1);
    this.frameStep = frameStep === undefined || frameStep === null ? null : checkInteger(name, 'frameStep', frameStep, 1);
    if (this.frameStep !== null && this.frameStep > this.frameLength)
      throw new Error(`${name}: expected frameStep <= frameLength, got ${this.frameStep} and ${this.frameLength}`);
    this.fftLength = fftLength === undefined || fftLength === null ? null : checkInteger(name, 'fftLength', fftLength, 1);
    if (this.fftLength !== null && this.fftLength < this.frameLength)
      throw new Error(`${name}: expected fftLength >= frameLength, got ${this.fftLength} and ${this.frameLength}`);
    // The initializer checks window and scaling, naming itself; checked here to name the layer.
    const w = window === undefined ? 'hann' : window;
    if (w !== null && w !== 'hann' && w !== 'hamming' && !(Array.isArray(w) && w.length === this.frameLength && everyEntry(w, (v) => typeof v === 'number'))) {
      throw new Error(`${name}: expected window 'hann', 'hamming', ${this.frameLength} numbers (frameLength) or null, got ${describe(w)}`);
    }
    this.window = w;
    this.periodic = checkBoolean(name, 'periodic', periodic ?? false);
    const s = scaling === undefined ? 'density' : scaling;
    if (s !== null && s !== 'density' && s !== 'spectrum') throw new Error(`${name}: expected scaling 'density', 'spectrum' or null, got ${quoted(s)}`);
    this.scaling = s;
    if (padding !== undefined && padding !== 'valid' && padding !== 'same')
      throw new Error(`${name}: expected padding 'valid' or 'same', got ${quoted(padding)}`);
    this.padding = padding ?? 'valid';
    this.expandDims = checkBoolean(name, 'expandDims', expandDims ?? false);
    checkDataFormat(name, dataFormat);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  private get step(): number {
    return this.frameStep ?? Math.floor(this.frameLength / 2);
  }

  private get bins(): number {
    let n = 1;
    while (n < this.frameLength) n *= 2;
    return Math.floor((this.fftLength ?? n) / 2) + 1;
  }

  override build(inputShape: SymbolicShape): void {
    void inputShape;
    const shape = [this.frameLength, 1, this.bins];
    const kernel = (side: 'real' | 'imag'): Variable =>
      this.addWeight({
        name: `${side}_kernel`,
        shape,
        initializer: new STFTInitializer({ side, window: this.window, scaling: this.scaling, periodic: this.periodic }),
      });
    if (this.mode !== 'imag') this.realKernel = kernel('real');
    if (this.mode !== 'real') this.imagKernel = kernel('imag');
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }): Tensor {
    const x = inputs as Tensor;
    const [batch, time, channels] = x.shape;
    // Each channel a signal of its own: [batch * channels, time, 1].
    const signals = reshape(transpose(x, [0, 2, 1]), [batch * channels, time, 1]);
    // [batch, channels, frames, bins]
    const convolve = (kernel: Variable): Tensor => {
      const y = conv1d(signals, kernel, { stride: this.step, padding: this.padding });
      return reshape(y, [batch, channels, y.shape[1], y.shape[2]]);
    };
    const re = this.realKernel === null ? null : convolve(this.realKernel);
    const im = this.imagKernel === null ? null : convolve(this.imagKernel);
    switch (this.mode) {
      case 'real':
        return this.arrange(re!);
      case 'imag':
        return this.arrange(im!);
      case 'angle':
        return this.arrange(atan2(im!, re!));
      case 'stft':
        return this.arrange(concat([re!, im!], 3));
      default:
        break;
    }
    const power = add(square(re!), square(im!));
    if (this.mode === 'psd') {
      // One-sided power: the bins between DC and Nyquist count twice.
      const bins = power.shape[3];
      const inner = slice(power, [0, 0, 0, 1], [batch, channels, power.shape[2], Math.max(bins - 2, 0)]);
      return this.arrange(
        add(
          power,
          pad(inner, [
            [0, 0],
            [0, 0],
            [0, 0],
            [1, 1],
          ]),
        ),
      );
    }
    const magnitude = this.arrange(sqrt(maximum(power, epsilon())));
    return this.mode === 'magnitude' ? magnitude : log(maximum(magnitude, epsilon()));
  }

  // [batch, channels, frames, bins] -> Keras's channels-last layouts.
  private arrange(t: Tensor): Tensor {
    const [batch, channels, frames, bins] = t.shape;
    if (this.expandDims) return transpose(t, [0, 2, 3, 1]);
    return reshape(transpose(t, [0, 2, 1, 3]), [batch, frames, channels * bins]);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = inputShape as SymbolicShape;
    if (s.length !== 3) throw new Error(`${this.name}: expected signals of shape [batch, time, channels], got shape ${formatShape(s)}`);
    const [batch, time, channels] = s;
    const bins = this.mode === 'stft' ? 2 * this.bins : this.bins;
    const frames = time === null ? null : this.padding === 'same' ? Math.ceil(time / this.step) : Math.floor((time - this.frameLength) / this.step) + 1;
    return this.expandDims ? [batch, frames, bins, channels] : [batch, frames, channels === null ? null : channels * bins];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mode: this.mode,
      frameLength: this.frameLength,
      frameStep: this.frameStep,
      fftLength: this.fftLength,
      window: this.window,
      periodic: this.periodic,
      scaling: this.scaling,
      padding: this.padding,
      expandDims: this.expandDims,
      dataFormat: 'channels_last',
    };
  }
}
