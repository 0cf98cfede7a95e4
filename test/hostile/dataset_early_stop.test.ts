// Pipelines read in part (a break out of for await): the tensors a stage holds for elements
// not handed out are the pipeline's, and are freed. prefetch left up to bufferSize of them,
// shuffle its buffer, a window read in part the rest of its elements.
import * as ts from '../../src';

// A source of fresh tensors [i, i], which the pipeline owns until it hands them out.
const source = (n = 10) =>
  ts.data.generator(function* () {
    for (let i = 0; i < n; i++) yield ts.fill([2], i);
  });
const settle = () => new Promise((r) => setTimeout(r, 10));

async function readSome(ds: ts.data.Dataset<ts.Tensor>, k: number): Promise<number[]> {
  const seen: number[] = [];
  for await (const e of ds) {
    seen.push(e.dataSync()[0]);
    e.dispose();
    if (seen.length === k) break;
  }
  return seen;
}

describe('a pipeline read in part frees what it holds', () => {
  it.each([1, 5, ts.data.AUTOTUNE])('prefetch(%p) frees the elements it read ahead', async (buffer) => {
    const before = ts.memory().numTensors;
    expect(await readSome(source().prefetch(buffer), 2)).toEqual([0, 1]);
    await settle();
    expect(ts.memory().numTensors).toBe(before);
  });

  it('prefetch after map, then take, frees them too, and a full read still sees every element', async () => {
    const before = ts.memory().numTensors;
    const ds = source()
      .map((e) => {
        const y = ts.mul(e, 2);
        e.dispose();
        return y;
      })
      .prefetch(4);
    expect(await readSome(ds.take(3), 10)).toEqual([0, 2, 4]);
    await settle();
    expect(ts.memory().numTensors).toBe(before);
    expect(await readSome(ds, 100)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(ts.memory().numTensors).toBe(before);
  });

  it('shuffle frees its buffer when the reader stops early or the source throws, and keeps its order', async () => {
    const before = ts.memory().numTensors;
    const full = await readSome(source().shuffle(5, 7), 100);
    expect([...full].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await readSome(source().shuffle(5, 7), 2)).toEqual(full.slice(0, 2));
    await settle();
    expect(ts.memory().numTensors).toBe(before);
    const failing = ts.data.generator(function* () {
      for (let i = 0; i < 4; i++) yield ts.fill([2], i);
      throw new Error('source failed');
    });
    await expect(readSome(failing.shuffle(8), 100)).rejects.toThrow('source failed');
    expect(ts.memory().numTensors).toBe(before);
  });

  it('a window read in part frees the elements it did not hand out', async () => {
    const before = ts.memory().numTensors;
    const firsts: number[] = [];
    for await (const w of source(9).window(3)) firsts.push(...(await readSome(w, 1)));
    expect(firsts).toEqual([0, 3, 6]);
    await settle();
    expect(ts.memory().numTensors).toBe(before);
  });
});

describe('Dataset.map whose fn returns nothing', () => {
  it('is refused at the element, naming map (undefined elements failed later, far away)', async () => {
    const ds = ts.data.fromArrays([1, 2]).map(() => undefined);
    await expect(ds.toArray()).rejects.toThrow(/Dataset\.map: fn returned undefined for an element; .*forget a return/);
    const asyncDs = ts.data.fromArrays([1]).mapAsync(async () => undefined as unknown as number);
    await expect(asyncDs.toArray()).rejects.toThrow(/Dataset\.mapAsync: fn returned undefined/);
  });
});
