// The tape's per-gradient hook (gradientAsReady), which data-parallel fit uses to start
// all-reducing a layer's gradients while backward still walks the layers before it.
import { GradientTape, add, customGrad, matMul, mul, relu, sum, tensor, tidy, variable, type Tensor } from '../src';
import { expectTensor } from './helpers/reference';
import { liveTensors } from './helpers/memory';

// The first two layers' weights, shared by the tests below.
function twoWeights() {
  const w1 = variable(
    tensor([
      [0.5, -1],
      [2, 0.25],
    ]),
    true,
    'w1',
  );
  const w2 = variable(
    tensor([
      [1, 0.5],
      [-0.75, 1.5],
    ]),
    true,
    'w2',
  );
  return { w1, w2 };
}

function threeLayers() {
  const { w1, w2 } = twoWeights();
  const w3 = variable(tensor([[0.3], [-1.2]]), true, 'w3');
  const x = tensor([
    [1, 2],
    [-1, 0.5],
    [3, -2],
  ]);
  const forward = () => sum(matMul(relu(matMul(relu(matMul(x, w1)), w2)), w3));
  return { vars: [w1, w2, w3], forward };
}

describe('GradientTape.gradientAsReady', () => {
  test('announces each gradient once, last layer first, before backward reaches the layers before it', () => {
    tidy(() => {
      const { vars, forward } = threeLayers();
      const expected = (() => {
        const tape = new GradientTape();
        return tape.gradient(forward(), vars);
      })();
      const tape = new GradientTape();
      const loss = forward();
      const events: string[] = [];
      const announced: (Tensor | null)[] = [];
      const result = tape.gradientAsReady(loss, vars, (i, g) => {
        events.push(`w${i + 1}`);
        announced[i] = g;
      });
      expect(events).toEqual(['w3', 'w2', 'w1']);
      result.forEach((g, i) => {
        expect(announced[i]).toBe(g); // the very tensor backward returns, still alive
        expectTensor(g!, expected[i]!.shape, Array.from(expected[i]!.dataSync()));
      });
    });
  });

  test('fires while backward is still running: before the earlier layers are differentiated', () => {
    tidy(() => {
      const events: string[] = [];
      // An identity whose gradient rule logs when backward reaches it: it sits between
      // layer 1 and layer 2.
      const marker = customGrad((h: Tensor) => ({ value: mul(h, 1), gradFunc: (dy: Tensor) => (events.push('backward at layer 1'), mul(dy, 1)) }));
      const { w1, w2 } = twoWeights();
      const x = tensor([
        [1, 2],
        [-1, 0.5],
      ]);
      const tape = new GradientTape();
      const loss = sum(matMul(marker(relu(matMul(x, w1))), w2));
      tape.gradientAsReady(loss, [w1, w2], (i) => events.push(`w${i + 1} ready`));
      expect(events).toEqual(['w2 ready', 'backward at layer 1', 'w1 ready']);
    });
  });

  test('an unused source is announced as null, a source read twice once backward reaches its first reader', () => {
    tidy(() => {
      const a = variable(tensor([1, 2]), true, 'a');
      const b = variable(tensor([3, 4]), true, 'b');
      const unused = variable(tensor([5]), true, 'unused');
      const tape = new GradientTape();
      // b is read by the first op and by the last one: its gradient sums both paths.
      const loss = sum(mul(add(mul(a, b), a), b));
      const seen = new Map<number, Tensor | null>();
      const order: number[] = [];
      const result = tape.gradientAsReady(loss, [a, b, unused], (i, g) => {
        expect(seen.has(i)).toBe(false);
        seen.set(i, g);
        order.push(i);
      });
      expect(order).toEqual([2, 0, 1]); // unused at once; a and b when the first op reading them (mul(a, b)) is walked
      expect(seen.get(2)).toBeNull();
      expect(result[2]).toBeNull();
      // d/db sum((a*b + a) * b) = 2ab + a; d/da = b^2 + b
      expectTensor(seen.get(1)!, [2], [2 * 1 * 3 + 1, 2 * 2 * 4 + 2]);
      expectTensor(seen.get(0)!, [2], [3 * 3 + 3, 4 * 4 + 4]);
    });
  });

  // `sole` says a gradient may be overwritten in place (data-parallel fit reduces it into
  // its own bytes): only when nothing else backward holds or will read is that tensor.
  test("sole: true for each layer's own gradient; false for one tensor that is two sources' gradient", () => {
    tidy(() => {
      const { vars, forward } = threeLayers();
      const flags: boolean[] = [];
      new GradientTape().gradientAsReady(forward(), vars, (i, _g, sole) => (flags[i] = sole));
      expect(flags).toEqual([true, true, true]);
      // add's rule hands the same dy to both inputs: a and b share one gradient tensor.
      const a = variable(tensor([1, 2]), true, 'a');
      const b = variable(tensor([3, 4]), true, 'b');
      const shared: [boolean, Tensor | null][] = [];
      const tape = new GradientTape();
      const result = tape.gradientAsReady(sum(add(a, b)), [a, b], (i, g, sole) => (shared[i] = [sole, g]));
      expect(result[0]).toBe(result[1]);
      expect(shared.map(([sole]) => sole)).toEqual([false, false]);
    });
  });

  test('sole: false for a source listed twice, a source backward still differentiates through, and the output gradient passed in', () => {
    tidy(() => {
      const { w1, w2 } = twoWeights();
      const x = tensor([
        [1, 2],
        [-1, 0.5],
      ]);
      // Listed twice: both entries name one tensor.
      let flags: boolean[] = [];
      new GradientTape().gradientAsReady(sum(matMul(x, w1)), [w1, w1], (i, _g, sole) => (flags[i] = sole));
      expect(flags).toEqual([false, false]);
      // h is an intermediate: its gradient is final once w2's matMul is walked, but the
      // matMul that made h still reads it to differentiate w1.
      flags = [];
      let tape = new GradientTape();
      const h = matMul(x, w1);
      tape.gradientAsReady(sum(matMul(h, w2)), [w2, h, w1], (i, _g, sole) => (flags[i] = sole));
      expect(flags).toEqual([true, false, true]);
      // The target as its own source: its gradient is the output gradient the caller passed in.
      const seed = tensor(0.5);
      const s = variable(tensor(2), true, 's');
      flags = [];
      tape = new GradientTape();
      const got = tape.gradientAsReady(s, [s], (i, _g, sole) => (flags[i] = sole), seed);
      expect(got[0]).toBe(seed);
      expect(flags).toEqual([false]);
    });
  });

  test('releases what gradient() releases', () => {
    const { vars, forward } = threeLayers();
    const before = liveTensors();
    tidy(() => {
      const tape = new GradientTape();
      const loss = forward();
      tape.gradientAsReady(loss, vars, () => undefined);
    });
    expect(liveTensors()).toBe(before);
    vars.forEach((v) => v.dispose());
  });
});
