// Dropout: zeroes a fraction of the inputs in training (scaling the rest), and is the
// identity in inference.
import { dropout } from '../ops/dropout';
import type { Tensor } from '../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { SeedSequence } from './seeds';
import type { SymbolicShape } from './symbolic_tensor';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';

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
  /** Drop probability. */
  readonly rate: number;
  /** Shape of the mask (null entries: the input's size; null: the input's shape). */
  readonly noiseShape: SymbolicShape | null;
  /** Seed of the masks (null: the global stream). */
  readonly seed: number | null;
  private readonly seeds: SeedSequence;

  constructor(args: DropoutArgs) {
    args = layerOptions(Dropout, new.target, args);
    super(args);
    const rate = args?.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${this.name}: expected rate in [0, 1), got ${describe(rate)}`);
    this.rate = rate;
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    this.supportsMasking = true;
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    return dropout(x, this.rate, this.noiseShapeOf(x), this.seeds.next());
  }

  /** The mask's shape for input x (undefined: one value per element). */
  protected noiseShapeOf(x: Tensor): number[] | undefined {
    return this.noiseShape?.map((d, i) => d ?? x.shape[i]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
