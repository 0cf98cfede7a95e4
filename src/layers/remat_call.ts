// How a layer's call goes under a RematScope (Keras's Layer.rematerialized_call): the scope
// the layer was constructed in, or else the one active at the call, decides whether the
// call runs as one rematerialized function (autograd/remat.ts). 'activations' recomputes
// the whole call of a layer with an activation: Tessera fuses activations into their
// layer's kernels (dense's matMulBias), so there is no separate activation call to wrap.
// Stateful layers run plainly (their states would move on twice).
import * as activations from '../activations';
import { rematCall } from '../autograd/remat';
import { anyTapeRecording } from '../autograd/tape';
import { isRecording, noGrad } from '../tensor/run';
import { currentRematScope, type RematScope } from '../autograd/remat_scope';
import type { Tensor } from '../tensor/tensor';
import { sizeOf } from '../tensor/shape';
import { flattenNested, packNested, type Structure } from './structure';
import { specOf, type TensorSpec } from './symbolic_tensor';
import type { Invocation, Layer } from './layer';

// Output sizes by layer and input shapes (mode 'larger_than').
const outputSizes = new WeakMap<Layer<any>, Map<string, number>>();

const isSpec = (v: unknown): v is TensorSpec => typeof v === 'object' && v !== null && Array.isArray((v as TensorSpec).shape);

function applies(layer: Layer<any>, scope: RematScope, inputs: Tensor[], structure: Structure): boolean {
  switch (scope.mode) {
    case 'full':
      return true;
    case 'activations': {
      const activation = (layer as unknown as { activation?: activations.ActivationIdentifier | null }).activation;
      // 'linear' by name or as the function activations.linear: no activation.
      return activation !== undefined && activation !== null && activation !== 'linear' && activation !== activations.linear;
    }
    case 'list_of_layers':
      return scope.listsLayer(layer.name);
    case 'larger_than': {
      // Keras's compute_output_spec size, unknown dimensions counting 1; kept per layer and
      // input shapes, since a layer without computeOutputShape probes its call to know it.
      const key = inputs.map((x) => `${x.dtype}[${x.shape.join(',')}]`).join(';');
      let sizes = outputSizes.get(layer);
      if (sizes === undefined) outputSizes.set(layer, (sizes = new Map()));
      let size = sizes.get(key);
      if (size === undefined) {
        // Untaped: the probe comes back here, untaped, and runs plainly.
        const out = noGrad(() => layer.computeOutputSpec(packNested(inputs.map(specOf), structure)));
        const { flat } = flattenNested(layer.name, out, isSpec, 'a TensorSpec');
        size = flat.reduce((n: number, s) => n + sizeOf(s.shape.map((d) => d ?? 1)), 0);
        sizes.set(key, size);
      }
      return size > scope.outputSizeThreshold;
    }
    default:
      return false;
  }
}

/**
 * @internal Whether the layer's call on `inputs` is rematerialized: by its own RematScope,
 * or else the active one, and only while a tape records (else nothing would be saved).
 */
export function rematApplies(layer: Layer<any>, own: RematScope | null, inputs: Tensor[], structure: Structure): boolean {
  const scope = own ?? currentRematScope();
  if (scope === null || scope.mode === null || !isRecording() || !anyTapeRecording()) return false;
  // A stateful layer (a stateful RNN) moves its states on each call: a recompute would move them twice.
  if ((layer as unknown as { stateful?: unknown }).stateful === true) return false;
  return applies(layer, scope, inputs, structure);
}

/** @internal `run(inputs)` (the layer's call) as one remat node: outputs and masks come back through it. */
export function rematInvocation(inputs: Tensor[], run: (xs: Tensor[]) => Invocation): Invocation {
  let shape: Pick<Invocation, 'structure' | 'masks'> | undefined;
  const flat = rematCall(
    'remat',
    (...xs: Tensor[]) => {
      const inv = run(xs);
      shape = { structure: inv.structure, masks: inv.masks };
      return [...inv.outputs, ...inv.masks.filter((m): m is Tensor => m !== null)];
    },
    inputs,
  ) as Tensor[];
  const n = shape!.masks.length; // one mask (or null) per output
  let m = n;
  return { outputs: flat.slice(0, n), structure: shape!.structure, masks: shape!.masks.map((mask) => (mask === null ? null : flat[m++])) };
}
