// The gradient tape: records the ops that touch watched tensors, then walks them back
// in reverse, applying each op's gradient rule (micrograd's idea, TensorFlow's API).
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { runKernel1, savedCopyOf, setRecorder, type GradRule } from '../tensor/run';
import { describe, shapesEqual } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { fill } from '../tensor/creation';
import { mapPacked } from '../tensor/packed_map';

/**
 * One recorded op: its input and output tensors (copies of the lists, whose tensors are
 * immutable but for disposal: backward reads their ids, shapes and dtypes, never their
 * values), the rule and what it saved. Two arrays per node rather than ids, shapes and
 * dtypes in six: recording runs once per taped op, so its allocations are every taped
 * op's cost (bench:ops).
 */
class TapeNode {
  readonly inputs: Tensor[];
  readonly outputs: Tensor[];
  readonly device: string;

  constructor(
    readonly name: string,
    inputs: Tensor[],
    outputs: Tensor[],
    readonly rule: GradRule,
    readonly saved: Tensor[],
  ) {
    this.inputs = inputs.slice();
    this.outputs = outputs.slice();
    this.device = outputs.length > 0 ? outputs[0].device : inputs[0].device;
  }
}

/** @internal A tape's recording state. */
export class TapeRecording {
  readonly nodes: TapeNode[] = [];
  /** Ids of watched tensors and of everything computed from them. */
  readonly tracked = new Set<number>();
  /** Trainable Variables watched because an op read them, in first-use order. */
  readonly accessedVariables: Variable[] = [];
  paused = false;
  released = false;
  /** @internal A reads-only tape (remat's forward pass): the tensors ops read that they did not make, nothing saved. */
  reads: Tensor[] | null = null;

  constructor(readonly watchAccessedVariables: boolean) {}

  release(): void {
    for (const node of this.nodes) for (const t of node.saved) t.dispose();
    this.nodes.length = 0;
    this.tracked.clear();
    this.accessedVariables.length = 0;
    this.released = true;
  }
}

const activeTapes: TapeRecording[] = [];

function wantsTensor(tape: TapeRecording, t: Tensor): boolean {
  if (tape.tracked.has(t.id)) return true;
  if (tape.watchAccessedVariables && t instanceof Variable && t.trainable && isFloatDType(t.dtype)) {
    tape.tracked.add(t.id);
    tape.accessedVariables.push(t);
    return true;
  }
  return false;
}

const NOTHING_SAVED: Tensor[] = Object.freeze([]) as unknown as Tensor[];

function record(name: string, inputs: Tensor[], outputs: Tensor[], rule: GradRule): void {
  for (let k = 0; k < activeTapes.length; k++) {
    const tape = activeTapes[k];
    if (tape.paused) continue;
    if (tape.reads !== null) {
      noteReads(tape, inputs, outputs);
      continue;
    }
    let any = false;
    // Every input is offered (not only up to the first wanted one): a Variable is watched on first use.
    for (let i = 0; i < inputs.length; i++) if (wantsTensor(tape, inputs[i])) any = true;
    if (!any) continue;
    // The tape keeps its own views of what the rule needs, so users may dispose freely.
    // A rule that saves nothing shares one empty list (an array per taped op otherwise).
    let saved = NOTHING_SAVED;
    if (rule.save || rule.saveOutputs) {
      saved = [];
      if (rule.save) for (let i = 0; i < rule.save.length; i++) saved.push(savedCopyOf(rule.save[i]));
      if (rule.saveOutputs) for (let i = 0; i < outputs.length; i++) saved.push(savedCopyOf(outputs[i]));
    }
    tape.nodes.push(new TapeNode(name, inputs, outputs, rule, saved));
    for (let i = 0; i < outputs.length; i++) if (isFloatDType(outputs[i].dtype)) tape.tracked.add(outputs[i].id);
  }
}

// A reads-only tape keeps the float tensors taped ops read from outside (inputs, captured
// tensors, Variables), first use first; `tracked` holds the ids made inside.
function noteReads(tape: TapeRecording, inputs: Tensor[], outputs: Tensor[]): void {
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if (!tape.tracked.has(t.id) && isFloatDType(t.dtype)) {
      tape.tracked.add(t.id);
      tape.reads!.push(t);
    }
  }
  for (let i = 0; i < outputs.length; i++) tape.tracked.add(outputs[i].id);
}

/** @internal True when some tape records (remat then has something to save memory on). */
export function anyTapeRecording(): boolean {
  return activeTapes.some((t) => !t.paused);
}

/**
 * @internal Runs fn with every tape paused but a reads-only one: what it computes is not
 * recorded (nothing saved), and the float tensors its taped ops read from outside come back.
 */
export function runUntaped<T>(fn: () => T): { result: T; reads: Tensor[] } {
  const wasPaused = activeTapes.map((t) => t.paused);
  const outer = activeTapes.slice();
  for (const t of outer) t.paused = true;
  const tape = startTape(false);
  tape.reads = [];
  try {
    return { result: fn(), reads: tape.reads };
  } finally {
    stopTape(tape);
    tape.release();
    outer.forEach((t, i) => (t.paused = wasPaused[i]));
  }
}

function updateRecorder(): void {
  setRecorder(activeTapes.length > 0 ? record : null);
}

/** @internal Starts recording on a new tape. */
export function startTape(watchAccessedVariables: boolean): TapeRecording {
  const tape = new TapeRecording(watchAccessedVariables);
  activeTapes.push(tape);
  updateRecorder();
  return tape;
}

/** @internal Stops recording on `tape` (its nodes stay until released). */
export function stopTape(tape: TapeRecording): void {
  const i = activeTapes.indexOf(tape);
  if (i >= 0) activeTapes.splice(i, 1);
  updateRecorder();
}

// Two gradients of one tensor, of its shape and dtype (backward checks both): the add
// kernel directly, so that autograd/ needs nothing of ops/. An outer tape (a higher-order
// gradient) records it with add's rule for equal shapes: dy to both.
function sumGradients(a: Tensor, b: Tensor): Tensor {
  return runKernel1('add', 'add', [a, b], [], { shape: a.shape, dtype: a.dtype }, { grad: ([dy]) => [dy, dy] });
}

// Gradient tensors are shared between map entries (an identity rule passes dy on), so
// they are reference-counted and disposed when the last entry lets go.
class GradientMap {
  private readonly byId = new Map<number, Tensor>();
  private readonly refs = new Map<Tensor, number>();
  constructor(private readonly external: Set<Tensor>) {}

  get(id: number): Tensor | undefined {
    return this.byId.get(id);
  }
  set(id: number, t: Tensor): void {
    this.byId.set(id, t);
    this.refs.set(t, (this.refs.get(t) ?? 0) + 1);
  }
  delete(id: number): void {
    const t = this.byId.get(id);
    if (t === undefined) return;
    this.byId.delete(id);
    const n = (this.refs.get(t) ?? 1) - 1;
    if (n > 0) this.refs.set(t, n);
    else {
      this.refs.delete(t);
      if (!this.external.has(t)) t.dispose();
    }
  }
  /** True when `id`'s gradient is held by that entry alone and was made by backward (not passed in). */
  heldOnlyBy(id: number): boolean {
    const t = this.byId.get(id);
    return t !== undefined && this.refs.get(t) === 1 && !this.external.has(t);
  }
  accumulate(id: number, g: Tensor): void {
    const old = this.byId.get(id);
    if (old === undefined) {
      this.set(id, g);
      return;
    }
    const total = sumGradients(old, g);
    this.delete(id);
    this.set(id, total);
  }
  /** Disposes every entry except the tensors in `keep`. */
  clear(keep: Set<Tensor>): void {
    for (const t of this.refs.keys()) if (!keep.has(t) && !this.external.has(t)) t.dispose();
    this.byId.clear();
    this.refs.clear();
  }
}

/**
 * Called once per source as soon as its gradient is final (no node left to walk reads the
 * source), while backward goes on: e.g. to start all-reducing it (PyTorch DDP's hook).
 * The tensor stays valid: it is also in backward's result. `sole`: nothing else backward
 * holds or will read is this tensor (it is no other tensor's gradient, the source is listed
 * once and no op left to walk produced it, and it is not the output gradient passed in),
 * so the hook may overwrite it in place once backward is done with the rest; whether
 * another handle or a view shares its memory is the native side's to check.
 */
export type GradientReadyHook = (sourceIndex: number, gradient: Tensor | null, sole: boolean) => void;

// For each node index, the sources whose gradient is final once that node was walked: the
// node with the lowest index that reads the source. Sources no node reads are final at once.
// `leaves`: the sources listed once that no node outputs. A source some node outputs is
// final before that node is walked (its readers come after it on the tape), which then
// still reads the gradient as its output's.
function finalAfter(tape: TapeRecording, sources: Tensor[]): { byNode: Map<number, number[]>; unread: number[]; leaves: Set<number> } {
  const position = new Map<number, number[]>();
  sources.forEach((s, i) => position.set(s.id, [...(position.get(s.id) ?? []), i]));
  const firstReader = new Map<number, number>();
  const produced = new Set<number>();
  tape.nodes.forEach((node, n) => {
    for (const { id } of node.inputs) if (position.has(id) && !firstReader.has(id)) firstReader.set(id, n);
    for (const { id } of node.outputs) if (position.has(id)) produced.add(id);
  });
  const leaves = new Set<number>();
  for (const [id, indices] of position) if (indices.length === 1 && !produced.has(id)) leaves.add(indices[0]);
  const byNode = new Map<number, number[]>();
  const unread: number[] = [];
  for (const [id, indices] of position) {
    const n = firstReader.get(id);
    if (n === undefined) unread.push(...indices);
    else byNode.set(n, [...(byNode.get(n) ?? []), ...indices]);
  }
  return { byNode, unread, leaves };
}

/**
 * @internal The gradients of `target` with respect to `sources` over the nodes of `tape`.
 * Unconnected sources get null. `onReady`, when given, hears of each gradient as soon as
 * it is final.
 */
export function backward(
  tape: TapeRecording,
  opName: string,
  target: Tensor,
  sources: Tensor[],
  outputGradient?: Tensor,
  onReady?: GradientReadyHook,
): (Tensor | null)[] {
  if (tape.released) {
    throw new Error(
      `${opName}: this tape was already used by gradient() and released its recording; create the tape with {persistent: true} to call gradient() more than once`,
    );
  }
  if (!(target instanceof Tensor)) throw new Error(`${opName}: expected the target to be a Tensor, got ${describe(target)}`);
  sources.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new Error(`${opName}: expected sources[${i}] to be a Tensor, got ${describe(s)}`);
  });
  if (outputGradient !== undefined) {
    if (!(outputGradient instanceof Tensor)) throw new Error(`${opName}: expected the output gradient to be a Tensor, got ${describe(outputGradient)}`);
    if (!shapesEqual(outputGradient.shape, target.shape)) {
      throw new Error(`${opName}: the output gradient has shape [${outputGradient.shape.join(', ')}], but the target has shape [${target.shape.join(', ')}]`);
    }
  } else if (target.size !== 1) {
    throw new Error(
      `${opName}: the target has shape [${target.shape.join(', ')}]; gradients need a scalar target, or an output gradient of the target's shape` +
        " (Keras's loss functions, such as losses.meanSquaredError(yTrue, yPred), give one value per sample: take their mean(); TensorFlow.js's reduced forms are losses.computeWeightedLoss and losses.softmaxCrossEntropy)",
    );
  }
  if (!isFloatDType(target.dtype)) throw new Error(`${opName}: the target has dtype ${target.dtype}; gradients need float32 or float64`);

  const wasPaused = tape.paused;
  tape.paused = true; // other tapes keep recording: that is how higher-order gradients work
  const external = new Set<Tensor>(outputGradient ? [outputGradient] : []);
  const grads = new GradientMap(external);
  try {
    grads.set(target.id, outputGradient ?? fill(target.shape, 1, target.dtype, target.device));
    return walk(tape, opName, grads, sources, onReady);
  } catch (e) {
    grads.clear(new Set());
    throw e;
  } finally {
    tape.paused = wasPaused;
  }
}

/**
 * @internal Gradients of several targets at once, each weighted by its own output gradient
 * (remat's recomputation seeds every output of the function): the sum of their vector-Jacobian
 * products with respect to `sources`. The output gradients stay the caller's.
 */
export function backwardFromSeeds(tape: TapeRecording, opName: string, targets: Tensor[], outputGradients: Tensor[], sources: Tensor[]): (Tensor | null)[] {
  const wasPaused = tape.paused;
  tape.paused = true;
  const grads = new GradientMap(new Set(outputGradients));
  try {
    targets.forEach((t, i) => grads.accumulate(t.id, outputGradients[i]));
    return walk(tape, opName, grads, sources);
  } catch (e) {
    grads.clear(new Set());
    throw e;
  } finally {
    tape.paused = wasPaused;
  }
}

// The walk back over the tape from the seeded gradients in `grads`.
function walk(tape: TapeRecording, opName: string, grads: GradientMap, sources: Tensor[], onReady?: GradientReadyHook): (Tensor | null)[] {
  const sourceIds = new Set(sources.map((s) => s.id));
  const ready = onReady && finalAfter(tape, sources);
  const announce = (indices: number[] | undefined) => {
    for (const i of indices ?? []) {
      const id = sources[i].id;
      onReady!(i, grads.get(id) ?? null, ready!.leaves.has(i) && grads.heldOnlyBy(id));
    }
  };
  if (ready) announce(ready.unread);
  for (let n = tape.nodes.length - 1; n >= 0; n--) {
    const node = tape.nodes[n];
    const dys = mapPacked(node.outputs, (t) => grads.get(t.id));
    if (dys.every((g) => g === undefined)) {
      if (ready) announce(ready.byNode.get(n));
      continue;
    }
    const needs = mapPacked(node.inputs, (t) => tape.tracked.has(t.id) && isFloatDType(t.dtype));
    const inputGrads = tidy(() => {
      if (node.rule.nullForUnused) return node.rule.grad(mapPacked(dys, (g) => g ?? null) as Tensor[], node.saved, needs);
      const filled = mapPacked(dys, (g, i) => g ?? fill(node.outputs[i].shape, 0, node.outputs[i].dtype, node.device));
      return node.rule.grad(filled, node.saved, needs);
    });
    node.inputs.forEach((input, i) => {
      const g = inputGrads[i];
      if (!needs[i] || !g) return;
      if (!shapesEqual(g.shape, input.shape)) {
        throw new Error(
          `${opName}: gradient of ${node.name} input ${i} has shape [${g.shape.join(', ')}], expected [${input.shape.join(', ')}] (internal error)`,
        );
      }
      if (g.dtype !== input.dtype) {
        throw new Error(`${opName}: gradient of ${node.name} input ${i} has dtype ${g.dtype}, expected ${input.dtype} (the input's dtype)`);
      }
      grads.accumulate(input.id, g);
    });
    // Gradients nobody kept (for inputs that need none) are released here.
    const used = new Set(node.inputs.map((t) => grads.get(t.id)));
    for (const g of inputGrads) if (g && !used.has(g) && !dys.includes(g)) g.dispose();
    for (const { id } of node.outputs) if (!sourceIds.has(id)) grads.delete(id);
    if (ready) announce(ready.byNode.get(n));
  }
  // One tensor per source: an op can pass the same gradient to two inputs (add), and a
  // caller that disposed one gradient would find the other disposed too. With a ready hook
  // the tensors stay as announced (its `sole` flag tells the consumer they are shared).
  const handedOut = new Set<Tensor>();
  const result = mapPacked(sources, (s) => {
    const g = grads.get(s.id) ?? null;
    if (g === null) return null;
    if (onReady !== undefined || !handedOut.has(g)) {
      handedOut.add(g);
      return g;
    }
    return runKernel1(opName, 'copy', [g], [], { shape: [...g.shape], dtype: g.dtype }, { grad: ([dy]) => [dy] });
  });
  grads.clear(new Set(result.filter((g): g is Tensor => g !== null)));
  return result;
}
