// CSV files as Datasets of rows, streamed line by line, with typed columns.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Dataset, type Element } from './dataset';
import { checkFilePath, notRegularFile } from '../options/file_path';
import { checkOptions } from '../options/check';
import { checkString } from '../options/check_args';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { ownEntry, setOwn } from '../options/own_entry';

/** How one column is read. */
export interface ColumnConfig {
  /** 'float32' (default for numeric text), 'int32', 'bool' or 'string'. */
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  /** Label columns go to `ys` (then each row is {xs, ys}). */
  isLabel?: boolean;
  /** Value for an empty cell; without it an empty cell is an error. */
  default?: number | string | boolean;
}

/** Options of fromCsv. */
export interface CsvOptions {
  /** Whether the first line names the columns (default true). */
  hasHeader?: boolean;
  /** Names when the file has no header (or to override it). */
  columnNames?: string[];
  /** The field separator (default ','). */
  delimiter?: string;
  /** How to read columns, by name: dtype, default, and which are labels. */
  columnConfigs?: Record<string, ColumnConfig>;
  /** Keep only the columns named in columnConfigs. */
  configuredColumnsOnly?: boolean;
}

// One character that can separate fields: a quote opens quoting and a line ends at a line
// break, so with either as the delimiter no line would ever split.
function checkDelimiter(op: string, delimiter: unknown): string {
  if (typeof delimiter !== 'string' || delimiter.length !== 1) throw new Error(`${op}: expected the delimiter to be one character, got ${describe(delimiter)}`);
  if (delimiter === '"' || delimiter === '\n' || delimiter === '\r')
    throw new Error(
      `${op}: expected the delimiter to be one character other than '"' (it quotes fields) and a line break (it ends rows), got ${describe(delimiter)}`,
    );
  return delimiter;
}

/** Splits one CSV line, honouring double quotes ("a, b" and "" for a quote). */
export function parseCsvLine(line: string, delimiter = ','): string[] {
  checkString('parseCsvLine', 'the line', line);
  checkDelimiter('parseCsvLine', delimiter);
  // Scans from quote to delimiter with indexOf and slices: adding one character at a time took
  // seconds on a line of megabytes. A quote opens or closes quoting anywhere in a field.
  const out: string[] = [];
  let field = '';
  let i = 0;
  // The next quote and delimiter at or after i (-1: none left), found again once passed.
  let quote = -2;
  let delim = -2;
  for (;;) {
    if (quote !== -1 && quote < i) quote = line.indexOf('"', i);
    if (delim !== -1 && delim < i) delim = line.indexOf(delimiter, i);
    if (delim !== -1 && (quote === -1 || delim < quote)) {
      out.push(field + line.slice(i, delim));
      field = '';
      i = delim + 1;
    } else if (quote !== -1) {
      // Quoted up to the closing quote; "" inside is a quote in the field.
      field += line.slice(i, quote);
      i = quote + 1;
      for (;;) {
        const end = line.indexOf('"', i);
        // Fields are read line by line: an open quote would silently take the rest of the line as one field.
        if (end === -1) throw new Error(`parseCsvLine: a quoted field is not closed by the end of the line (quoted fields cannot span lines)`);
        field += line.slice(i, end);
        i = end + 1;
        if (line.charCodeAt(i) !== 34) break;
        field += '"';
        i++;
      }
    } else {
      out.push(field + line.slice(i));
      return out;
    }
  }
}

// A decimal number as CSV files write them (Number() also takes ' ', '0x10' and '0b1', as 0, 16 and 1).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?(Infinity|inf)$|^NaN$/i;
const toNumber = (value: string): number => {
  const v = value.trim();
  if (!DECIMAL.test(v)) return NaN;
  return /inf/i.test(v) ? (v.startsWith('-') ? -Infinity : Infinity) : Number(v);
};
const BOOLEANS: Record<string, boolean> = { '1': true, '0': false, true: true, false: false };

function convert(at: string, value: string, name: string, config: ColumnConfig | undefined, row: number): number | string | boolean {
  const dtype = config?.dtype ?? (value.trim() !== '' && Number.isNaN(toNumber(value)) ? 'string' : 'float32');
  // Blank (or, for numbers and booleans, only spaces): the column's default.
  if (value === '' || (dtype !== 'string' && value.trim() === '')) {
    if (config?.default !== undefined) return config.default;
    throw new Error(`${at}: row ${row}, column '${name}' is empty and has no default`);
  }
  if (dtype === 'string') return value;
  if (dtype === 'bool') {
    const b = ownEntry(BOOLEANS, value.trim().toLowerCase());
    if (b === undefined) throw new Error(`${at}: row ${row}, column '${name}': expected a bool (true, false, 1 or 0), got '${value}'`);
    return b;
  }
  const n = toNumber(value);
  if (Number.isNaN(n) && value.trim() !== 'NaN') throw new Error(`${at}: row ${row}, column '${name}': expected a number (${dtype}), got '${value}'`);
  if (dtype !== 'int32') return n;
  const i = Math.trunc(n);
  if (!(i >= -(2 ** 31) && i < 2 ** 31)) throw new Error(`${at}: row ${row}, column '${name}': ${value} is not an int32 (from -2147483648 to 2147483647)`);
  return i;
}

/**
 * The rows of a CSV file: objects keyed by column, or {xs, ys} when label columns are
 * configured. Blank lines are skipped. The options are TensorFlow.js's csvConfig, and a
 * file:// URL is its path, so TensorFlow.js's `tf.data.csv('file://data.csv', config)`
 * works as `data.csv`.
 * @example fromCsv('data.csv', { columnConfigs: { price: { isLabel: true } } }).batch(32)
 */
export function fromCsv(path: string, options: CsvOptions = {}): Dataset<Element> {
  if (arguments.length > 2) throw tooManyArguments('data.fromCsv', 2, arguments.length);
  return readCsv('data.fromCsv', path, options);
}

/** TensorFlow.js's name for fromCsv, `tf.data.csv(source, csvConfig)`; its errors say data.csv. */
export function csv(path: string, options: CsvOptions = {}): Dataset<Element> {
  if (arguments.length > 2) throw tooManyArguments('data.csv', 2, arguments.length);
  return readCsv('data.csv', path, options);
}

function readCsv(op: string, path: string, options: CsvOptions): Dataset<Element> {
  options = checkOptions(op, options, 'data.fromCsv');
  if (options.columnConfigs !== undefined) {
    const columns = Object.entries(options.columnConfigs).map(([column, c]) => [
      column,
      checkOptions(`${op}: column '${column}'`, c, 'data.fromCsv.columnConfigs'),
    ]);
    options = { ...options, columnConfigs: Object.fromEntries(columns) };
  }
  path = checkFilePath(op, path);
  if (!existsSync(path)) throw new Error(`${op}: no such file: ${path}`);
  // A folder fails to read; a device or a pipe (/dev/zero) would be read forever.
  const kind = notRegularFile(path);
  if (kind !== null) throw new Error(`${op}: ${path} is ${kind}, not a CSV file`);
  // Errors say which file (and row) is wrong.
  const at = `${op}: ${path}`;
  const delimiter = checkDelimiter(op, options.delimiter ?? ',');
  const configs = options.columnConfigs ?? {};
  const hasLabels = Object.values(configs).some((c) => c.isLabel);
  return new Dataset<Element>(async function* () {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let names = options.columnNames;
    let row = 0;
    let headerSeen = false;
    try {
      for await (const line of lines) {
        row++;
        if (line.trim() === '') continue;
        let cells: string[];
        try {
          cells = parseCsvLine(line, delimiter);
        } catch (e) {
          throw new Error(`${at}: row ${row}: ${(e as Error).message.replace(/^parseCsvLine: /, '')}`, { cause: e });
        }
        // The header is the first line with content.
        if (!headerSeen && (options.hasHeader ?? true)) {
          headerSeen = true;
          names ??= cells.map((c) => c.trim());
          const seen = new Set<string>();
          const twice = names.find((n) => seen.size === seen.add(n).size);
          // Rows are objects keyed by name: a second column of a name would overwrite the first.
          if (twice !== undefined) throw new Error(`${at}: the header names column '${twice}' twice (${names.join(', ')})`);
          for (const key of Object.keys(configs)) {
            if (!names.includes(key)) throw new Error(`${at}: column '${key}' of columnConfigs is not in the header (${names.join(', ')})`);
          }
          continue;
        }
        names ??= cells.map((_, i) => `column${i}`);
        if (cells.length !== names.length) throw new Error(`${at}: row ${row} has ${cells.length} fields, expected ${names.length}`);
        const xs: Record<string, Element> = {};
        const ys: Record<string, Element> = {};
        names.forEach((name, i) => {
          // A column named 'constructor' or '__proto__' is a column like any other.
          const config = ownEntry(configs, name);
          if (options.configuredColumnsOnly && !config) return;
          setOwn(config?.isLabel ? ys : xs, name, convert(at, cells[i], name, config, row));
        });
        yield hasLabels ? { xs, ys } : xs;
      }
    } finally {
      lines.close();
    }
  });
}
