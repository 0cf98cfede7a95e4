// Shared checks for layer tests: config round trips and gradients reaching every weight.
import { add, dispose, layers, sum, variableGrads, type Tensor } from '../../src';
import { expectNoLeaks } from './memory';

type AnyLayer = InstanceType<typeof layers.Layer>;

/** getConfig -> deserializeLayer -> getConfig gives the same config. */
export function expectConfigRoundTrip(layer: AnyLayer): void {
  const serialized = layers.serializeLayer(layer);
  const copy = layers.deserializeLayer(JSON.parse(JSON.stringify(serialized)));
  expect(copy.constructor).toBe(layer.constructor);
  expect(copy.getConfig()).toEqual(layer.getConfig());
}

/** The gradient of sum(layer(x)) in training mode (over every output) reaches every trainable weight, with the weight's shape. */
export function expectGradientsToAllWeights(layer: AnyLayer, x: Tensor | Tensor[]): void {
  const { value, grads } = variableGrads(() => {
    const outputs = layer.apply(x as Tensor, { training: true }) as Tensor | Tensor[];
    return (Array.isArray(outputs) ? outputs : [outputs]).map((y) => sum(y)).reduce((a, b) => add(a, b));
  });
  value.dispose();
  const weights = layer.trainableWeights;
  expect(weights.length).toBeGreaterThan(0);
  for (const w of weights) {
    const g = grads[w.name];
    expect(g).toBeDefined();
    expect(g.shape).toEqual(w.shape);
  }
  for (const g of Object.values(grads)) g.dispose();
}

/** Applying the layer (in training mode) `times` times leaves live tensors and bytes where they were. */
export function expectFlatMemory(layer: AnyLayer, x: Tensor | Tensor[], times = 50): void {
  expectNoLeaks(() => dispose(layer.apply(x as Tensor, { training: true }) as Tensor | Tensor[]), times);
}
