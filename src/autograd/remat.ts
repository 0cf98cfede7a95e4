// Keras 3's keras.remat (gradient checkpointing) on Tessera's tape: fn runs forward with no
// tape recording its ops (its intermediates are freed at once), and one 'remat' node stands
// for it, saving only fn's tensor arguments; its backward re-runs fn from them under a fresh
// tape (the same random draws replayed) and back-propagates through that.
import { tooManyArguments } from '../options/arity';
import { checkNestDepth, isNest, leavesWithPaths, packAs } from '../ops/nest';
import { checkFunction } from '../tensor/check_function';
import { isFloatDType } from '../tensor/dtype';
import { keep, tidy } from '../tensor/memory';
import { loggingDraws, replayingDraws } from '../tensor/random_replay';
import { isRecording, recordOp, viewOf } from '../tensor/run';
import { describe, shapesEqual } from '../tensor/shape';
import { Tensor, recomputing } from '../tensor/tensor';
import { collectingLosses, reportLoss } from './remat_losses';
import { onFreshTape } from './fresh_tape';
import { anyTapeRecording, backwardFromSeeds, runUntaped } from './tape';

// fn's result as a flat list of live tensors (a tensor, or arrays / plain objects of them).
function outputsOf(op: string, result: unknown): Tensor[] {
  const leaves: [string, unknown][] = result instanceof Tensor ? [['', result]] : isNest(result) ? leavesWithPaths(result) : [['', result]];
  if (leaves.length === 0) throw new Error(`${op}: fn must return a Tensor or an array / object of Tensors, got ${describe(result)} (no tensor)`);
  return leaves.map(([path, t]) => {
    if (!(t instanceof Tensor))
      throw new Error(`${op}: fn must return a Tensor or an array / object of Tensors, got ${describe(t)}${path === '' ? '' : ` at ${path}`}`);
    if (t.isDisposed) throw new Error(`${op}: fn returned a disposed tensor${path === '' ? '' : ` at ${path}`} (shape [${t.shape.join(', ')}])`);
    return t;
  });
}

/**
 * @internal fn(...args) rematerialized: the result as fn returns it, recorded on the active
 * tapes as one node whose inputs are fn's float tensor arguments and every float tensor
 * (Variables included) fn's ops read from outside. With no tape recording, fn just runs.
 */
export function rematCall(op: string, fn: (...args: any[]) => unknown, args: unknown[]): unknown {
  if (!isRecording() || !anyTapeRecording()) {
    return tidy(() => {
      const result = fn(...args);
      outputsOf(op, result);
      return result;
    });
  }
  checkNestDepth(op, args, 'the arguments');
  const leaves = leavesWithPaths(args).map(([, v]) => v);
  // The arguments' structure as called: fn may change its arrays, the recomputation may not see that.
  const argsAsCalled = packAs(op, args, leaves) as unknown[];
  const tensorArgs = leaves.filter((v): v is Tensor => v instanceof Tensor);
  tensorArgs.forEach((t) => {
    if (t.isDisposed) throw new Error(`${op}: an argument is a disposed tensor (shape [${t.shape.join(', ')}])`);
  });
  // Forward: untaped, in a tidy (fn's intermediates go now); the outputs as views, so that
  // they are new tensors on the tape even when fn returns an argument or a Variable.
  const { result: forward, reads } = runUntaped(() =>
    loggingDraws(() =>
      collectingLosses(false, () =>
        tidy(() => {
          const result = fn(...args);
          const flat = outputsOf(op, result);
          const skeleton = isNest(result)
            ? packAs(
                op,
                result,
                flat.map(() => null),
              )
            : null;
          return { skeleton, views: flat.map((t) => viewOf(t, [...t.shape])) };
        }),
      ),
    ),
  );
  const { skeleton, views } = forward.result.result;
  const { log } = forward;
  // The backward pass recomputes from the arguments: fn must leave them alive.
  const gone = tensorArgs.find((t) => t.isDisposed);
  if (gone !== undefined) {
    for (const v of views) v.dispose();
    throw new Error(
      `${op}: fn disposed its argument (shape [${gone.shape.join(', ')}]); a rematerialized function must leave its arguments alive, its backward pass recomputes from them`,
    );
  }
  // Losses the layers inside added (computed untaped): the layers hold views that are node
  // outputs instead, and an enclosing remat call hears of those.
  const losses = forward.result.losses;
  const lossViews = losses.map((held) => {
    const old = held.tensor;
    const view = keep(viewOf(old, [...old.shape]));
    held.replace(view);
    old.dispose();
    return view;
  });
  const outputs = [...views, ...lossViews];
  const inputs: Tensor[] = [];
  const seen = new Set<number>();
  for (const t of [...tensorArgs, ...reads])
    if (isFloatDType(t.dtype) && !seen.has(t.id)) {
      seen.add(t.id);
      inputs.push(t);
    }
  if (inputs.length > 0)
    recordOp(op, inputs, outputs, {
      save: tensorArgs,
      nullForUnused: true,
      grad: (dys, saved, needs) => recompute(op, fn, argsAsCalled, leaves, saved, log, outputs, inputs, dys, needs),
    });
  for (const held of losses) reportLoss(held);
  return skeleton === null ? views[0] : packAs(op, skeleton, views);
}

// The remat node's backward: fn again from the saved arguments (the forward's draws
// replayed) under a fresh tape that watches what needs a gradient, then the vector-Jacobian
// product of its outputs with the upstream gradients.
function recompute(
  op: string,
  fn: (...args: any[]) => unknown,
  args: unknown[],
  leaves: unknown[],
  saved: Tensor[],
  log: unknown[],
  views: Tensor[],
  inputs: Tensor[],
  dys: (Tensor | null)[],
  needs: boolean[],
): (Tensor | null)[] {
  let k = 0;
  const again = packAs(
    op,
    args,
    leaves.map((v) => (v instanceof Tensor ? saved[k++] : v)),
  ) as unknown[];
  const wanted = inputs.filter((_, i) => needs[i]);
  return onFreshTape(
    false,
    wanted,
    () => {
      if (!isRecording())
        throw new Error(`${op}: the backward pass of a rematerialized function runs inside noGrad(), where its recomputation cannot be recorded`);
      const rerun = collectingLosses(true, () => recomputing(() => replayingDraws(op, log, () => outputsOf(op, fn(...again)))));
      // The layers' losses, recomputed: outputs here only (the layers keep the forward pass's).
      const losses = rerun.losses.map((held) => held.tensor);
      return { outs: [...rerun.result, ...losses], losses };
    },
    (tape, { outs, losses }) => {
      try {
        if (outs.length !== views.length || outs.some((t, i) => !shapesEqual(t.shape, views[i].shape) || t.dtype !== views[i].dtype))
          throw new Error(
            `${op}: fn returned other outputs when recomputed for the backward pass (${outs.map((t) => `${t.dtype}[${t.shape.join(', ')}]`).join(', ')}) than in its forward pass (${views.map((t) => `${t.dtype}[${t.shape.join(', ')}]`).join(', ')})`,
          );
        const targets: Tensor[] = [];
        const seeds: Tensor[] = [];
        dys.forEach((dy, i) => {
          if (dy !== null && isFloatDType(outs[i].dtype)) {
            targets.push(outs[i]);
            seeds.push(dy);
          }
        });
        const grads = backwardFromSeeds(tape, op, targets, seeds, wanted);
        let j = 0;
        return needs.map((need) => (need ? grads[j++] : null));
      } finally {
        // The recomputed losses, kept by addLoss, so no tidy frees them.
        for (const t of losses) t.dispose();
      }
    },
  );
}

/**
 * Keras's remat (gradient checkpointing): a function like `fn` whose intermediate results
 * are not kept for the backward pass but recomputed during it, trading compute for memory.
 * Gradients are those of `fn` (its tensor arguments' and the Variables it reads); random
 * ops inside draw the same numbers in the recomputation. `fn` returns a Tensor, or an
 * array / object of Tensors. Variables it reads are read again during the backward pass;
 * what it assigns to Variables (BatchNormalization's moving statistics) is assigned by the
 * forward pass only, as under Keras's JAX backend. Tensors fn makes besides its outputs are
 * freed when it returns, as in tidy().
 * @example const block = ts.remat((x) => ts.relu(ts.matMul(ts.relu(ts.matMul(x, w1)), w2)));
 */
export function remat<F extends (...args: any[]) => any>(fn: F): F {
  if (arguments.length > 1) throw tooManyArguments('remat', 1, arguments.length);
  checkFunction('remat', 'fn', fn);
  return function (this: unknown, ...args: unknown[]) {
    return rematCall('remat', (...a: unknown[]) => fn.apply(this, a), args);
  } as F;
}
