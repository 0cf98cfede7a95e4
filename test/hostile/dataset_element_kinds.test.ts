// Elements that are not tensors nor plain data pass through the stages that copy elements
// (cache's replay, window) as what they are: a typed array came back as a plain object of
// its indices ({ '0': 1, '1': 2 }), silently, on every pass after cache's first.
import * as ts from '../../src';

class Token {
  constructor(readonly id: number) {}
}

type Elem = { x: Float32Array; ids: Int32Array; token: Token; t: ts.Tensor };
// Typed arrays and class instances are outside data.Element's type, not outside what JavaScript passes.
const untyped = <T>(gen: () => Iterator<T>): ts.data.Dataset<T> => ts.data.generator(gen as never) as unknown as ts.data.Dataset<T>;
const source = () =>
  untyped(function* (): Generator<Elem> {
    yield { x: new Float32Array([1, 2]), ids: Int32Array.of(7), token: new Token(1), t: ts.tensor([1]) };
    yield { x: new Float32Array([3]), ids: Int32Array.of(8), token: new Token(2), t: ts.tensor([2]) };
  });

const describeAll = async (ds: ts.data.Dataset<Elem>) => {
  const out: unknown[] = [];
  for await (const e of ds) {
    out.push([e.x.constructor.name, Array.from(e.x), e.ids.constructor.name, e.token instanceof Token ? e.token.id : 'lost', Array.from(e.t.dataSync())]);
    e.t.dispose();
  }
  return out;
};

describe('element kinds through the stages that copy elements', () => {
  const expected = [
    ['Float32Array', [1, 2], 'Int32Array', 1, [1]],
    ['Float32Array', [3], 'Int32Array', 2, [2]],
  ];

  it('cache replays typed arrays as typed arrays, class instances as they are', async () => {
    const cached = source().cache();
    expect(await describeAll(cached)).toEqual(expected);
    expect(await describeAll(cached)).toEqual(expected);
  });

  it('window hands out typed arrays as typed arrays', async () => {
    const seen: unknown[] = [];
    for await (const w of source().window(2)) seen.push(...(await describeAll(w)));
    expect(seen).toEqual(expected);
  });

  it('a cached copy does not share the typed array it was made from', async () => {
    const shared = new Float32Array([5]);
    const cached = untyped(function* () {
      yield shared;
    }).cache();
    for await (const _ of cached) shared[0] = 6; // the first pass gives the source's own element
    const replayed: number[] = [];
    for await (const e of cached) replayed.push(e[0]);
    expect(replayed).toEqual([5]);
  });
});
