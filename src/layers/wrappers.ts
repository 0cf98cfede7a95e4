// Wrappers: bidirectional (a recurrent layer run both ways over a sequence, outputs
// merged) and timeDistributed (a layer applied to every timestep).
import { add, mul } from '../ops/binary';
import { describe } from '../tensor/shape';
import { concat } from '../ops/concat';
import { gather } from '../ops/gather';
import { reshape } from '../ops/reshape';
import { tensor } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { isSerialized, type Serialized } from '../serialization/registry';
import { InputSpec } from './input_spec';
import { Layer, type CallOptions, type LayerArgs, type LayerOutput, type Mask, type OutputKind, type Outputs } from './layer';
import { RNN, withInitialState, type RNNCallOptions } from './recurrent';
import { deserializeLayer, serializeLayer } from './serialization';
import type { Nested } from './structure';
import { formatShape, type SymbolicShape, type SymbolicTensor } from './symbolic_tensor';
import { layerOptions } from './layer_options';
import { tooManyArguments } from '../options/arity';
import { buildSublayer, Wrapper, type WrapperArgs } from './wrapper';
import { innerStepMask } from './time_distributed_mask';

export { buildSublayer } from './wrapper';

/** How bidirectional combines the forward and backward outputs (null: return both). */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Options of bidirectional. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (or its {className, config}); the forward layer is a fresh copy of it. */
  layer: RNN<any> | Serialized;
  /** Default 'concat'. */
  mergeMode?: MergeMode;
  /** The layer run backwards; default: a copy of `layer` with goBackwards flipped. */
  backwardLayer?: RNN<any> | Serialized | null;
}

const removePrefix = (name: string, prefix: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

function asRNN(owner: string, what: string, value: unknown): RNN<any> {
  const layer = isSerialized(value) ? deserializeLayer(value) : value;
  if (!(layer instanceof RNN)) throw new Error(`${owner}: expected ${what} to be a recurrent layer (simpleRNN, lstm, gru, rnn), got ${describe(layer)}`);
  return layer;
}

// A fresh layer from `layer`'s config, renamed (and turned around when asked), as Keras 3 does.
function copyOf(layer: RNN<any>, prefix: string, flip: boolean): RNN<any> {
  const { className, config } = serializeLayer(layer);
  const renamed: Record<string, unknown> = { ...config, name: `${prefix}${removePrefix(layer.name, prefix)}` };
  if (flip) renamed.goBackwards = !layer.goBackwards;
  return deserializeLayer({ className, config: renamed }) as RNN<any>;
}

/**
 * Runs a recurrent layer forwards and a copy backwards over the sequence and merges
 * the outputs (backward sequences are flipped back into time order first). With
 * returnState the result is [output, ...forwardStates, ...backwardStates]; initial
 * states are split the same way.
 * @example layers.bidirectional({layer: layers.lstm({units: 16, returnSequences: true})})
 */
export class Bidirectional<K extends OutputKind = 'single'> extends Layer<K> {
  static override className = 'Bidirectional';
  /** The layer run forwards. */
  readonly forwardLayer: RNN<any>;
  /** The layer run backwards. */
  readonly backwardLayer: RNN<any>;
  /** How the two outputs combine (null: both returned). */
  readonly mergeMode: MergeMode;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the final states are returned too. */
  readonly returnState: boolean;

  constructor(args: BidirectionalArgs) {
    args = layerOptions(Bidirectional, new.target, args);
    super(args);
    const layer = asRNN(this.name, 'layer', args?.layer);
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!['concat', 'sum', 'mul', 'ave', null].includes(mergeMode)) {
      throw new Error(`${this.name}: expected mergeMode 'concat', 'sum', 'mul', 'ave' or null, got ${JSON.stringify(mergeMode)}`);
    }
    this.mergeMode = mergeMode;
    this.forwardLayer = copyOf(layer, 'forward_', false);
    this.backwardLayer = args.backwardLayer ? asRNN(this.name, 'backwardLayer', args.backwardLayer) : copyOf(layer, 'backward_', true);
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards)
      throw new Error(`${this.name}: the forward and backward layers must have different goBackwards values, both have ${f.goBackwards}`);
    for (const key of ['returnSequences', 'returnState', 'stateful'] as const) {
      if (f[key] !== b[key]) throw new Error(`${this.name}: the forward and backward layers must have the same ${key}, got ${f[key]} and ${b[key]}`);
    }
    this.returnSequences = f.returnSequences;
    this.returnState = f.returnState;
    // Returned sequences must line up step by step: masked steps output zeros.
    f.zeroOutputForMask = f.returnSequences;
    b.zeroOutputForMask = b.returnSequences;
    this.supportsMasking = true;
  }

  /** Applies the layer; `options.initialState` holds the forward states, then the backward ones. */
  override apply(inputs: Nested<SymbolicTensor>, options?: RNNCallOptions): Outputs<SymbolicTensor, K>;
  override apply(inputs: Nested<Tensor>, options?: RNNCallOptions): Outputs<Tensor, K>;
  override apply(inputs: Nested<Tensor> | Nested<SymbolicTensor>, options: RNNCallOptions = {}): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const r = withInitialState(inputs, options);
    return super.apply(r.inputs, r.options);
  }

  /** Whether the wrapped layers carry their states from one call to the next. */
  get stateful(): boolean {
    return this.forwardLayer.stateful;
  }

  /** Both layers' states back to zeros, or to `states` (the forward ones, then the backward ones). */
  resetStates(states?: Tensor | Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.resetStates`, 1, arguments.length);
    if (!this.stateful) throw new Error(`${this.name}.resetStates: the wrapped layers are not stateful (stateful: false); they keep no states between calls`);
    const [fs, bs] = states === undefined ? [undefined, undefined] : this.splitStates(Array.isArray(states) ? states : [states]);
    this.forwardLayer.resetStates(fs);
    this.backwardLayer.resetStates(bs);
  }

  /** Keras 3's name for resetStates. */
  resetState(states?: Tensor | Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.resetState`, 1, arguments.length);
    this.resetStates(states);
  }

  private splitStates<T>(states: T[]): [T[], T[]] {
    const n = this.forwardLayer.cell.stateSize.length;
    if (states.length !== 0 && states.length !== 2 * n) {
      throw new Error(`${this.name}: expected ${2 * n} initial states (${n} forward, then ${n} backward), got ${states.length}`);
    }
    return [states.slice(0, states.length / 2), states.slice(states.length / 2)];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [x, ...states] = asShapeList(inputShape);
    const [fs, bs] = this.splitStates(states);
    for (const [layer, s] of [
      [this.forwardLayer, fs],
      [this.backwardLayer, bs],
    ] as const)
      buildSublayer(layer, s.length > 0 ? [x, ...s] : x);
  }

  override call(inputs: Tensor | Tensor[], { training, mask }: CallOptions): LayerOutput {
    const [x, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    const [fs, bs] = this.splitStates(states);
    const stepMask = Array.isArray(mask) ? mask[0] : mask;
    const run = (layer: RNN<any>, s: Tensor[]) => {
      const r = layer.apply(x, { training, mask: stepMask ?? undefined, initialState: s.length > 0 ? s : undefined }) as Tensor | Tensor[];
      return Array.isArray(r) ? r : [r];
    };
    const [y, ...forwardStates] = run(this.forwardLayer, fs);
    const [yBackward, ...backwardStates] = run(this.backwardLayer, bs);
    const yRev = this.returnSequences ? reverseTime(yBackward) : yBackward;
    const merged = this.merge(y, yRev);
    return this.returnState || this.mergeMode === null ? [...merged, ...forwardStates, ...backwardStates] : merged[0];
  }

  private merge(y: Tensor, yRev: Tensor): Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return [concat([y, yRev], -1)];
      case 'sum':
        return [add(y, yRev)];
      case 'ave':
        return [mul(add(y, yRev), 0.5)];
      case 'mul':
        return [mul(y, yRev)];
      default:
        return [y, yRev];
    }
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const x = asShapeList(inputShape)[0];
    const shapes = this.forwardLayer.computeOutputShape(x);
    const [output, ...states] = this.returnState ? (shapes as SymbolicShape[]) : [shapes as SymbolicShape];
    const last = output[output.length - 1];
    const merged =
      this.mergeMode === null ? [output, output] : this.mergeMode === 'concat' ? [[...output.slice(0, -1), last === null ? null : 2 * last]] : [output];
    return this.returnState || this.mergeMode === null ? [...merged, ...states, ...states] : merged[0];
  }

  override computeMask(inputs: Tensor | Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    void inputs;
    const stepMask = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const output = this.returnSequences ? stepMask : null;
    const outputs = this.mergeMode === null ? [output, output] : [output];
    const states = this.forwardLayer.cell.stateSize.flatMap(() => [null, null]);
    return this.returnState || this.mergeMode === null ? [...outputs, ...(this.returnState ? states : [])] : output;
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mergeMode: this.mergeMode, layer: serializeLayer(this.forwardLayer), backwardLayer: serializeLayer(this.backwardLayer) };
  }
}

// The time axis (1) in reverse order.
function reverseTime(y: Tensor): Tensor {
  const steps = y.shape[1];
  return gather(
    y,
    tensor(
      Array.from({ length: steps }, (_, i) => steps - 1 - i),
      [steps],
      'int32',
    ),
    1,
  );
}

function asShapeList(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
  return inputShape.length > 0 && Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[]) : [inputShape as SymbolicShape];
}

/** Options of timeDistributed. */
export interface TimeDistributedArgs extends WrapperArgs {
  /** The layer applied to every timestep (or its {className, config}). */
  layer: Layer<any> | Serialized;
}

/**
 * Applies a layer to every timestep: [batch, time, ...] -> [batch, time, ...out], by
 * folding time into the batch ([batch * time, ...]) for one call of the inner layer. As in
 * Keras 3, an input mask ([batch, time, ...]) is passed on to the output and, folded the same
 * way, to an inner layer that takes masks.
 * @example layers.timeDistributed({layer: layers.dense({units: 8})})
 */
export class TimeDistributed extends Wrapper {
  static override className = 'TimeDistributed';

  constructor(args: TimeDistributedArgs) {
    args = layerOptions(TimeDistributed, new.target, args);
    super(args);
    this.inputSpec = new InputSpec({ minNdim: 3 });
    this.supportsMasking = true;
  }

  private innerShape(s: SymbolicShape): SymbolicShape {
    const [batch, time, ...rest] = s;
    return [batch === null || time === null ? null : batch * time, ...rest];
  }

  // Keras builds the inner layer on the input shape without the time axis.
  override build(inputShape: SymbolicShape): void {
    buildSublayer(this.layer, [inputShape[0], ...inputShape.slice(2)]);
  }

  override call(x: Tensor, { training, mask }: CallOptions): Tensor {
    const [batch, time, ...rest] = x.shape;
    const stepMask = innerStepMask(this.name, this.layer, x, mask);
    const y: unknown = this.layer.apply(reshape(x, [batch * time, ...rest]), stepMask === undefined ? { training } : { training, mask: stepMask });
    if (!(y instanceof Tensor)) throw new Error(`${this.name}: the inner layer ${this.layer.name} must return one tensor`);
    return reshape(y, [batch, time, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const inner = this.layer.computeOutputShape(this.innerShape(inputShape));
    if (inner.length > 0 && Array.isArray(inner[0]))
      throw new Error(`${this.name}: the inner layer ${this.layer.name} must return one tensor, it returns ${inner.length}`);
    const out = inner as SymbolicShape;
    if (out.length < 1) throw new Error(`${this.name}: the inner layer ${this.layer.name} returned shape ${formatShape(out)}`);
    return [inputShape[0], inputShape[1], ...out.slice(1)];
  }
}
