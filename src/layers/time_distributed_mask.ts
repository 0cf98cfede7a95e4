// TimeDistributed's mask for its inner layer. Keras 3 checks a mask against the input's batch
// and time axes, then hands each time step's slice of it to the inner layer when that layer's
// call takes a mask; Tessera folds time into the batch, so the mask is folded the same way.
import { reshape } from '../ops/reshape';
import { describe } from '../tensor/shape';
import { readsMask, type Layer, type Mask } from './layer';

/** @internal The inner layer's mask ([batch * time, ...]), or undefined when it takes none. */
export function innerStepMask(name: string, inner: Layer<any>, x: { shape: number[] }, given: Mask | Mask[] | undefined): Mask | undefined {
  const mask = Array.isArray(given) ? given[0] : given;
  if (mask === undefined || mask === null) return undefined;
  const [batch, time] = x.shape;
  if (mask.rank < 2) throw new Error(`${name}: the mask passed to TimeDistributed must be at least 2D ([batch, timesteps]), got shape ${describe(mask.shape)}`);
  if (mask.shape[0] !== batch || mask.shape[1] !== time)
    throw new Error(`${name}: the mask's first two axes (batch, timesteps) must match the input's [${batch}, ${time}], got mask shape ${describe(mask.shape)}`);
  // As Layer's own apply decides.
  if (!readsMask(inner)) return undefined;
  return reshape(mask, [batch * time, ...mask.shape.slice(2)]);
}
