// A build(shape) the user calls marks the layer built, as Keras's build wrapper does: the
// first apply then keeps the weights that build made (and any values set since) instead of
// building again with fresh ones. It also runs build in the layer's name scope, as Keras's
// does: a sublayer that build builds is under it ('outer/mid/inner/kernel'), however deep.
// A build called again on a built layer may add no weights (Keras locks a built layer's
// state): a second set would silently double the layer's weights.
import type { Layer } from './layer';
import { checkNoHoles } from '../tensor/shape';
import { inScope } from './naming';
import type { SymbolicShape } from './symbolic_tensor';

/** @internal Gives `layer` an own build that runs its class's build in its scope, then marks it built. */
export function markBuiltAfterBuild(layer: Layer<any>): void {
  const build = (inputShape: SymbolicShape | SymbolicShape[]): void => {
    // A hole would reach the class's build as undefined (Dense built a [undefined, units] kernel).
    checkNoHoles(`${layer.name}.build`, 'inputShape', inputShape);
    const rebuilding = layer.built;
    if (rebuilding) lockedLayers.add(layer);
    try {
      // Looked up at call time: the most derived class's build (a user subclass's override included).
      inScope(layer.scopePath(), () => (Object.getPrototypeOf(layer) as Layer<any>).build.call(layer, inputShape));
    } finally {
      if (rebuilding) lockedLayers.delete(layer);
    }
    layer.built = true;
    if (Array.isArray(inputShape)) layer.buildInputShape = inputShape;
  };
  // Not enumerable: property walks (sublayer tracking, configs) do not see it.
  Object.defineProperty(layer, 'build', { value: build, writable: true, configurable: true, enumerable: false });
}

const lockedLayers = new WeakSet<Layer<any>>();

/** @internal Throws when `layer` is built and its build runs again: no new weights then (as Keras). */
export function checkStateUnlocked(layer: Layer<any>, weight: string): void {
  if (!lockedLayers.has(layer)) return;
  throw new Error(
    `${layer.name}.addWeight('${weight}'): the layer is already built and build was called again; ` +
      'a built layer takes no new weights (as Keras 3 refuses new state on a built layer): make a new layer for another input shape',
  );
}
