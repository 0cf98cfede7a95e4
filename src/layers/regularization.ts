// Dropout: zeroes a fraction of the inputs in training (scaling the rest), and is the
// identity in inference.
import { dropout } from '../ops/dropout';
import type { Tensor } from '../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import type { SymbolicShape } from './symbolic_tensor';

/** Options of dropout. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** The shape of the mask, broadcast to the input; null entries take the input's size. */
  noiseShape?: SymbolicShape | null;
  /** Makes the sequence of masks repeatable. */
  seed?: number | null;
}

/** Randomly zeroes inputs at `rate` during training. */
export class Dropout extends Layer {
  static override className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: SymbolicShape | null;
  readonly seed: number | null;
  // A seeded layer draws a different mask on every call, the same sequence every run.
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(args);
    const rate = args?.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${this.name}: expected rate in [0, 1), got ${String(rate)}`);
    this.rate = rate;
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const noiseShape = this.noiseShape?.map((d, i) => d ?? x.shape[i]);
    const seed = this.seed === null ? undefined : (this.seed + this.calls++ * 0x9e3779b9) % 2 ** 32;
    return dropout(x, this.rate, noiseShape, seed);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
