// Shared by the mobile families' tests: Keras's fixture of layers and the same rows read
// from a Tessera model (name, Keras class name, output shape, parameter count).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';

/** One layer: name, class name, output shape with the batch axis, parameter count. */
export type LayerRow = [string, string, (number | null)[], number];

/** One architecture of the fixture, as Keras 3.15 builds it at 32x32. */
export interface ArchFixture {
  function: string;
  options: Record<string, unknown>;
  name: string;
  /** Without the top (pooling 'avg'); absent for EfficientNetB1..B7 (the same layers up to the top). */
  notop?: LayerRow[];
  top: LayerRow[];
  top_params_default_size: number;
  notop_params?: number;
}

export const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../fixtures/applications_mobile.json'), 'utf8')) as {
  archs: Record<string, ArchFixture>;
};

/** The application function of Keras's name. */
export function factory(name: string): (o: Record<string, unknown>) => Promise<ts.Functional> {
  return (ts.applications as unknown as Record<string, (o: Record<string, unknown>) => Promise<ts.Functional>>)[name];
}

/** The rows of a model's layers (Keras's class names; bare operations under their operation's). */
export function layerRows(model: ts.Functional): LayerRow[] {
  return model.layers.map((l) => {
    const cls = (l as unknown as { op?: string }).op ?? (l.constructor as unknown as { className: string }).className;
    return [l.name, cls, [...((l.output as ts.SymbolicTensor).shape as (number | null)[])], l.countParams()];
  });
}

// Keras 3's Normalization keeps a scalar 'count' weight (for old files) that Tessera's lacks:
// one parameter fewer in the layer and the model, and nothing else (reported, not hidden).
function withoutCount(rows: LayerRow[]): { rows: LayerRow[]; fewer: number } {
  let fewer = 0;
  const out = rows.map((r): LayerRow => (r[1] === 'Normalization' ? (fewer++, [r[0], r[1], r[2], r[3] - 1]) : r));
  return { rows: out, fewer };
}

/** Builds `key`'s model with the top at 32x32 and compares it with Keras's layers and total. */
export async function checkWithTop(key: string): Promise<void> {
  const arch = FIXTURE.archs[key];
  ts.backend.clearSession();
  const model = await factory(arch.function)({ ...arch.options, inputShape: [32, 32, 3], weights: null });
  expect(model.name).toBe(arch.name);
  const { rows, fewer } = withoutCount(arch.top);
  expect(layerRows(model)).toEqual(rows);
  expect(model.countParams()).toBe(arch.top_params_default_size - fewer);
}

/** Builds `key`'s model without the top (pooling 'avg') at 32x32 and compares it with Keras's. */
export async function checkWithoutTop(key: string): Promise<void> {
  const arch = FIXTURE.archs[key];
  ts.backend.clearSession();
  const model = await factory(arch.function)({ ...arch.options, inputShape: [32, 32, 3], weights: null, includeTop: false, pooling: 'avg' });
  const { rows, fewer } = withoutCount(arch.notop!);
  expect(layerRows(model)).toEqual(rows);
  expect(model.countParams()).toBe(arch.notop_params! - fewer);
}
