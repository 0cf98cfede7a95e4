// Dropout: zeroes a fraction of the inputs in training (scaling the rest), and is the
// identity in inference. ActivityRegularization: the identity with an activity penalty.
import { dropout } from '../ops/dropout';
import type { Tensor } from '../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { SeedSequence } from './seeds';
import type { SymbolicShape } from './symbolic_tensor';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';
import { L1L2 } from '../regularizers';

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

/** Options of activityRegularization. */
export interface ActivityRegularizationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Weight of sum |x|. Default 0. */
  l1?: number;
  /** Weight of sum x^2. Default 0. */
  l2?: number;
}

/**
 * The identity, adding l1 * sum|x| + l2 * sum x^2 of its input (divided by the batch size)
 * to the model's losses: Keras 3's ActivityRegularization, the layer-level activity penalty.
 * @example layers.activityRegularization({l1: 1e-4}).apply(hidden)
 */
export class ActivityRegularization extends Layer {
  static override className = 'ActivityRegularization';
  /** Weight of sum |x|. */
  readonly l1: number;
  /** Weight of sum x^2. */
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    args = layerOptions(ActivityRegularization, new.target, args);
    // Checked before the base takes the regularizer, so errors name this layer.
    const who = typeof args?.name === 'string' ? args.name : 'ActivityRegularization';
    const factor = (what: string, v: unknown) => {
      if (v === undefined) return 0;
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
        throw new Error(`${who}: expected ${what} to be a non-negative number, got ${describe(v)}`);
      return v;
    };
    const l1 = factor('l1', args?.l1);
    const l2 = factor('l2', args?.l2);
    super({ ...args, activityRegularizer: new L1L2({ l1, l2 }) } as LayerArgs);
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    return x;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  // Keras's config: l1 and l2, not the regularizer they make.
  override getConfig(): Record<string, unknown> {
    const { activityRegularizer: _, ...base } = super.getConfig();
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}
