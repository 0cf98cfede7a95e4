// The tree the HDF5 reader's worker sends back answers as an open h5wasm file did for the
// loaders: members by name or path, attributes without inherited names, values that
// arrive as typed arrays, and shared (hard-linked) groups reached under each path.
import { ensureGroup, H5ReadDataset, H5ReadGroup, loadH5, writeH5 } from '../../src/saving/h5';

const file = () =>
  writeH5((f) => {
    const g = ensureGroup(f, 'a/b');
    g.create_attribute('names', ['x', 'y']);
    g.create_attribute('n', 3);
    g.create_dataset({ name: 'w', data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: '<f' });
    (f as unknown as { create_hard_link(target: string, name: string): void }).create_hard_link('/a/b', 'c');
  });

test('members by name and by path, null when missing; paths as reached', async () => {
  const root = await loadH5('t.h5', await file());
  expect(root.keys()).toEqual(['a', 'c']);
  const b = root.get('a/b');
  expect(b).toBeInstanceOf(H5ReadGroup);
  expect((b as H5ReadGroup).path).toBe('/a/b');
  expect(root.get('a/missing')).toBeNull();
  expect(root.get('a/b/w/deeper')).toBeNull();
  // The hard link: the same group under another path.
  const c = root.get('c') as H5ReadGroup;
  expect(c.path).toBe('/c');
  expect(c.keys()).toEqual(['w']);
  const w = root.get('a/b/w') as H5ReadDataset;
  expect(w).toBeInstanceOf(H5ReadDataset);
  expect([w.shape, w.dtype, Array.from(w.value as Float32Array)]).toEqual([[2, 3], '<f', [1, 2, 3, 4, 5, 6]]);
  expect((w.value as Float32Array).constructor.name).toBe('Float32Array');
});

test('attributes: their values, and no names inherited from Object', async () => {
  const b = (await loadH5('t.h5', await file())).get('a/b') as H5ReadGroup;
  expect(Object.keys(b.attrs).sort()).toEqual(['n', 'names']);
  expect(b.attrs.names.value).toEqual(['x', 'y']);
  expect(Number(b.attrs.n.value)).toBe(3);
  expect('constructor' in b.attrs).toBe(false);
  expect('toString' in b.attrs).toBe(false);
});

test('bytes that are not HDF5 are refused before any worker reads them, naming the source', async () => {
  await expect(loadH5('t.h5', new Uint8Array([1, 2, 3]))).rejects.toThrow('t.h5 is not an HDF5 file');
});
