// CSV files as Datasets of rows, streamed line by line, with typed columns.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Dataset, type Element } from './dataset';
import { checkFilePath } from '../options/file_path';
import { checkOptions } from '../options/check';
import { checkString } from '../options/check_args';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';

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

/** Splits one CSV line, honouring double quotes ("a, b" and "" for a quote). */
export function parseCsvLine(line: string, delimiter = ','): string[] {
  checkString('parseCsvLine', 'the line', line);
  if (typeof delimiter !== 'string' || delimiter.length !== 1)
    throw new Error(`parseCsvLine: expected the delimiter to be one character, got ${describe(delimiter)}`);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function convert(op: string, value: string, name: string, config: ColumnConfig | undefined, row: number): number | string | boolean {
  if (value === '') {
    if (config?.default !== undefined) return config.default;
    throw new Error(`${op}: row ${row}, column '${name}' is empty and has no default`);
  }
  const dtype = config?.dtype ?? (Number.isNaN(Number(value)) ? 'string' : 'float32');
  if (dtype === 'string') return value;
  if (dtype === 'bool') return value === '1' || value.toLowerCase() === 'true';
  const n = Number(value);
  if (Number.isNaN(n)) throw new Error(`${op}: row ${row}, column '${name}': expected a number (${dtype}), got '${value}'`);
  return dtype === 'int32' ? Math.trunc(n) : n;
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
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1) throw new Error(`${op}: expected delimiter to be one character, got ${describe(delimiter)}`);
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
        const cells = parseCsvLine(line, delimiter);
        // The header is the first line with content.
        if (!headerSeen && (options.hasHeader ?? true)) {
          headerSeen = true;
          names ??= cells.map((c) => c.trim());
          for (const key of Object.keys(configs)) {
            if (!names.includes(key)) throw new Error(`${op}: column '${key}' of columnConfigs is not in the header (${names.join(', ')})`);
          }
          continue;
        }
        names ??= cells.map((_, i) => `column${i}`);
        if (cells.length !== names.length) throw new Error(`${op}: row ${row} has ${cells.length} fields, expected ${names.length}`);
        const xs: Record<string, Element> = {};
        const ys: Record<string, Element> = {};
        names.forEach((name, i) => {
          const config = configs[name];
          if (options.configuredColumnsOnly && !config) return;
          (config?.isLabel ? ys : xs)[name] = convert(op, cells[i], name, config, row);
        });
        yield hasLabels ? { xs, ys } : xs;
      }
    } finally {
      lines.close();
    }
  });
}
