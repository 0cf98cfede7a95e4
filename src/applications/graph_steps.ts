// The steps the ResNet, VGG, Xception, Inception and DenseNet builders repeat: a layer applied
// to a symbolic tensor, Keras's unnamed feature pooling and the ImageNet classifier top.
import type { ActivationIdentifier } from '../activations';
import { Dense } from '../layers/dense';
import type { Layer } from '../layers/layer';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { ApplicationOptions, ApplicationStart } from './application';

/** `layer` applied to `x` (one tensor or a list, for merges), its symbolic output. */
export function step(layer: Layer<any>, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/** includeTop false: pooled as `pooling` asks by layers Keras leaves unnamed (VGG, Xception, Inception). */
export function poolUnnamed(start: ApplicationStart<ApplicationOptions>, x: SymbolicTensor): SymbolicTensor {
  const dataFormat = start.dataFormat;
  if (start.options.pooling === 'avg') return step(new GlobalAveragePooling2D({ dataFormat }), x);
  if (start.options.pooling === 'max') return step(new GlobalMaxPooling2D({ dataFormat }), x);
  return x;
}

/** The classifier of a top: Dense 'predictions' with the classes and activation of the options. */
export function predictions(start: ApplicationStart<ApplicationOptions>, x: SymbolicTensor): SymbolicTensor {
  const { classes, classifierActivation } = start.options;
  return step(new Dense({ units: classes, activation: classifierActivation as ActivationIdentifier | null, name: 'predictions' }), x);
}

/** The top most families share: global average pooling 'avg_pool', then the predictions. */
export function averagedTop(start: ApplicationStart<ApplicationOptions>, x: SymbolicTensor): SymbolicTensor {
  return predictions(start, step(new GlobalAveragePooling2D({ name: 'avg_pool', dataFormat: start.dataFormat }), x));
}
