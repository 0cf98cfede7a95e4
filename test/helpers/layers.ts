// Shared checks for layer tests: config round trips and gradients reaching every weight.
import { layers, sum, variableGrads, type Tensor } from '../../src';

type AnyLayer = InstanceType<typeof layers.Layer>;

/** getConfig -> deserializeLayer -> getConfig gives the same config. */
export function expectConfigRoundTrip(layer: AnyLayer): void {
  const serialized = layers.serializeLayer(layer);
  const copy = layers.deserializeLayer(JSON.parse(JSON.stringify(serialized)));
  expect(copy.constructor).toBe(layer.constructor);
  expect(copy.getConfig()).toEqual(layer.getConfig());
}

/** The gradient of sum(layer(x)) reaches every trainable weight, with the weight's shape. */
export function expectGradientsToAllWeights(layer: AnyLayer, x: Tensor | Tensor[]): void {
  const { value, grads } = variableGrads(() => sum(layer.apply(x as Tensor) as Tensor));
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
