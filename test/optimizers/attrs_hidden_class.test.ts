// The optimizers hand their kernels' attributes over as objects of one hidden class every
// step. A spread of the hyperparameters ({ ...this.hyper, lr }) made a new hidden class per
// step in Node 20's V8, so every read of it was a megamorphic miss and the step's compiled
// code kept being deoptimized (issue #22, bench/step_threads.ts). Values: update_arithmetic
// and multi_tensor tests.
import { setFlagsFromString } from 'node:v8';
import { optimizers, tensor, variable, type Tensor, type Variable } from '../../src';
import * as single from '../../src/ops/optimizer_updates';
import * as multi from '../../src/ops/optimizer_updates_multi';

setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

type Make = () => optimizers.Optimizer;
const CASES: [string, Make, keyof typeof multi, keyof typeof single][] = [
  ['Adam', () => new optimizers.Adam({ learningRate: 0.01 }), 'multiAdamUpdate', 'adamUpdate'],
  ['AdamW', () => new optimizers.AdamW({ learningRate: 0.01 }), 'multiAdamUpdate', 'adamUpdate'],
  ['SGD (momentum)', () => new optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }), 'multiSgdUpdate', 'sgdUpdate'],
  ['RMSprop', () => new optimizers.RMSprop({ learningRate: 0.01 }), 'multiRMSpropUpdate', 'rmspropUpdate'],
];

function train(make: Make, multiTensor: boolean, steps: number): void {
  const vars: Variable[] = [variable(tensor([1, 2, 3], [3])), variable(tensor([4, 5], [2]))];
  const grads = [tensor([0.1, 0.2, 0.3], [3]), tensor([0.4, 0.5], [2])];
  const opt = make();
  opt.multiTensor = multiTensor;
  for (let s = 0; s < steps; s++) opt.applyGradients(vars.map((v, i): [Tensor, Variable] => [grads[i], v]));
  opt.dispose();
  for (const t of [...vars, ...grads]) t.dispose();
}

describe.each(CASES)('%s: kernel attributes', (_, make, multiName, singleName) => {
  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['multi-tensor', true],
    ['per-variable', false],
  ])('%s: one hidden class over steps, with the step and learning rate of each', (_path, multiTensor) => {
    const spy = multiTensor ? jest.spyOn(multi, multiName) : jest.spyOn(single, singleName);
    train(make, multiTensor as boolean, 5);
    const attrs = spy.mock.calls.map((c) => c[c.length - 1] as unknown as Record<string, unknown>);
    expect(attrs.length).toBe(multiTensor ? 5 : 10);
    for (const a of attrs) expect(sameMap(a, attrs[0])).toBe(true);
    expect(attrs[0].lr).toBe(0.01);
    if ('step' in attrs[0]) expect(attrs.map((a) => a.step)).toEqual(multiTensor ? [1, 2, 3, 4, 5] : [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
});
