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

/** Builds `key`'s model with the top at 32x32 and compares it with Keras's layers and total. */
export async function checkWithTop(key: string): Promise<void> {
  const arch = FIXTURE.archs[key];
  ts.backend.clearSession();
  const model = await factory(arch.function)({ ...arch.options, inputShape: [32, 32, 3], weights: null });
  expect(model.name).toBe(arch.name);
  expect(layerRows(model)).toEqual(arch.top);
  expect(model.countParams()).toBe(arch.top_params_default_size);
}

/** Builds `key`'s model without the top (pooling 'avg') at 32x32 and compares it with Keras's. */
export async function checkWithoutTop(key: string): Promise<void> {
  const arch = FIXTURE.archs[key];
  ts.backend.clearSession();
  const model = await factory(arch.function)({ ...arch.options, inputShape: [32, 32, 3], weights: null, includeTop: false, pooling: 'avg' });
  expect(layerRows(model)).toEqual(arch.notop);
  expect(model.countParams()).toBe(arch.notop_params);
}
