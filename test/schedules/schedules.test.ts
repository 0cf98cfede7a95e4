import { optimizers, schedules } from '../../src';
import { expectClose } from '../helpers/reference';

const at = (s: schedules.LearningRateSchedule, steps: number[]) => steps.map((k) => s.call(k));

describe('Keras 3 schedules', () => {
  it('exponentialDecay, continuous and staircase', () => {
    const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expectClose(at(s, [0, 5, 10, 25]), [0.1, 0.1 * 0.5 ** 0.5, 0.05, 0.1 * 0.5 ** 2.5], 1e-12);
    const st = new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expectClose(at(st, [0, 9, 10, 25]), [0.1, 0.1, 0.05, 0.025], 1e-12);
  });
  it('piecewiseConstantDecay: values[i] while step <= boundaries[i]', () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
    expectClose(at(s, [0, 100, 101, 110, 111, 1e6]), [1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
  it('polynomialDecay, clamped and cycling', () => {
    const s = schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2 });
    expectClose(at(s, [0, 5, 10, 20]), [0.1, 0.09 * 0.25 + 0.01, 0.01, 0.01], 1e-12);
    const c = schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true });
    // step 15: decaySteps becomes 20 -> (0.1 - 1e-4) * (1 - 15/20) + 1e-4
    expectClose(at(c, [0, 10, 15]), [0.1, 1e-4, (0.1 - 1e-4) * 0.25 + 1e-4], 1e-12);
  });
  it('inverseTimeDecay, continuous and staircase', () => {
    const s = schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expectClose(at(s, [0, 1, 4]), [0.1, 0.1 / 1.5, 0.1 / 3], 1e-12);
    const st = schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5, staircase: true });
    expectClose(at(st, [3, 4, 9]), [0.1, 0.1 / 1.5, 0.1 / 2], 1e-12);
  });
  it('cosineDecay, with alpha and with warmup', () => {
    const s = schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 });
    const cos = (t: number) => 0.9 * 0.5 * (1 + Math.cos((Math.PI * t) / 100)) + 0.1;
    expectClose(at(s, [0, 25, 50, 100, 200]), [0.1, 0.1 * cos(25), 0.1 * cos(50), 0.01, 0.01], 1e-12);
    const w = schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.2, warmupSteps: 10 });
    expectClose(at(w, [0, 5, 10, 60, 110, 500]), [0, 0.1, 0.2, 0.1, 0, 0], 1e-12, 1e-15);
  });
  it('cosineDecayRestarts: periods grow by tMul, peaks by mMul', () => {
    const s = schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, mMul: 0.5, alpha: 0 });
    // period 0: steps 0..10, period 1: 10..30 at peak 0.5, period 2: 30..70 at peak 0.25
    expectClose(at(s, [0, 5, 10, 20, 30, 50]), [1, 0.5, 0.5, 0.25, 0.25, 0.125], 1e-12, 1e-12);
    const flat = schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1, alpha: 0.2 });
    expectClose(at(flat, [0, 5, 10, 15]), [1, 0.6, 1, 0.6], 1e-12);
  });
});

describe('cyclical (tfa) and oneCycle (PyTorch)', () => {
  it('triangular, triangular2 and exp_range', () => {
    const base = { initialLearningRate: 0.1, maximalLearningRate: 1.1, stepSize: 4 };
    expectClose(at(schedules.cyclical(base), [0, 2, 4, 6, 8, 12]), [0.1, 0.6, 1.1, 0.6, 0.1, 1.1], 1e-12);
    expectClose(at(schedules.cyclical({ ...base, mode: 'triangular2' }), [0, 4, 8, 12, 20]), [0.1, 1.1, 0.1, 0.6, 0.35], 1e-12);
    expectClose(at(schedules.cyclical({ ...base, mode: 'exp_range', gamma: 0.9 }), [2, 4, 12]), [0.1 + 0.5 * 0.81, 0.1 + 0.9 ** 4, 0.1 + 0.9 ** 12], 1e-12);
  });
  it('oneCycle matches torch.optim.lr_scheduler.OneCycleLR', () => {
    // Values printed by PyTorch 1.13's OneCycleLR (see the report).
    expectClose(
      at(schedules.oneCycle({ maxLr: 0.01, totalSteps: 10 }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      [
        0.0004, 0.0052, 0.01, 0.009504846320134737, 0.008117456539497631, 0.0061126202193628925, 0.003887419780637108, 0.00188258346050237,
        0.0004951936798652628, 4e-8,
      ],
      1e-9,
    );
    expectClose(
      at(schedules.oneCycle({ maxLr: 0.01, totalSteps: 10, annealStrategy: 'linear', pctStart: 0.25, divFactor: 10, finalDivFactor: 100 }), [0, 1, 2, 5, 9]),
      [0.001, 0.007, 0.009334, 0.005338, 1e-5],
      1e-9,
    );
    expectClose(
      at(schedules.oneCycle({ maxLr: 0.01, totalSteps: 12, threePhase: true }), [0, 1, 2, 3, 4, 5, 6, 11]),
      [0.0004, 0.0034978965421958302, 0.008792851591221286, 0.009450188923135407, 0.0046214239347744475, 0.0005394792763549498, 0.00038151693242579796, 4e-8],
      1e-9,
    );
    expect(() => schedules.oneCycle({ maxLr: 0.01, totalSteps: 10 }).call(11)).toThrow(/OneCycle: step 11 is past totalSteps \(10\)/);
  });
});

describe('config, custom schedules and bad input', () => {
  it('getConfig / fromConfig / serialize round trips give the same rates', () => {
    const all: schedules.LearningRateSchedule[] = [
      schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      schedules.piecewiseConstantDecay({ boundaries: [3], values: [1, 2] }),
      schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }),
      schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 1 }),
      schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1, warmupSteps: 3 }),
      schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 3 }),
      schedules.cyclical({ initialLearningRate: 0.1, maximalLearningRate: 1, stepSize: 2, mode: 'exp_range', gamma: 0.9 }),
      schedules.oneCycle({ maxLr: 1, totalSteps: 20 }),
    ];
    for (const s of all) {
      const copy = schedules.deserialize(JSON.parse(JSON.stringify(schedules.serialize(s))));
      expect(copy.constructor).toBe(s.constructor);
      expectClose(at(copy, [0, 1, 4, 9, 17]), at(s, [0, 1, 4, 9, 17]), 1e-15);
      const again = (s.constructor as unknown as { fromConfig(c: object): schedules.LearningRateSchedule }).fromConfig(s.getConfig());
      expectClose(at(again, [2, 7]), at(s, [2, 7]), 1e-15);
    }
    expect(schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }).getConfig()).toEqual({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: false,
    });
  });
  it('custom schedules: a subclass or a function of the step, used by an optimizer', () => {
    class Halving extends schedules.LearningRateSchedule {
      call(step: number) {
        return 0.1 / 2 ** step;
      }
    }
    expect(schedules.learningRateAt(new Halving(), 3)).toBe(0.0125);
    expect(schedules.learningRateAt((step) => 1 / (step + 1), 3)).toBe(0.25);
    expect(new optimizers.SGD({ learningRate: new Halving() }).learningRate).toBe(0.1);
  });
  it('bad input', () => {
    expect(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(
      /ExponentialDecay: expected decaySteps > 0, got 0/,
    );
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [1, 2], values: [1] })).toThrow(
      /expected one more value than boundaries, got 2 boundaries and 1 values/,
    );
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [2, 1], values: [1, 2, 3] })).toThrow(/expected increasing boundaries/);
    expect(() => schedules.cyclical({ initialLearningRate: 0.1, maximalLearningRate: 1, stepSize: 2, mode: 'sawtooth' as never })).toThrow(
      /unknown mode 'sawtooth'; expected 'triangular', 'triangular2' or 'exp_range'/,
    );
    expect(() => schedules.deserialize({ className: 'Nope', config: {} })).toThrow(/unknown schedule 'Nope'; expected one of ExponentialDecay/);
    expect(() => schedules.learningRateAt(() => NaN, 0)).toThrow(/expected a finite number at step 0, got NaN/);
  });
});
