// A model of a long chain of layers: its graph is walked with a stack of its own, not the
// call stack (a chain of about 5,000 layers, from code or from a file, overflowed it).
import { input, layers, model, tensor, type Tensor } from '../../src';

test('a functional model of 12,000 chained layers is built and runs', () => {
  const x = input({ shape: [2] });
  let y = x;
  for (let i = 0; i < 12_000; i++) y = layers.activation({ activation: 'linear' }).apply(y) as typeof x;
  const m = model({ inputs: x, outputs: y });
  expect(m.layers.length).toBe(12_001);
  expect(Array.from((m.apply(tensor([[1, -2]])) as Tensor).dataSync())).toEqual([1, -2]);
});
