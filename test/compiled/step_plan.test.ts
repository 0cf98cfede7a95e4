// The recorder, the replayer and the native plan below the training loop: a replay with
// new inputs gives eager's values, a step that leaves the recording still does, and the
// plan refuses what does not fit it (never a kernel on a wrongly sized buffer).
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { native, type NativeHandle } from '../../src/native/binding';
import { StepRecorder, type RecordedPlan } from '../../src/compiled/recorder';
import { StepReplayer } from '../../src/compiled/replayer';
import { setStepHook } from '../../src/compiled/step_hook';
import { liveTensors } from '../helpers/memory';

function record(fn: () => void): RecordedPlan {
  const r = new StepRecorder();
  setStepHook(r);
  try {
    fn();
  } finally {
    setStepHook(null);
  }
  const plan = r.finish();
  if (typeof plan === 'string') throw new Error(plan);
  return plan;
}

function replay<T>(plan: RecordedPlan, fn: () => T): { value: T; divergence: string | null } {
  const r = new StepReplayer(plan);
  setStepHook(r);
  let value: T;
  try {
    value = fn();
  } finally {
    setStepHook(null);
    r.finish();
  }
  return { value, divergence: r.divergence };
}

// A small step: matmul, bias, relu, a reshape, a read; `branch` changes the ops.
const step = (x: Tensor, branch = false) =>
  ts.tidy(() => {
    const h = ts.relu(ts.add(ts.matMul(x, x), 1));
    const flat = ts.reshape(branch ? ts.neg(h) : h, [4]);
    return Array.from(ts.mul(flat, 2).dataSync());
  });

describe('compiled step plans', () => {
  const a = ts.tensor([1, -2, 3, 4], [2, 2]);
  const b = ts.tensor([0.5, 1, -1, 2], [2, 2]);

  it('a replay with new inputs gives the eager values; the plan holds no tensor of its own', () => {
    const plan = record(() => step(a));
    const before = liveTensors();
    const { value, divergence } = replay(plan, () => step(b));
    expect(divergence).toBeNull();
    expect(value).toEqual(step(b));
    expect(liveTensors()).toBe(before);
    native.planDispose(plan.plan);
  });

  it('a step that leaves the recording finishes eagerly with the right values', () => {
    const plan = record(() => step(a));
    const { value, divergence } = replay(plan, () => step(b, true));
    expect(divergence).toMatch(/recording has/);
    expect(value).toEqual(step(b, true));
    native.planDispose(plan.plan);
  });

  it('planRun refuses an external input of another shape than recorded, before running anything', () => {
    const plan = record(() => step(a));
    const first = plan.entries[0];
    expect(first.inputs).toEqual([-1, -1]); // matMul(x, x): both from outside the plan
    const wrong = ts.ones([3, 3]);
    const h = wrong.handle as NativeHandle;
    expect(() => native.planRun(plan.plan, 0, 1, [h, h], [], new Float64Array(first.numAttrs))).toThrow(
      /matmul: an external input is float32 \[3, 3\], recorded as float32 \[2, 2\]/,
    );
    const right = a.handle as NativeHandle;
    expect(() => native.planRun(plan.plan, 0, 1, [right], [], new Float64Array(first.numAttrs))).toThrow(/too few external inputs/);
    expect(() => native.planRun(plan.plan, 0, 1, [right, right], [], new Float64Array(first.numAttrs + 1))).toThrow(/attributes/);
    expect(() => native.planRun(plan.plan, 0, 99, [], [], new Float64Array(0))).toThrow(/outside the plan/);
    wrong.dispose();
    native.planDispose(plan.plan);
    expect(() => native.planRun(plan.plan, 0, 0, [], [], new Float64Array(0))).toThrow(/the plan was disposed/);
  });

  it('the arena reuses the bytes of freed temporaries', () => {
    const x = ts.ones([256, 256]); // 256 KiB a buffer
    const chain = () =>
      ts.tidy(() => {
        let y = ts.add(x, 0);
        for (let i = 0; i < 20; i++) {
          const next = ts.tidy(() => ts.relu(ts.add(y, 1)));
          y.dispose();
          y = next;
        }
        const total = ts.sum(y).dataSync()[0];
        y.dispose();
        return total;
      });
    const before = ts.memory().numBytes;
    const plan = record(() => chain());
    const arena = ts.memory().numBytes - before; // every tensor of the step is gone: what is left is the arena
    // 41 temporaries of 256 KiB; alive together at most: y, add(y, 1), its relu.
    expect(arena).toBeGreaterThanOrEqual(3 * x.size * 4);
    expect(arena).toBeLessThan(5 * x.size * 4);
    expect(replay(plan, chain).value).toBe(chain());
    native.planDispose(plan.plan);
    expect(ts.memory().numBytes).toBe(before);
    x.dispose();
  });

  it('planCreate refuses a malformed spec', () => {
    expect(() => native.planCreate(new Float64Array([2]), [])).toThrow(/version/);
    expect(() => native.planCreate(new Float64Array([1, 0, 1, 0, 1, 2, -1]), [])).toThrow(/ends early|bad plan spec/);
    expect(() => native.planCreate(new Float64Array([1, 0, 0, 0, 7]), [])).toThrow(/trailing values/);
  });

  afterAll(() => ts.dispose([a, b]));
});
