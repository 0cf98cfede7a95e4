// Dataset.batch's short last batch under Keras's name and TensorFlow.js's, and the bare
// boolean that means opposite things in the two (refused); TensorFlow.js's iterator and
// mapAsync.
import { tensor, type Tensor } from '../../src';
import { fromArrays, fromTensors, type Dataset } from '../../src/data';

const sizes = async (ds: Dataset<unknown>): Promise<number[]> => {
  const out: number[] = [];
  for await (const b of ds) {
    const t = b as Tensor;
    out.push(t.shape[0]);
    t.dispose();
  }
  return out;
};

// Both kinds of data set: the generic one and the tensor slices that gather rows.
const sources: Array<[string, () => Dataset<unknown>]> = [
  ['fromArrays', () => fromArrays([1, 2, 3, 4, 5]) as Dataset<unknown>],
  ['fromTensors', () => fromTensors(tensor([1, 2, 3, 4, 5])) as Dataset<unknown>],
];

describe.each(sources)('%s.batch', (_, source) => {
  it.each([
    [undefined, [2, 2, 1]],
    [{}, [2, 2, 1]],
    [{ dropRemainder: true }, [2, 2]],
    [{ dropRemainder: false }, [2, 2, 1]],
    [{ smallLastBatch: false }, [2, 2]],
    [{ smallLastBatch: true }, [2, 2, 1]],
    [{ drop_remainder: true }, [2, 2]],
    [{ dropRemainder: true, smallLastBatch: false }, [2, 2]],
  ])('%j gives batches of %j', async (options, expected) => {
    const ds = source().batch(2, options as never);
    expect(await sizes(ds)).toEqual(expected);
    expect(ds.size).toBe(expected.length);
  });

  it.each([true, false])('refuses a bare %s, naming both meanings', (flag) => {
    expect(() => source().batch(2, flag as never)).toThrow(
      new RegExp(
        `^Dataset.batch: a bare ${flag} is ambiguous: .*name it: batch\\(2, \\{ dropRemainder: ${flag} \\}\\) or batch\\(2, \\{ smallLastBatch: ${flag} \\}\\)`,
      ),
    );
  });

  it('refuses options that disagree, a misspelled key and a non-boolean', () => {
    expect(() => source().batch(2, { dropRemainder: true, smallLastBatch: true })).toThrow(/dropRemainder: true and smallLastBatch: true disagree/);
    expect(() => source().batch(2, { dropRemainder: false, smallLastBatch: false })).toThrow(/disagree/);
    expect(() => source().batch(2, { dropRemainders: true } as never)).toThrow(/Dataset.batch: unknown option 'dropRemainders'.*dropRemainder/);
    expect(() => source().batch(2, { smallLastBatch: 0 } as never)).toThrow(/expected smallLastBatch to be a boolean, got 0/);
  });
});

describe("TensorFlow.js's Dataset methods", () => {
  it('iterator() gives next() until done', async () => {
    const it = await fromArrays([1, 2]).iterator();
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect((await it.next()).done).toBe(true);
  });

  it('mapAsync maps with an async function and checks it', async () => {
    const ds = fromArrays([1, 2, 3]).mapAsync(async (x) => x * 10);
    expect(await ds.toArray()).toEqual([10, 20, 30]);
    expect(() => fromArrays([1]).mapAsync(5 as never)).toThrow(/^Dataset.mapAsync: expected fn to be a function/);
  });
});
