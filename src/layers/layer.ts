// Layer: the base of every layer and model. A layer owns weights (Variables it creates
// in build), computes outputs in call, and is applied either eagerly to Tensors or
// symbolically to SymbolicTensors, which records a Node for functional models.
import { isStringBatch, stringsRefused, type StringBatch } from './preprocessing/strings';
import { cast } from '../ops/cast';
import { isArrayData, variable, zeros as fillZeros } from '../tensor/creation';
import { checkDType, isFloatDType, type DType } from '../tensor/dtype';
import { keep, tidy } from '../tensor/memory';
import { inLayer } from './layer_errors';
import { noGrad } from '../tensor/run';
import { checkShape, shapesEqual, type Shape, describe } from '../tensor/shape';
import { Tensor, Variable, isRecomputing } from '../tensor/tensor';
import { add, div, mul } from '../ops/binary';
import * as constraints from '../constraints';
import { setConstraintOf } from '../constraints/of_variable';
import * as initializers from '../initializers';
import * as regularizers from '../regularizers';
import { classNameOf } from '../serialization/registry';
import { checkNoHoles, checkOptions } from '../options/check';
import { refuseWhileRunning } from '../training/running_loops';
import { checkBoolean } from '../options/check_args';
import { assertInputCompatibility, type InputSpec } from './input_spec';
import { currentScopePath, inScope, setVariablePath, uniqueLayerName, uniqueVariableName } from './naming';
import { DTypePolicy, layerDType, type SerializedDTypePolicy } from '../mixed_precision/policy';
import { checkNewWeight } from './weight_guard';
import { Node } from './node';
import { flattenNested, packNested, structureSize, type Nested, type Structure } from './structure';
import { SymbolicTensor, formatShape, specOf, type SymbolicShape, type TensorSpec } from './symbolic_tensor';
import { layerOptions } from './layer_options';
import { checkStateUnlocked, markBuiltAfterBuild } from './build_marking';
import { checkNotAdapting } from './preprocessing/adapt_run';
import { filterPacked, mapPacked } from '../tensor/packed_map';
import { tooManyArguments } from '../options/arity';
import { attachMask, carriedMasks, carriesMasks, hidingMasks } from './eager_masks';
import { recordArgs, recordedConfig, recordedOptions, type RecordedArgs } from './auto_config';
import { currentRematScope, type RematScope } from '../autograd/remat_scope';
import { capturingLosses, reportLoss, type HeldLoss } from '../autograd/remat_losses';
import { rematApplies, rematInvocation } from './remat_call';

/** How many outputs a layer returns: one tensor (most layers), an array, or a name-keyed object. */
export type OutputKind = 'single' | 'list' | 'dict';

/** What apply returns for a layer of output kind K. */
export type Outputs<T, K extends OutputKind> = K extends 'list' ? T[] : K extends 'dict' ? { [name: string]: T } : T;

/** A mask: true where a timestep is real data, false where it is padding; null for none. */
export type Mask = Tensor | null;

/** Options of call and apply. */
export interface CallOptions {
  /** Training mode (dropout drops, ...). Default false. */
  training?: boolean;
  /** The input mask(s), one per input; layers that support masking receive it. */
  mask?: Mask | Mask[];
}

/** Flags a layer's apply takes besides training and mask (multiHeadAttention's useCausalMask, ...). */
export type CallArgs = Readonly<Record<string, boolean>>;

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique within a model; default: the snake_case class name, numbered (dense, dense_1, ...). */
  name?: string;
  /** Whether optimizers update the layer's weights. Default true. */
  trainable?: boolean;
  /**
   * The dtype of the weights and of float computations: a dtype, a mixedPrecision.DTypePolicy
   * or its serialized form. Default the global policy's (config.floatx unless set).
   */
  dtype?: DType | DTypePolicy | SerializedDTypePolicy;
  /** For the first layer of a Sequential: the input shape without the batch dimension. */
  inputShape?: SymbolicShape;
  /** For the first layer of a Sequential: the input shape with the batch dimension. */
  batchInputShape?: SymbolicShape;
  /** The batch size that goes with inputShape (default: any). */
  batchSize?: number;
  /** For the first layer of a Sequential: the dtype of the implied input. Default config.floatx(). */
  inputDType?: DType;
  /** A penalty on the layer's outputs, divided by the batch size (Keras 3), added to `layer.losses` on every call. */
  activityRegularizer?: regularizers.RegularizerIdentifier | null;
}

/** Keras 3's options form of addWeight. */
export interface AddWeightOptions {
  /** The weight's shape. */
  shape: Shape;
  /** Default glorotUniform for float weights, zeros otherwise. */
  initializer?: initializers.InitializerIdentifier;
  /** Default the layer's dtype. */
  dtype?: DType;
  /** Default true. */
  trainable?: boolean;
  /** Default variable, variable_1, ... */
  name?: string;
  /** A penalty on the weight, added to the layer's losses. */
  regularizer?: regularizers.RegularizerIdentifier | null;
  /** Applied by optimizers after each update. */
  constraint?: constraints.ConstraintIdentifier | null;
}

/** What call may return. */
export type LayerOutput = Tensor | Tensor[] | { [name: string]: Tensor };

/** @internal The flat result of running a layer: outputs, their structure and their masks. */
export interface Invocation {
  outputs: Tensor[];
  structure: Structure;
  masks: Mask[];
}

// Calls nest (a model calls its layers); activity losses reset at the outermost call.
let callDepth = 0;
// While > 0, layers run on placeholder zeros to learn their output shapes: no losses.
let probing = 0;
/** @internal Whether layers are running on placeholder zeros to learn output shapes (stateful layers then leave their states alone). */
export function isProbing(): boolean {
  return probing > 0;
}
// Layers whose activityLosses list is not empty. While none is, a top-level call skips
// walking every sublayer to clear them (a walk over each layer's properties, per batch).
// A layer disposed while holding some leaves it high: the walk then runs, never skipped wrongly.
let layersHoldingActivityLosses = 0;

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
const isSymbolic = (v: unknown): v is SymbolicTensor => v instanceof SymbolicTensor;

// Keras's functional subclass, `class CustomModel(keras.Model)` made as `CustomModel(inputs,
// outputs)`, ported as `class CustomModel extends ts.Model` and `new CustomModel({inputs,
// outputs})`: Model takes its layers from call(), so the graph would be dropped without a word
// (a user's subclass may pass keys of its own up) and fit would fail later on a missing call().
function refuseGraphArgs(className: string, args: object | null | undefined): void {
  if (typeof args !== 'object' || args === null || !('inputs' in args) || !('outputs' in args)) return;
  const symbolic = (v: unknown): boolean =>
    v instanceof SymbolicTensor || (typeof v === 'object' && v !== null && Object.values(v).some((e) => e instanceof SymbolicTensor));
  if (!symbolic(args.inputs) || !symbolic(args.outputs)) return;
  throw new Error(
    `${className}: got {inputs, outputs} (a graph of symbolic tensors), but a subclass of Model or Layer computes in call() and would drop them; ` +
      `Keras's CustomModel(inputs, outputs) subclass is written 'class ${className} extends ts.Functional' here (its trainStep and the rest may be overridden), ` +
      'or ts.model({inputs, outputs}) for a plain functional model',
  );
}

// apply's training flag: a boolean (or unset). Anything else is refused, since a truthy object
// would switch dropout and the like on in inference without a word: the usual slip is
// Keras's `def call(self, inputs, training=None)` ported as `call(inputs, training)`, whose
// second parameter is the options object, passed on as `{ training }`.
function checkTrainingFlag(layerName: string, training: unknown): void {
  if (training === undefined || training === null || typeof training === 'boolean') return;
  const options = typeof training === 'object' && !Array.isArray(training) && !(training instanceof Tensor);
  throw new Error(
    `${layerName}.apply: expected training to be a boolean, got ${describe(training)}` +
      (options
        ? "; a layer's call receives its options as one object, call(inputs, { training, mask }) (Keras's call(inputs, training)): pass { training } from it, not the object itself"
        : ''),
  );
}
const isInput = (v: unknown): v is Tensor | SymbolicTensor => isTensor(v) || isSymbolic(v);
const isSpec = (v: unknown): v is TensorSpec => typeof v === 'object' && v !== null && Array.isArray((v as TensorSpec).shape);
const isShapeList = (s: unknown): s is SymbolicShape[] => Array.isArray(s) && s.length > 0 && Array.isArray(s[0]);

/**
 * The base class of layers and models. Subclasses override `build` (create weights with
 * `addWeight`), `call` (compute outputs), and optionally `computeOutputShape`,
 * `computeMask` and `getConfig`.
 *
 * Sublayers are tracked automatically: any Layer stored in a property of this layer
 * (directly, in an array, or in a plain object) contributes its weights, as Keras's
 * attribute tracking does. Layers kept elsewhere (a Map, a closure) are registered with
 * `this.track(layer)`.
 *
 * @example
 * class Scale extends Layer {
 *   scale!: Variable;
 *   override build() { this.scale = this.addWeight('scale', [], 'float32', 'ones'); }
 *   override call(x: Tensor) { return mul(x, this.scale); }
 * }
 */
export class Layer<K extends OutputKind = 'single'> {
  /** The name configs and registerLayer use for this class. */
  static className = 'Layer';

  /** The layer's name. */
  readonly name: string;
  /** The dtype of weights and float computations; float inputs are cast to it. */
  readonly dtype: DType;
  /** The layer's dtype policy (Keras's layer.dtype_policy): compute and variable dtype both its dtype. */
  get dtypePolicy(): DTypePolicy {
    return new DTypePolicy(this.dtype);
  }
  /** True once build has created the weights. */
  built = false;
  /** Whether a mask on the inputs passes through to the outputs (computeMask's default). */
  supportsMasking = false;
  /** What inputs the layer accepts; checked on every call. */
  inputSpec: InputSpec | InputSpec[] | null = null;
  /** One node per symbolic application of this layer (several for a shared layer). */
  readonly inboundNodes: Node[] = [];
  /** The input shape (with batch) given to the first layer of a Sequential. */
  readonly batchInputShape?: SymbolicShape;
  /** The dtype of the implied input of a Sequential whose first layer this is. */
  readonly inputDType?: DType;
  /** @internal The input shape(s) the layer was built for (Keras's build_config), once built by a call or build(). */
  buildInputShape?: SymbolicShape | SymbolicShape[];
  /** @internal True while the first call runs build: a model's build then leaves its sublayers to that call. */
  protected buildingForFirstCall = false;
  /** The penalty on outputs, if any. */
  readonly activityRegularizer: regularizers.Regularizer | null;

  private trainableFlag: boolean;
  private readonly ownTrainable: Variable[] = [];
  private readonly ownNonTrainable: Variable[] = [];
  // The name each own weight was created under (addWeight's name), for saving.
  private readonly weightNames = new Map<Variable, string>();
  private readonly weightRegularizers: [Variable, regularizers.Regularizer][] = [];
  private readonly explicitLayers: Layer<any>[] = [];
  private activityLosses: Tensor[] = [];
  private disposed = false;
  // The options a custom layer passed up beyond Layer's own (Keras 3's auto config), for getConfig.
  private readonly recordedArgs: RecordedArgs | undefined;
  /** @internal The RematScope active when the layer was constructed (Keras's _remat_mode), if any. */
  readonly rematScope: RematScope | null = currentRematScope();

  constructor(args: LayerArgs = {}) {
    args = layerOptions(Layer, new.target, args);
    const op = classNameOf(new.target);
    refuseGraphArgs(op, args);
    // Only a class that keeps Layer's getConfig reads them (built-in layers all override it).
    if (new.target.prototype.getConfig === Layer.prototype.getConfig) this.recordedArgs = recordArgs(new.target, args);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new Error(`${op}: expected name to be a non-empty string, got ${describe(args.name)}`);
    }
    this.name = args.name ?? uniqueLayerName(op);
    this.dtype = layerDType(this.name, args.dtype, checkDType);
    this.trainableFlag = args.trainable ?? true;
    if (args.batchInputShape !== undefined) this.batchInputShape = checkSymbolicShape(this.name, args.batchInputShape, 'batchInputShape');
    else if (args.inputShape !== undefined) {
      this.batchInputShape = [args.batchSize ?? null, ...checkSymbolicShape(this.name, args.inputShape, 'inputShape')];
    }
    if (args.inputDType !== undefined) this.inputDType = checkDType(this.name, args.inputDType);
    this.activityRegularizer = args.activityRegularizer ? regularizers.get(args.activityRegularizer, this.name) : null;
    markBuiltAfterBuild(this);
  }

  // ---- what subclasses override ---------------------------------------------------

  /**
   * Creates the weights once the input shape is known (called before the first call). Calling
   * it yourself marks the layer built, so the first call keeps the weights it made.
   */
  build(inputShape: SymbolicShape | SymbolicShape[]): void {
    void inputShape;
  }

  /**
   * The layer's computation on concrete tensors. Its options come as one object,
   * `{ training, mask }` (Keras's `call(inputs, training=None, mask=None)`): write
   * `call(x, { training })`, not `call(x, training)`, whose `training` would be that
   * object, truthy even in inference.
   */
  call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): LayerOutput {
    void inputs;
    void options;
    throw new Error(`Layer ${this.name} (${classNameOf(this.constructor)}) does not implement call()`);
  }

  /**
   * The output shape(s) for an input shape (null for unknown dimensions). The default
   * runs call on zeros of that shape, which works for any layer but costs a forward pass;
   * built-in layers compute it directly.
   */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const specs = isShapeList(inputShape) ? inputShape.map((shape) => ({ shape, dtype: this.dtype })) : { shape: inputShape, dtype: this.dtype };
    const out = probeOutputSpec(this, specs);
    return isSpec(out) ? out.shape : Object.values(out).map((s) => s.shape);
  }

  /** Output shapes and dtypes for input specs; used when the layer is applied symbolically. */
  computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    if (this.computeOutputShape === Layer.prototype.computeOutputShape) return probeOutputSpec(this, inputs);
    const { flat, structure } = flattenNested(this.name, inputs, isSpec, 'a TensorSpec');
    const shapes = this.computeOutputShape(structure.kind === 'single' ? flat[0].shape : flat.map((s) => s.shape));
    const dtype = this.outputDType(flat[0].dtype);
    return isShapeList(shapes) ? shapes.map((shape) => ({ shape, dtype })) : { shape: shapes, dtype };
  }

  /** The output mask given the inputs and their mask: by default passed on when supportsMasking. */
  computeMask(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, mask?: Mask | Mask[]): Mask | Mask[] {
    void inputs;
    return this.supportsMasking ? (mask ?? null) : null;
  }

  /** The dtype of outputs computed from an input of `inputDType` (used with computeOutputShape). */
  protected outputDType(inputDType: DType): DType {
    return isFloatDType(inputDType) ? this.dtype : inputDType;
  }

  /** Float inputs become the layer's dtype, as Keras autocasts; `created` collects the casts. */
  protected castInputs(inputs: Tensor[], created: Tensor[]): Tensor[] {
    return mapPacked(inputs, (x) => {
      if (!isFloatDType(x.dtype) || x.dtype === this.dtype || !isFloatDType(this.dtype)) return x;
      const c = cast(x, this.dtype);
      created.push(c);
      return c;
    });
  }

  /**
   * Runs call and computes the output mask. Models override it to get both from one pass
   * over their graph.
   */
  protected callAndComputeMask(inputs: Nested<Tensor>, options: CallOptions, wantMask: boolean): { outputs: LayerOutput; mask: Mask | Mask[] } {
    if (options.mask === undefined || readsMask(this)) {
      const outputs = this.call(inputs, options);
      return { outputs, mask: wantMask ? this.computeMask(inputs, options.mask) : null };
    }
    // A layer that neither passes masks on nor reads one in call drops it: say so once, as Keras 3.
    let read = false;
    const tracked = { ...options };
    Object.defineProperty(tracked, 'mask', {
      enumerable: true,
      get: () => {
        read = true;
        return options.mask;
      },
    });
    const outputs = this.call(inputs, tracked);
    if (!read && !this.warnedMaskDropped) {
      this.warnedMaskDropped = true;
      console.warn(
        `${this.name} (${classNameOf(this.constructor)}): was passed an input with a mask (from embedding maskZero or masking, say), but this layer does not support masking: ` +
          'it drops the mask, and the layers after it do not see it',
      );
    }
    return { outputs, mask: null };
  }
  private warnedMaskDropped = false;

  /**
   * @internal What apply does with raw (non-tensor) inputs first: string-taking layers and
   * models encode JS strings here; any other layer refuses them by name.
   */
  encodeRawInputs(inputs: unknown): unknown {
    if (isStringBatch(inputs)) throw stringsRefused(this.name);
    return inputs;
  }

  /**
   * @internal A raw-string input() applied to this layer: refused (string layers override it
   * to take the strings, string_input.ts).
   */
  protected takeRawStrings(t: SymbolicTensor): SymbolicTensor {
    throw new Error(
      `${this.name}: input '${t.sourceLayer.name}' holds raw strings (dtype 'string'); apply textVectorization, stringLookup or hashing to it first`,
    );
  }

  /** Splits apply's argument into a flat list (models override it to accept inputs by name). */
  protected flattenInputs(inputs: unknown): { flat: (Tensor | SymbolicTensor)[]; structure: Structure } {
    return flattenNested(this.name, inputs, isInput, 'a Tensor or SymbolicTensor');
  }

  // ---- applying ---------------------------------------------------------------------

  /**
   * Applies the layer: to Tensors it computes outputs now; to SymbolicTensors it records
   * the call in a graph and returns symbolic outputs (for functional models).
   * @example const y = layers.dense({units: 10}).apply(x);
   */
  apply(inputs: Nested<SymbolicTensor>, options?: CallOptions): Outputs<SymbolicTensor, K>;
  // Raw JS strings (StringBatch) are for a string-taking layer (textVectorization, ...) or a model that starts with one.
  apply(inputs: Nested<Tensor> | StringBatch, options?: CallOptions): Outputs<Tensor, K>;
  apply(inputs: Nested<Tensor> | Nested<SymbolicTensor> | StringBatch, options: CallOptions | null = {}): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    if (typeof options === 'boolean') {
      throw new Error(`${this.name}.apply: expected an options object, got ${options}; the training flag goes by name: apply(x, { training: ${options} })`);
    }
    options = checkOptions(`${this.name}.apply`, options, 'Layer.apply');
    return this.applyWithCallArgs(inputs, options, undefined);
  }

  /**
   * @internal apply with extra call arguments (flags such as useCausalMask that a
   * subclass's apply accepts): call receives them in its options, and a functional
   * model keeps them with the node (serialized as the node's kwargs).
   */
  protected applyWithCallArgs(inputs: unknown, options: CallOptions, callArgs: CallArgs | undefined): unknown {
    checkTrainingFlag(this.name, options.training);
    // Not converted here: a tensor made from them would have no owner (a tape may need it after apply).
    if (isArrayData(inputs)) {
      throw new Error(
        `${this.name}: apply takes tensors, got ${Array.isArray(inputs) ? 'nested arrays of numbers' : 'a typed array'}; ` +
          'make one with ts.tensor(...) (fit, evaluate and predict take plain arrays as they are)',
      );
    }
    const { flat, structure } = this.flattenInputs(this.encodeRawInputs(inputs));
    if (flat.every(isSymbolic)) {
      // A functional model carries masks from the layers that make them; one given here would be dropped.
      if ([options.mask].flat().some((m) => m != null))
        throw new Error(
          `${this.name}.apply: a mask given with symbolic inputs is not kept in the model (got ${describe(options.mask)}); ` +
            "a functional model's masks come from its layers (embedding maskZero, masking), or as inputs where a layer takes them by name (multiHeadAttention's queryMask, the attention layers' mask list, ...)",
        );
      return this.applySymbolic(flat, structure, options.training, callArgs);
    }
    if (!flat.every(isTensor)) {
      throw new Error(
        `${this.name}: inputs mix Tensors and SymbolicTensors; apply a layer either to tensors (to compute) or to symbolic tensors (to build a model)`,
      );
    }
    const given = options.mask === undefined ? undefined : Array.isArray(options.mask) ? options.mask : [options.mask];
    // As Keras 3 eagerly: an input's mask from the layer that made it, unless one is given.
    const made = given === undefined && carriesMasks(flat) ? carriedMasks(flat) : [];
    const result = this.invoke(flat, structure, options.training, given ?? (made.length > 0 ? made : undefined), true, callArgs);
    this.carryOutputMasks(result, [...flat, ...(given ?? [])], made);
    return packNested(result.outputs, result.structure);
  }

  // Attaches the output masks to the outputs, then frees the masks this apply made.
  private carryOutputMasks(result: Invocation, inputs: (Tensor | null)[], made: (Tensor | null)[]): void {
    // The common case, on every apply: no mask came in or out, so nothing to attach or free.
    if (made.length === 0 && !result.masks.some((m) => m)) return;
    const keepAlive = new Set<Tensor | null>(inputs);
    const outputs = new Set<Tensor | null>(result.outputs);
    result.outputs.forEach((y, i) => {
      const m = result.masks[i];
      if (m) attachMask(y, m);
    });
    for (const m of new Set([...made, ...result.masks])) if (m && !keepAlive.has(m) && !outputs.has(m) && !m.isDisposed) m.dispose();
  }

  /**
   * @internal Runs the layer on concrete tensors: builds it on first use, checks and casts
   * the inputs, calls it (releasing its intermediates), and records activity losses.
   * Masks of the outputs come back when `wantMasks`.
   */
  invoke(flat: Tensor[], structure: Structure, training: boolean | undefined, masks: Mask[] | undefined, wantMasks: boolean, callArgs?: CallArgs): Invocation {
    this.checkNotDisposed();
    // Probing for output shapes (building a graph) may go on while adapt reads its data.
    if (probing === 0) checkNotAdapting(this);
    flat.forEach((x, i) => {
      if (x.isDisposed) throw new Error(`${this.name}: input ${i} is a disposed tensor (shape ${formatShape(x.shape)})`);
    });
    // remat's recomputation (in the backward pass, at depth 0) keeps the forward pass's losses.
    if (callDepth === 0 && probing === 0 && layersHoldingActivityLosses > 0 && !isRecomputing())
      for (const layer of this.allLayers()) layer.clearActivityLosses();
    callDepth++;
    const casts: Tensor[] = [];
    let result: Invocation | undefined;
    try {
      // Within this layer's name scope, as Keras: layers it builds or runs are paths under it.
      result = inScope(this.scopePath(), () => {
        this.prepare(flat.map(specOf), structure);
        const cast = this.castInputs(flat, casts);
        const inputs = packNested(cast, structure);
        const mask = masks !== undefined && masks.some((m) => m !== null) ? (structure.kind === 'single' ? masks[0] : masks) : undefined;
        const options = { ...callArgs, training: training ?? false, mask };
        return hidingMasks(flat, () =>
          tidy(() =>
            // No closure for remat unless it applies: this runs on every layer call.
            rematApplies(this, this.rematScope, cast, structure)
              ? rematInvocation(cast, (xs) => this.flattenResult(this.callAndComputeMask(packNested(xs, structure), options, wantMasks)))
              : this.flattenResult(this.callAndComputeMask(inputs, options, wantMasks)),
          ),
        );
      });
      if (this.activityRegularizer !== null) for (const y of result.outputs) if (isFloatDType(y.dtype)) this.addLoss(activityLoss(this.activityRegularizer, y));
      return result;
    } catch (e) {
      throw inLayer(this, e);
    } finally {
      callDepth--;
      // A layer may return a cast input as is (identity); only unreturned casts go.
      if (casts.length > 0) {
        const returned = new Set<Tensor | null>([...(result?.outputs ?? []), ...(result?.masks ?? [])]);
        for (const c of casts) if (!returned.has(c)) c.dispose();
      }
    }
  }

  private applySymbolic(flat: SymbolicTensor[], structure: Structure, training: boolean | undefined, callArgs: CallArgs | undefined): unknown {
    this.checkNotDisposed();
    // A raw-string input() (dtype 'string') stands for strings only a string layer encodes.
    if (flat.some((t) => (t.dtype as string) === 'string')) flat = flat.map((t) => ((t.dtype as string) === 'string' ? this.takeRawStrings(t) : t));
    const specs = flat.map(specOf);
    let out: ReturnType<typeof flattenNested<TensorSpec>>;
    try {
      out = inScope(this.scopePath(), () => {
        this.prepare(specs, structure);
        return flattenNested(this.name, this.computeOutputSpec(packNested(specs, structure)), isSpec, 'a TensorSpec');
      });
    } catch (e) {
      throw inLayer(this, e);
    }
    const node = new Node(this, flat, structure, out.flat, out.structure, training, callArgs);
    return packNested(node.outputs, out.structure);
  }

  /**
   * @internal The input shapes build receives (and Keras's build_config records): every
   * input's; the attention layers leave out the masks a functional node holds as inputs.
   */
  protected shapesToBuild(specs: TensorSpec[], structure: Structure): SymbolicShape | SymbolicShape[] {
    return structure.kind === 'single' ? specs[0].shape : specs.map((s) => s.shape);
  }

  // Builds on first use, then checks the inputs against the input spec.
  private prepare(specs: TensorSpec[], structure: Structure): void {
    if (!this.built) {
      assertInputCompatibility(this.name, this.inputSpec, specs);
      const shapes = this.shapesToBuild(specs, structure);
      this.buildingForFirstCall = true;
      try {
        this.build(shapes);
      } finally {
        this.buildingForFirstCall = false;
      }
      this.built = true;
      this.buildInputShape = shapes;
    }
    assertInputCompatibility(this.name, this.inputSpec, specs);
  }

  private flattenResult(r: { outputs: LayerOutput; mask: Mask | Mask[] }): Invocation {
    const { flat, structure } = flattenNested(`${this.name}: call()`, r.outputs, isTensor, 'to return a Tensor');
    let masks: Mask[];
    if (r.mask === null || r.mask === undefined) masks = mapPacked(flat, () => null);
    else if (Array.isArray(r.mask)) masks = r.mask;
    else masks = [r.mask, ...flat.slice(1).map(() => null)];
    if (masks.length !== flat.length) throw new Error(`${this.name}: computeMask returned ${masks.length} masks for ${flat.length} outputs`);
    return { outputs: flat, structure, masks };
  }

  // ---- weights ----------------------------------------------------------------------

  /**
   * Creates a weight Variable owned by this layer (call it in build), in TensorFlow.js's
   * positional form or Keras 3's options form:
   * @example this.addWeight('kernel', [3, 4], 'float32', 'glorotUniform')
   * @example this.addWeight({ shape: [3, 4], initializer: 'glorotUniform', name: 'kernel' })
   * @param initializer default glorotUniform for float weights, zeros otherwise
   * @param constraint applied by optimizers after each update (see constraints.constraintOf)
   */
  addWeight(options: AddWeightOptions): Variable;
  addWeight(
    name: string,
    shape: Shape,
    dtype?: DType,
    initializer?: initializers.InitializerIdentifier,
    regularizer?: regularizers.RegularizerIdentifier | null,
    trainable?: boolean,
    constraint?: constraints.ConstraintIdentifier | null,
    getInitializerFunc?: never,
  ): Variable;
  addWeight(
    nameOrOptions: string | AddWeightOptions,
    shape?: Shape,
    dtype: DType = this.dtype,
    initializer?: initializers.InitializerIdentifier,
    regularizer?: regularizers.RegularizerIdentifier | null,
    trainable = true,
    constraint?: constraints.ConstraintIdentifier | null,
    getInitializerFunc?: never,
  ): Variable {
    if (arguments.length > 8) throw tooManyArguments(`${this.name}.addWeight`, 8, arguments.length);
    if (getInitializerFunc !== undefined)
      throw new Error(
        `${this.name}.addWeight: TensorFlow.js's eighth argument (getInitializerFunc) is not taken: give the initializer (the fourth), got ${describe(getInitializerFunc)}`,
      );
    if (typeof nameOrOptions !== 'string') {
      if (shape !== undefined)
        throw new Error(`${this.name}.addWeight: expected (name, shape, ...) or one options object, got an object and then ${describe(shape)}`);
      const o = checkOptions(`${this.name}.addWeight`, nameOrOptions, 'Layer.addWeight');
      if (o.shape === undefined) throw new Error(`${this.name}.addWeight: the options need a shape`);
      return this.addWeight(o.name ?? this.freeWeightName(), o.shape, o.dtype ?? this.dtype, o.initializer, o.regularizer, o.trainable ?? true, o.constraint);
    }
    const name = nameOrOptions;
    if (name.length === 0) throw new Error(`${this.name}.addWeight: expected name to be a non-empty string`);
    const op = `${this.name}.addWeight('${name}')`;
    checkStateUnlocked(this, name);
    checkShape(op, shape);
    checkBoolean(op, 'trainable', trainable);
    checkNewWeight(this.name, name, shape!);
    const init = initializers.get(initializer ?? (isFloatDType(dtype) ? 'glorotUniform' : 'zeros'), op);
    const value = init.apply([...shape!], dtype);
    const v = variable(value, trainable && this.trainableFlag, uniqueVariableName(`${this.name}/${name}`));
    value.dispose();
    (trainable ? this.ownTrainable : this.ownNonTrainable).push(v);
    this.weightNames.set(v, name);
    setVariablePath(v, `${this.scopePath()}/${name}`);
    if (regularizer) this.weightRegularizers.push([v, regularizers.get(regularizer, op)]);
    if (constraint) setConstraintOf(v, constraints.get(constraint, op));
    return v;
  }

  // Keras's _parent_path: the scope path when this layer first built or ran (undefined before).
  private parentPath: string | undefined = undefined;

  /**
   * @internal Keras's name scope of this layer, the prefix of its weights' paths: its name
   * under the layer whose build or call first built or ran it ('sequential/dense').
   */
  scopePath(): string {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.scopePath`, 0, arguments.length);
    this.parentPath ??= currentScopePath();
    return this.parentPath === '' ? this.name : `${this.parentPath}/${this.name}`;
  }

  // Keras 3's default weight names: variable, variable_1, ...
  private freeWeightName(): string {
    const taken = new Set(this.weightNames.values());
    let name = 'variable';
    for (let i = 1; taken.has(name); i++) name = `variable_${i}`;
    return name;
  }

  /** Every weight of this layer and its sublayers: own trainable, own non-trainable, then sublayers'. */
  get weights(): Variable[] {
    return this.allLayers().flatMap((l) => [...l.ownTrainable, ...l.ownNonTrainable]);
  }

  /**
   * @internal This layer's own weights (not its sublayers'), trainable first, with the
   * names addWeight gave them ('kernel'), as saving addresses them.
   */
  ownWeights(): { name: string; variable: Variable }[] {
    return [...this.ownTrainable, ...this.ownNonTrainable].map((variable) => ({ name: this.weightNames.get(variable)!, variable }));
  }

  /** The weights optimizers update (none when the layer is frozen). */
  get trainableWeights(): Variable[] {
    return this.trainableFlag ? filterPacked(this.weights, (v) => v.trainable) : [];
  }

  /** The weights optimizers leave alone. */
  get nonTrainableWeights(): Variable[] {
    return this.trainableFlag ? filterPacked(this.weights, (v) => !v.trainable) : this.weights;
  }

  /** Keras 3's name for `weights` (`layer.variables`). */
  get variables(): Variable[] {
    return this.weights;
  }

  /** Keras 3's name for `trainableWeights` (`layer.trainable_variables`). */
  get trainableVariables(): Variable[] {
    return this.trainableWeights;
  }

  /** Keras 3's name for `nonTrainableWeights` (`layer.non_trainable_variables`). */
  get nonTrainableVariables(): Variable[] {
    return this.nonTrainableWeights;
  }

  /**
   * Whether the layer's weights train. Setting it also sets every sublayer (Keras 3). A change
   * takes effect at the next fit, trainOnBatch or custom training step: unlike Keras 3, which
   * fixes the trained weights at compile (and breaks on a change without a new compile),
   * Tessera needs no new compile. While a fit of a model holding the layer runs (from one of
   * its callbacks), a change is refused: the weights a fit trains are fixed when it starts.
   */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    if (typeof value !== 'boolean') throw new Error(`${this.name}: expected trainable to be a boolean, got ${typeof value}`);
    // The weights a fit trains are fixed when it starts (Keras 3 fixes them at compile and breaks on a change mid-fit).
    if (this.allLayers().some((l) => l.trainableFlag !== value)) refuseWhileRunning(`${this.name}.trainable`, this, 'set trainable', ['fit']);
    for (const layer of this.allLayers()) {
      layer.trainableFlag = value;
      // Weights created non-trainable (e.g. moving statistics) stay so.
      for (const v of layer.ownTrainable) v.trainable = value;
    }
  }

  /** Copies of the weights' values, in the order of `weights` (of `trainableWeights` when trainableOnly: TensorFlow.js's argument). */
  getWeights(trainableOnly = false): Tensor[] {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.getWeights`, 1, arguments.length);
    this.checkNotDisposed();
    checkBoolean(`${this.name}.getWeights`, 'trainableOnly', trainableOnly);
    return (trainableOnly ? this.trainableWeights : this.weights).map((v) => tidy(() => add(v, 0)));
  }

  /** Sets the weights from tensors in the order of `weights` (copied; shapes must match). */
  setWeights(values: Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.setWeights`, 1, arguments.length);
    this.checkNotDisposed();
    const weights = this.weights;
    const describeAll = () => weights.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ');
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new Error(
        `${this.name}.setWeights: expected ${weights.length} tensors (${describeAll()}), got ${Array.isArray(values) ? values.length : typeof values}`,
      );
    }
    checkNoHoles(`${this.name}.setWeights`, 'values', values);
    values.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new Error(`${this.name}.setWeights: expected a Tensor at index ${i}, got ${typeof t}`);
      if (!shapesEqual(t.shape, weights[i].shape)) {
        throw new Error(
          `${this.name}.setWeights: weight ${i} (${weights[i].name}) has shape ${formatShape(weights[i].shape)}, got a tensor of shape ${formatShape(t.shape)}`,
        );
      }
    });
    values.forEach((t, i) => {
      if (t.dtype === weights[i].dtype) weights[i].assign(t);
      else tidy(() => weights[i].assign(cast(t, weights[i].dtype)));
    });
  }

  /** Number of scalars in the weights. */
  countParams(): number {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.countParams`, 0, arguments.length);
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  // ---- losses -----------------------------------------------------------------------

  /**
   * Regularization penalties: weight regularizers (computed now, so they are recorded by
   * an active GradientTape; the caller disposes them) and activity regularizers from the
   * last call (released at the next call).
   */
  get losses(): Tensor[] {
    const out: Tensor[] = [];
    for (const layer of this.allLayers()) {
      if (layer.trainableFlag) for (const [v, reg] of layer.weightRegularizers) if (v.trainable) out.push(reg.apply(v));
      out.push(...layer.activityLosses);
    }
    return out;
  }

  /** Adds a penalty computed in call to `losses` until the next call (Keras's add_loss). */
  addLoss(loss: Tensor): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.addLoss`, 1, arguments.length);
    if (!(loss instanceof Tensor)) throw new Error(`${this.name}.addLoss: expected a Tensor, got ${typeof loss}`);
    if (probing > 0) return;
    if (this.activityLosses.length === 0) layersHoldingActivityLosses++;
    const held = keep(loss);
    this.activityLosses.push(held);
    if (capturingLosses()) reportLoss(this.heldLoss(held));
  }

  // A loss this layer holds, for remat (remat_losses.ts): replaced by the remat node's output, or dropped.
  private heldLoss(t: Tensor): HeldLoss {
    const entry: HeldLoss = {
      tensor: t,
      replace: (by) => {
        const i = this.activityLosses.indexOf(entry.tensor);
        if (i < 0) return;
        if (by !== null) {
          this.activityLosses[i] = by;
          entry.tensor = by;
          return;
        }
        this.activityLosses.splice(i, 1);
        if (this.activityLosses.length === 0) layersHoldingActivityLosses--;
      },
    };
    return entry;
  }

  private clearActivityLosses(): void {
    if (this.activityLosses.length === 0) return;
    for (const t of this.activityLosses) t.dispose();
    this.activityLosses = [];
    layersHoldingActivityLosses--;
  }

  // ---- sublayers ----------------------------------------------------------------------

  /** Registers a sublayer kept where automatic tracking cannot see it; returns it. */
  protected track<T extends Layer<any>>(layer: T): T {
    if (!(layer instanceof Layer)) throw new Error(`${this.name}.track: expected a Layer, got ${typeof layer}`);
    if (!this.explicitLayers.includes(layer)) this.explicitLayers.push(layer);
    return layer;
  }

  /**
   * The direct sublayers: those passed to track, and every Layer held in a property
   * (directly, in an array, or in a plain object). Models override it with their layers.
   */
  protected trackedLayers(): Layer<any>[] {
    const found = new Set<Layer<any>>(this.explicitLayers);
    const consider = (v: unknown) => {
      if (v instanceof Layer && v !== this) found.add(v);
    };
    for (const value of Object.values(this)) {
      if (Array.isArray(value)) value.forEach(consider);
      else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) Object.values(value).forEach(consider);
      else consider(value);
    }
    return [...found];
  }

  /** @internal This layer and every layer below it, each once, parents first. */
  allLayers(): Layer<any>[] {
    const seen = new Set<Layer<any>>();
    const visit = (layer: Layer<any>) => {
      if (seen.has(layer)) return;
      seen.add(layer);
      for (const child of layer.trackedLayers()) visit(child);
    };
    visit(this);
    return [...seen];
  }

  // ---- graph --------------------------------------------------------------------------

  /** The symbolic input of the layer's first node (as Keras 3: a shared layer's first call; getInputAt(i) for another). */
  get input(): Nested<SymbolicTensor> {
    return this.getInputAt(0);
  }

  /** The symbolic output of the layer's first node: use it to build a model over an inner tensor (getOutputAt(i) for another call). */
  get output(): Outputs<SymbolicTensor, K> {
    return this.getOutputAt(0);
  }

  /** The symbolic input of the layer's node `nodeIndex` (its call number nodeIndex, from 0). */
  getInputAt(nodeIndex: number): Nested<SymbolicTensor> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.getInputAt`, 1, arguments.length);
    const node = this.nodeAt(nodeIndex, 'input', 'getInputAt');
    return packNested(node.inputs, node.inputStructure);
  }

  /** The symbolic output of the layer's node `nodeIndex` (its call number nodeIndex, from 0). */
  getOutputAt(nodeIndex: number): Outputs<SymbolicTensor, K> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.getOutputAt`, 1, arguments.length);
    const node = this.nodeAt(nodeIndex, 'output', 'getOutputAt');
    return packNested(node.outputs, node.outputStructure) as Outputs<SymbolicTensor, K>;
  }

  private nodeAt(nodeIndex: unknown, what: string, op: string): Node {
    if (!Number.isInteger(nodeIndex) || (nodeIndex as number) < 0)
      throw new Error(`${this.name}.${op}: expected nodeIndex to be a non-negative integer, got ${describe(nodeIndex)}`);
    if (this.inboundNodes.length === 0) throw new Error(`Layer ${this.name} has never been applied to a symbolic tensor, so it has no ${what}`);
    const node = this.inboundNodes[nodeIndex as number];
    if (node === undefined)
      throw new Error(
        `${this.name}.${op}: asked for the ${what} of node ${nodeIndex as number}, but the layer has only ${this.inboundNodes.length} inbound nodes`,
      );
    return node;
  }

  // ---- config and lifetime -----------------------------------------------------------

  /**
   * The options to rebuild this layer with fromConfig (JSON-friendly). A custom layer that
   * does not override it gets, besides Layer's options, the options its constructor passed
   * to `super(args)` (as Keras 3 records a layer's arguments), keys as given: plain data as
   * it is; layers, models, initializers, regularizers, constraints and registered
   * activations in Keras's form {module, class_name, config, registered_name}, rebuilt by
   * fromConfig; other values throw.
   */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainableFlag, dtype: this.dtype };
    if (this.batchInputShape !== undefined) config.batchInputShape = [...this.batchInputShape];
    if (this.inputDType !== undefined) config.inputDType = this.inputDType;
    if (this.activityRegularizer !== null) config.activityRegularizer = regularizers.serialize(this.activityRegularizer);
    if (this.recordedArgs !== undefined && this.getConfig === Layer.prototype.getConfig) Object.assign(config, recordedConfig(this, this.recordedArgs));
    return config;
  }

  /** A new layer from a config that getConfig produced. */
  static fromConfig<T extends Layer<any>>(this: new (args: any) => T, config: Record<string, unknown>): T {
    const auto = this.prototype.getConfig === Layer.prototype.getConfig;
    try {
      // A custom layer's recorded options: the objects in them rebuilt (auto_config.ts).
      return new this(auto && config !== null && typeof config === 'object' ? recordedOptions(this, config) : config);
    } catch (e) {
      // A custom layer that kept Layer's getConfig saved Layer's options and those it passed
      // to super(args) (auto_config.ts): one that passed fewer has a config short of some.
      if (!auto || !(e instanceof Error)) throw e;
      const name = classNameOf(this);
      throw new Error(
        `${name}.fromConfig: rebuilding from its config { ${Object.keys(config).join(', ')} } failed (${e.message}); ` +
          `${name} does not override getConfig, so its config holds Layer's options and those its constructor passed to super(args): ` +
          "pass the constructor's whole options object up (super(args)), or return the constructor's options from getConfig " +
          '(and take them as one object, or override static fromConfig)',
        { cause: e },
      );
    }
  }

  /** Releases the weights of this layer and its sublayers; the layer cannot be used afterwards. */
  dispose(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.dispose`, 0, arguments.length);
    for (const layer of this.allLayers()) {
      for (const v of [...layer.ownTrainable, ...layer.ownNonTrainable]) v.dispose();
      layer.releaseState();
      layer.clearActivityLosses();
      layer.disposed = true;
    }
  }

  /** @internal Releases tensors the layer holds besides its weights (a stateful RNN's states); dispose() calls it. */
  protected releaseState(): void {}

  /** True once dispose() was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  protected checkNotDisposed(): void {
    if (this.disposed) throw new Error(`Layer ${this.name} was disposed; its weights are gone`);
  }
}

/**
 * @internal Whether a layer's call is given a mask: it passes masks on (supportsMasking) or
 * computes its own; any other layer drops one (apply warns, TimeDistributed does not fold it).
 */
export function readsMask(layer: Layer<any>): boolean {
  return layer.supportsMasking || layer.computeMask !== Layer.prototype.computeMask;
}

// Keras 3 (3.14 on): the penalty of an output divided by its batch size (0 for an empty
// batch), so the strength does not grow with the batch.
function activityLoss(regularizer: regularizers.Regularizer, y: Tensor): Tensor {
  return tidy(() => {
    const loss = regularizer.apply(y);
    if (y.rank === 0) return loss;
    return y.shape[0] === 0 ? mul(loss, 0) : div(loss, y.shape[0]);
  });
}

/** @internal Validates a shape whose entries may be null. */
export function checkSymbolicShape(op: string, shape: unknown, what: string): SymbolicShape {
  // Spread first: some() skips a sparse array's holes ([2, , 3]), which must not pass as null.
  if (!Array.isArray(shape) || [...shape].some((d) => d !== null && !(Number.isInteger(d) && d >= 0))) {
    throw new Error(`${op}: expected ${what} to be an array of non-negative integers or null, got ${describe(shape)}`);
  }
  return [...shape];
}

/**
 * @internal Output specs learned by running the layer on zeros: once with every unknown
 * dimension 1 and once with 2; output dimensions that differ are unknown. Works for
 * any layer (lambda, subclassed models) at the cost of two small forward passes.
 */
export function probeOutputSpec(layer: Layer<any>, inputs: Nested<TensorSpec>): Nested<TensorSpec> {
  const { flat, structure } = flattenNested(layer.name, inputs, isSpec, 'a TensorSpec');
  const run = (unknown: number): { specs: TensorSpec[]; structure: Structure } => {
    probing++;
    try {
      return tidy(() => {
        const xs = flat.map((s) =>
          fillZeros(
            s.shape.map((d) => d ?? unknown),
            s.dtype,
          ),
        );
        const r = layer.invoke(xs, structure, false, undefined, false);
        return { specs: r.outputs.map(specOf), structure: r.structure };
      });
    } finally {
      probing--;
    }
  };
  const a = run(1);
  const b = run(2);
  const specs = a.specs.map((s, i) => ({ dtype: s.dtype, shape: s.shape.map((d, j) => (d === b.specs[i].shape[j] ? d : null)) }));
  if (structureSize(a.structure) !== specs.length) throw new Error(`${layer.name}: internal error: output structure mismatch`);
  return packNested(specs, a.structure);
}

/**
 * @internal Builds a layer whose weights appear only when call runs (a subclassed model): runs
 * it once on zeros of `shape` (unknown dimensions 1), recording no gradient or loss and
 * keeping no tensor it made.
 */
export function buildByRunning(layer: Layer<any>, shape: SymbolicShape | SymbolicShape[], dtype: DType): void {
  const shapes = isShapeList(shape) ? shape : [shape];
  const structure: Structure = isShapeList(shape) ? { kind: 'list', length: shapes.length } : { kind: 'single' };
  probing++;
  try {
    noGrad(() =>
      tidy(() => {
        const xs = shapes.map((s) =>
          fillZeros(
            s.map((d) => d ?? 1),
            dtype,
          ),
        );
        layer.invoke(xs, structure, false, undefined, false);
      }),
    );
  } finally {
    probing--;
  }
}
