// Hostile CSV files: every error names the file and the row, and nothing is read as
// something else (an open quote, a repeated column name, ' ' or '0x10' as numbers, 'maybe'
// as false, 1e40 as an int32).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCsv, parseCsvLine, type CsvOptions } from '../../src/data/csv';

const dir = mkdtempSync(join(tmpdir(), 'tessera-csv-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const rows = (text: string, options?: CsvOptions) => {
  const file = join(dir, `f${n++}.csv`);
  writeFileSync(file, text);
  return { file, read: () => fromCsv(file, options).toArray() };
};

test('a ragged row names the file and the row', async () => {
  const { file, read } = rows('a,b\n1,2\n3\n');
  await expect(read()).rejects.toThrow(`data.fromCsv: ${file}: row 3 has 1 fields, expected 2`);
});

test('a quote left open is an error (it took the rest of the line as one field)', async () => {
  expect(() => parseCsvLine('1,"2')).toThrow(/parseCsvLine: a quoted field is not closed by the end of the line/);
  const { file, read } = rows('a,b\n1,"2\n3,4\n');
  await expect(read()).rejects.toThrow(`data.fromCsv: ${file}: row 2: a quoted field is not closed by the end of the line`);
});

test("a delimiter that never splits a line ('\"', a line break) is refused before reading", () => {
  const { file } = rows('a"b\n1"2\n');
  for (const delimiter of ['"', '\n'])
    expect(() => fromCsv(file, { delimiter })).toThrow(/^data\.fromCsv: expected the delimiter to be one character other than '"'/);
});

test('a header that names a column twice is refused (the second overwrote the first)', async () => {
  const { file, read } = rows('a,b,a\n1,2,3\n');
  await expect(read()).rejects.toThrow(`data.fromCsv: ${file}: the header names column 'a' twice (a, b, a)`);
});

test("numbers are decimal: ' ' is empty and '0x10' is not a number (they read as 0 and 16)", async () => {
  const blank = rows('a,b\n ,2\n', { columnConfigs: { a: { dtype: 'float32' } } });
  await expect(blank.read()).rejects.toThrow(`data.fromCsv: ${blank.file}: row 2, column 'a' is empty and has no default`);
  const hex = rows('a,b\n0x10,2\n', { columnConfigs: { a: { dtype: 'float32' } } });
  await expect(hex.read()).rejects.toThrow(`data.fromCsv: ${hex.file}: row 2, column 'a': expected a number (float32), got '0x10'`);
  // Without a dtype, such a column is text.
  expect(await rows('a,b\n0x10,2\n').read()).toEqual([{ a: '0x10', b: 2 }]);
  expect(await rows('a,b\n1.5e3, -2\n-inf,.5\n').read()).toEqual([
    { a: 1500, b: -2 },
    { a: -Infinity, b: 0.5 },
  ]);
});

test('an int32 column refuses values out of range, a bool column values that are not booleans', async () => {
  const big = rows('a\n1e40\n', { columnConfigs: { a: { dtype: 'int32' } } });
  await expect(big.read()).rejects.toThrow(`data.fromCsv: ${big.file}: row 2, column 'a': 1e40 is not an int32`);
  const maybe = rows('a\nmaybe\n', { columnConfigs: { a: { dtype: 'bool' } } });
  await expect(maybe.read()).rejects.toThrow(`data.fromCsv: ${maybe.file}: row 2, column 'a': expected a bool (true, false, 1 or 0), got 'maybe'`);
  expect(await rows('a,b\nTRUE,-7.9\n0,2147483647\n', { columnConfigs: { a: { dtype: 'bool' }, b: { dtype: 'int32' } } }).read()).toEqual([
    { a: true, b: -7 },
    { a: false, b: 2147483647 },
  ]);
});

test('a folder or a device is refused before reading (a device never ends)', () => {
  const folder = join(dir, 'folder.csv');
  mkdirSync(folder);
  expect(() => fromCsv(folder)).toThrow(`data.fromCsv: ${folder} is a folder, not a CSV file`);
  expect(() => fromCsv('/dev/zero')).toThrow('data.fromCsv: /dev/zero is a character device, not a CSV file');
});
