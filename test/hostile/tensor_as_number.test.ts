// A tensor read as a number by a JS operator gave NaN or false without a word; strings still
// read it through toString(), as TensorFlow.js's.
import * as ts from '../../src';

describe('a tensor used as a number', () => {
  const x = ts.scalar(3);
  afterAll(() => x.dispose());

  it.each([
    ['x * 2', () => (x as unknown as number) * 2],
    ['x - 1', () => (x as unknown as number) - 1],
    ['x < 1', () => (x as unknown as number) < 1],
    ['unary +', () => +(x as unknown as number)],
    ['Number(x)', () => Number(x)],
    ['Math.max(x)', () => Math.max(x as unknown as number)],
  ])('%s is refused, naming the op to call', (_, f) => {
    expect(f).toThrow(/Tensor \(shape \[\], float32\): used as a number .*ts\.mul\(x, 2\).*dataSync/);
  });

  it('string concatenation and template literals give toString()', () => {
    expect('loss ' + x).toBe(`loss ${x.toString()}`);
    expect(`${x}`).toBe(x.toString());
    expect(String(x)).toBe(x.toString());
  });
});
