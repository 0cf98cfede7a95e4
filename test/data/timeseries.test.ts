// data.timeseriesDatasetFromArray: Keras's documented examples, hand-worked windows, and
// bad input; Dataset.shard.
import { data, range, tensor, type Tensor } from '../../src';

const rows = (t: Tensor): number[][] => t.arraySync() as number[][];

async function all(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of ds) out.push(e);
  return out;
}

describe('timeseriesDatasetFromArray', () => {
  it("Keras's example 1: sequenceLength 10, samplingRate 2, sequenceStride 3 over 0..98", async () => {
    const ds = data.timeseriesDatasetFromArray(range(0, 99), null, { sequenceLength: 10, samplingRate: 2, sequenceStride: 3, batchSize: 200 });
    const [batch] = (await all(ds)) as Tensor[];
    const w = rows(batch);
    expect(w.length).toBe(27); // starts 0, 3, ..., 78
    expect(w[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(w[1]).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(w[2]).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(w[26]).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96]);
  });

  it("Keras's example 2: inputs data[:-10], targets data[10:] give inputs[0] = data[:10], targets[0] = data[10]", async () => {
    const series = Array.from({ length: 100 }, (_, i) => i * i);
    const ds = data.timeseriesDatasetFromArray(series.slice(0, -10), series.slice(10), { sequenceLength: 10 });
    const batches = (await all(ds)) as [Tensor, Tensor][];
    expect(batches.length).toBe(1); // 81 windows in one batch of 128
    const [x, y] = batches[0];
    expect(x.shape).toEqual([81, 10]);
    expect(rows(x)[0]).toEqual(series.slice(0, 10));
    expect(Array.from(y.dataSync()).slice(0, 2)).toEqual([series[10], series[11]]);
    expect(rows(x)[80]).toEqual(series.slice(80, 90));
    expect(y.dataSync()[80]).toBe(series[90]);
  });

  it('keeps feature axes, batches with a short last batch, honours startIndex and endIndex', async () => {
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [12, 2],
    );
    const ds = data.timeseriesDatasetFromArray(x, range(100, 112), { sequenceLength: 3, batchSize: 2, startIndex: 2, endIndex: 10 });
    // rows 2..9, windows start at 2..7 (the last, 7, holds 7, 8, 9): six windows, targets 102..107.
    expect(ds.size).toBe(3);
    const batches = (await all(ds)) as [Tensor, Tensor][];
    expect(batches.map(([a]) => a.shape)).toEqual([
      [2, 3, 2],
      [2, 3, 2],
      [2, 3, 2],
    ]);
    expect(batches[0][0].arraySync()).toEqual([
      [
        [4, 5],
        [6, 7],
        [8, 9],
      ],
      [
        [6, 7],
        [8, 9],
        [10, 11],
      ],
    ]);
    expect(batches.flatMap(([, t]) => Array.from(t.dataSync()))).toEqual([102, 103, 104, 105, 106, 107]);
    expect(batches[2][0].arraySync()).toEqual([
      [
        [12, 13],
        [14, 15],
        [16, 17],
      ],
      [
        [14, 15],
        [16, 17],
        [18, 19],
      ],
    ]);
  });

  it('targets shorter than the data bound the windows; batchSize null yields single windows', async () => {
    const ds = data.timeseriesDatasetFromArray([1, 2, 3, 4, 5, 6], [10, 20], { sequenceLength: 2, batchSize: null });
    const out = (await all(ds)) as [Tensor, Tensor][];
    expect(out.map(([a, b]) => [a.shape, Array.from(a.dataSync()), b.shape, b.dataSync()[0]])).toEqual([
      [[2], [1, 2], [], 10],
      [[2], [2, 3], [], 20],
    ]);
  });

  it('shuffles every window exactly once, the same for a seed and anew each pass', async () => {
    const make = () => data.timeseriesDatasetFromArray(range(0, 50), null, { sequenceLength: 4, batchSize: 8, shuffle: true, seed: 3 });
    const firsts = async (ds: AsyncIterable<unknown>) => ((await all(ds)) as Tensor[]).flatMap((b) => rows(b).map((w) => w[0]));
    const ds = make();
    const a = await firsts(ds);
    const b = await firsts(ds);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 47 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 47 }, (_, i) => i));
    expect(b).not.toEqual(a);
    expect(await firsts(make())).toEqual(a);
  });

  it('a series too short for one window gives no windows', async () => {
    expect(await all(data.timeseriesDatasetFromArray([1, 2, 3], null, { sequenceLength: 5 }))).toEqual([]);
  });

  it('rejects bad options by name', () => {
    const f =
      (o: object, d: unknown = [1, 2, 3, 4]) =>
      () =>
        data.timeseriesDatasetFromArray(d as never, null, o as never);
    expect(f({})).toThrow(/timeseriesDatasetFromArray: expected sequenceLength to be an integer >= 1, got undefined/);
    expect(f({ sequenceLength: 2, samplingRate: 0 })).toThrow(/samplingRate to be an integer >= 1, got 0/);
    expect(f({ sequenceLength: 2, sequenceStride: 1.5 })).toThrow(/sequenceStride to be an integer >= 1/);
    expect(f({ sequenceLength: 2, startIndex: 4 })).toThrow(/expected 0 <= startIndex < the data's length 4, got 4/);
    expect(f({ sequenceLength: 2, startIndex: 2, endIndex: 2 })).toThrow(/startIndex 2 < endIndex <= the data's length 4, got 2/);
    expect(f({ sequenceLength: 2, endIndex: 5 })).toThrow(/endIndex <= the data's length 4, got 5/);
    expect(f({ sequenceLength: 2, seqLength: 3 })).toThrow(/unknown option 'seqLength'/);
    expect(f({ sequenceLength: 2 }, 5)).toThrow(/expected data to be a tensor or an array, got 5/);
    expect(() => data.timeseriesDatasetFromArray([1, 2], null, undefined as never)).toThrow(/expected options with at least sequenceLength/);
  });
});

describe('Dataset.shard', () => {
  it('keeps every numShards-th element from index', async () => {
    const ds = data.fromArrays([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await ds.shard(3, 1).toArray()).toEqual([1, 4, 7]);
    expect(await ds.shard(3, 0).toArray()).toEqual([0, 3, 6, 9]);
    expect(ds.shard(3, 0).size).toBe(4);
    expect(ds.shard(3, 2).size).toBe(3);
    expect(await ds.shard(1, 0).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects an index outside the shards', () => {
    const ds = data.fromArrays([1]);
    expect(() => ds.shard(2, 2)).toThrow(/Dataset.shard: expected index < numShards 2, got 2/);
    expect(() => ds.shard(0, 0)).toThrow(/Dataset.shard: expected numShards to be an integer >= 1, got 0/);
    expect(() => ds.shard(2, -1)).toThrow(/expected index to be an integer >= 0/);
  });
});
