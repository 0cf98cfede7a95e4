// A build(shape) the user calls marks the layer built, as Keras's build wrapper does: the
// first apply then keeps the weights that build made (and any values set since) instead of
// building again with fresh ones. It also runs build in the layer's name scope, as Keras's
// does: a sublayer that build builds is under it ('outer/mid/inner/kernel'), however deep.
import type { Layer } from './layer';
import { inScope } from './naming';
import type { SymbolicShape } from './symbolic_tensor';

/** @internal Gives `layer` an own build that runs its class's build in its scope, then marks it built. */
export function markBuiltAfterBuild(layer: Layer<any>): void {
  const build = (inputShape: SymbolicShape | SymbolicShape[]): void => {
    // Looked up at call time: the most derived class's build (a user subclass's override included).
    inScope(layer.scopePath(), () => (Object.getPrototypeOf(layer) as Layer<any>).build.call(layer, inputShape));
    layer.built = true;
    if (Array.isArray(inputShape)) layer.buildInputShape = inputShape;
  };
  // Not enumerable: property walks (sublayer tracking, configs) do not see it.
  Object.defineProperty(layer, 'build', { value: build, writable: true, configurable: true, enumerable: false });
}
