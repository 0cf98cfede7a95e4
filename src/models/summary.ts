// model.summary(): Keras's text table of layers, output shapes and parameter counts,
// with a "Connected to" column for models that are not a simple chain.
import { checkFunction } from '../tensor/check_function';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** One layer's line(s) in a summary. */
export interface SummaryRow {
  name: string;
  type: string;
  outputShape: string;
  params: number;
  /** Inputs as 'layer[node][tensor]'; present for graph models with branches. */
  connectedTo?: string[];
}

/** What a summary prints. */
export interface SummaryTable {
  title: string;
  rows: SummaryRow[];
  /** Whether to add the "Connected to" column. */
  connections: boolean;
  trainableParams: number;
  nonTrainableParams: number;
}

const formatCount = (n: number) => n.toLocaleString('en-US');

const MAX_LINE_LENGTH = 10_000;

/**
 * Prints the table line by line through printFn. `positions` are the right edges of the
 * columns, as fractions of lineLength (all <= 1) or in characters.
 */
export function printSummary(table: SummaryTable, lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
  const width = lineLength ?? (table.connections ? 98 : 65);
  const edges = positions ?? (table.connections ? [0.33, 0.55, 0.67, 1] : [0.45, 0.85, 1]);
  const columns = table.connections ? 4 : 3;
  // A line is built as one string: 2^31 characters is past what V8 can hold.
  if (!Number.isInteger(width) || width <= 0 || width > MAX_LINE_LENGTH) {
    throw new Error(`summary: expected lineLength to be an integer in [1, ${MAX_LINE_LENGTH}], got ${describe(lineLength)}`);
  }
  if (!Array.isArray(edges) || edges.length !== columns || !everyEntry(edges, (p) => typeof p === 'number' && p >= 0 && p <= MAX_LINE_LENGTH)) {
    throw new Error(`summary: expected ${columns} positions (fractions of lineLength, or characters up to ${MAX_LINE_LENGTH}), got ${describe(positions)}`);
  }
  checkFunction('summary', 'printFn', printFn);
  const stops = edges.every((p) => p <= 1) ? edges.map((p) => Math.floor(width * p)) : edges;
  // Each field is cut at its column's right edge, as Keras does.
  const printRow = (fields: string[]) => {
    let line = '';
    fields.forEach((field, i) => {
      if (i > 0) line = line.slice(0, -1) + ' ';
      line = (line + field).slice(0, stops[i]);
      line += ' '.repeat(Math.max(0, stops[i] - line.length));
    });
    printFn(line.trimEnd());
  };
  printFn(`Model: "${table.title}"`);
  printFn('_'.repeat(width));
  printRow(['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, columns));
  printFn('='.repeat(width));
  table.rows.forEach((row, i) => {
    const connected = row.connectedTo ?? [];
    printRow([`${row.name} (${row.type})`, row.outputShape, String(row.params), connected[0] ?? ''].slice(0, columns));
    if (table.connections) for (const c of connected.slice(1)) printRow(['', '', '', c]);
    printFn((i === table.rows.length - 1 ? '=' : '_').repeat(width));
  });
  if (table.rows.length === 0) printFn('='.repeat(width));
  printFn(`Total params: ${formatCount(table.trainableParams + table.nonTrainableParams)}`);
  printFn(`Trainable params: ${formatCount(table.trainableParams)}`);
  printFn(`Non-trainable params: ${formatCount(table.nonTrainableParams)}`);
  printFn('_'.repeat(width));
}
