// Child of malformed_calls.test.ts: sends every kernel of ops.def malformed calls straight
// to the addon's run(op, inputs, attrs, outSpecs), bypassing the TypeScript ops. Prints
// "CASE <i>" before each call and "DONE <i> <json>" after, so the parent can name the case
// that killed the process and start again after it.
//   node -r test/helpers/register-ts.js test/native/malformed_calls_child.ts <device> <first case> [--count]
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { native, type NativeHandle } from '../../src/native/binding';
import { deviceCode } from '../../src/native/device';
import { OP } from '../../src/native/op_ids';
import { OP_TABLE, type AttrField, type OpRow } from '../../src/native/op_table';
import { DTYPE_CODE, type DType } from '../../src/tensor/dtype';

interface Tensor {
  dtype: DType;
  shape: number[];
}

/** One call: `mustThrow` when no reading of the table could accept it. */
export interface MalformedCase {
  name: string;
  kernel: OpRow['name'];
  inputs: Tensor[];
  attrs: number[];
  outputs: Tensor[];
  mustThrow: boolean;
}

const t = (shape: number[], dtype: DType = 'float32'): Tensor => ({ dtype, shape });
const MATRIX = [2, 3];

function attrCount(f: AttrField, inputs: Tensor[]): number {
  if (f.rankInput === undefined) return f.count;
  const rank = inputs[f.rankInput]?.shape.length ?? 0;
  return f.upTo ? Math.min(1, rank) : f.count * rank;
}

// Well-typed attributes of the right count (zeros: often an invalid geometry, which the
// cases below do not rely on).
function baseAttrs(row: OpRow, inputs: Tensor[]): number[] {
  return row.attrs.flatMap((f) => new Array<number>(attrCount(f, inputs)).fill(0));
}

// The multi-tensor updates take whole groups of (param, grad, slots...); with every
// attribute 0 a group is the single-tensor kernel's inputs without the optional slots.
const GROUP_SIZE: Partial<Record<OpRow['name'], number>> = {
  multi_sgd_update: 2,
  multi_adam_update: 4,
  multi_rmsprop_update: 3,
  multi_adagrad_update: 3,
};

/** The malformed calls of one kernel. */
export function casesFor(row: OpRow): MalformedCase[] {
  const group = GROUP_SIZE[row.name];
  // Two groups, so that the cases below reach the second one too.
  const nIn = group !== undefined ? 2 * group : row.inputs < 0 ? 2 : row.inputs;
  const inputs = Array.from({ length: nIn }, () => t(MATRIX));
  const outputs = Array.from({ length: row.outputs }, () => t(MATRIX));
  const attrs = baseAttrs(row, inputs);
  const cases: MalformedCase[] = [];
  const add = (name: string, mustThrow: boolean, c: Partial<Pick<MalformedCase, 'inputs' | 'attrs' | 'outputs'>>) =>
    cases.push({ name: `${row.name}: ${name}`, kernel: row.name, inputs, attrs, outputs, mustThrow, ...c });

  // Counts the table fixes.
  if (row.inputs > 0) add('one input too few', true, { inputs: inputs.slice(1) });
  if (row.inputs >= 0) add('one input too many', true, { inputs: [...inputs, t(MATRIX)] });
  if (row.outputs > 0) add('one output too few', true, { outputs: outputs.slice(1) });
  add('one output too many', true, { outputs: [...outputs, t(MATRIX)] });
  // A list of at most rank(i) values may be shorter.
  if (attrs.length > 0) add('attributes one too short', !row.attrs.some((f) => f.upTo), { attrs: attrs.slice(1) });
  add('attributes one too long', true, { attrs: [...attrs, 0] });
  add('attributes far too long', true, { attrs: new Array<number>(attrs.length + 64).fill(1) });

  // The group layout: whole groups, each of one shape, all of one dtype.
  if (group !== undefined) {
    add('no inputs', true, { inputs: [] });
    add('a partial group', true, { inputs: inputs.slice(1) });
    add('one group and one input', true, { inputs: [...inputs.slice(0, group), t(MATRIX)] });
    add('group 1 gradient of another shape', true, { inputs: inputs.map((x, k) => (k === group + 1 ? t([3, 2]) : x)) });
    add('group 1 of another dtype', true, { inputs: inputs.map((x, k) => (k >= group ? t(MATRIX, 'float64') : x)) });
    add('group 1 of its own shape', false, { inputs: inputs.map((x, k) => (k >= group ? t([7]) : x)) });
  }

  // Attribute values, one field at a time.
  let at = 0;
  for (const f of row.attrs) {
    const n = attrCount(f, inputs);
    const withValue = (v: number) => attrs.map((a, i) => (i >= at && i < at + n ? v : a));
    const typed = f.kind !== 'double';
    if (n > 0) {
      add(`${f.name} NaN`, typed, { attrs: withValue(NaN) });
      add(`${f.name} fractional`, typed, { attrs: withValue(0.5) });
      add(`${f.name} huge`, typed, { attrs: withValue(1e300) });
      add(`${f.name} negative`, f.kind === 'uint' || f.kind === 'bool' || f.kind === 'enum', { attrs: withValue(-1) });
      add(`${f.name} out of range`, f.kind === 'bool', { attrs: withValue(7) });
      add(`${f.name} 2^40`, f.kind === 'bool', { attrs: withValue(2 ** 40) });
      add(`${f.name} infinite`, typed, { attrs: withValue(Infinity) });
    }
    at += n;
  }

  // Tensors: dtypes, ranks, shapes and output specs that disagree with the inputs.
  for (let i = 0; i < nIn; i++) {
    const swap = (x: Tensor) => inputs.map((v, k) => (k === i ? x : v));
    for (const dtype of ['int32', 'bool', 'float64'] as const) add(`input ${i} ${dtype}`, false, { inputs: swap(t(MATRIX, dtype)) });
    add(`input ${i} scalar`, false, { inputs: swap(t([])) });
    add(`input ${i} rank 6`, false, { inputs: swap(t([1, 1, 2, 1, 3, 1])) });
    add(`input ${i} empty`, false, { inputs: swap(t([0, 3])) });
    add(`input ${i} larger`, false, { inputs: swap(t([4, 5])) });
  }
  for (let i = 0; i < row.outputs; i++) {
    const swap = (x: Tensor) => outputs.map((v, k) => (k === i ? x : v));
    add(`output ${i} of one element`, false, { outputs: swap(t([1])) });
    add(`output ${i} bool`, false, { outputs: swap(t(MATRIX, 'bool')) });
    add(`output ${i} scalar`, false, { outputs: swap(t([])) });
    add(`output ${i} rank 6`, false, { outputs: swap(t([1, 1, 2, 1, 3, 1])) });
  }
  return cases;
}

export const ALL_CASES: MalformedCase[] = OP_TABLE.flatMap(casesFor);

function makeTensor(x: Tensor, device: number): NativeHandle {
  const n = x.shape.reduce((a, b) => a * b, 1);
  const data =
    x.dtype === 'float32' ? new Float32Array(n) : x.dtype === 'float64' ? new Float64Array(n) : x.dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  return native.createTensor(data, x.shape, DTYPE_CODE[x.dtype], device);
}

function outSpec(outputs: Tensor[], device: number): Float64Array {
  return new Float64Array([device, ...outputs.flatMap((o) => [DTYPE_CODE[o.dtype], o.shape.length, ...o.shape])]);
}

function runCase(c: MalformedCase, device: number): { threw: boolean; message: string } {
  const handles = c.inputs.map((x) => makeTensor(x, device));
  try {
    const result = native.run(OP[c.kernel], handles, new Float64Array(c.attrs), outSpec(c.outputs, device));
    for (const h of Array.isArray(result) ? result : [result]) native.dispose(h);
    native.synchronize(device);
    return { threw: false, message: '' };
  } catch (e) {
    return { threw: true, message: e instanceof Error ? e.message : `not an Error: ${String(e)}` };
  } finally {
    for (const h of handles) native.dispose(h);
  }
}

// A collection that an Error's own allocation triggers runs the handles' basic finalizers
// inside the throw, which Node 20 turns into a V8 fatal error ("AllowJavascriptExecution");
// collecting between cases keeps the young generation from filling up mid-throw.
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

if (require.main === module) {
  const device = deviceCode(process.argv[2] ?? 'cpu');
  const gc = collector();
  if (process.argv.includes('--count')) {
    process.stdout.write(`COUNT ${ALL_CASES.length}\n`);
  } else {
    for (let i = Number(process.argv[3] ?? 0); i < ALL_CASES.length; i++) {
      if (i % 25 === 0) gc();
      process.stdout.write(`CASE ${i}\n`);
      process.stdout.write(`DONE ${i} ${JSON.stringify(runCase(ALL_CASES[i], device))}\n`);
    }
  }
}
