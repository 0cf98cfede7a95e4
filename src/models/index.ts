// Models: Model (subclassing), functional models, Sequential, and input().
import { registerLayer } from '../layers/serialization';
import { Functional } from './functional';
import { Sequential } from './sequential';
// compile / fit / evaluate / predict (src/training) and save / saveWeights / loadWeights
// (src/saving) are methods of every Model, installed on its prototype by those folders;
// imported here too so that a model made from this folder alone has them.
import '../training/model_methods';
import '../saving/model_methods';

export { Model } from './model';
export { Functional, model, type FunctionalArgs, type OutputKindOf } from './functional';
export { Sequential, sequential, type SequentialArgs } from './sequential';
export { cloneModel, type CloneModelOptions } from './clone_model';
export { input, InputLayer, type InputArgs } from '../layers/input_layer';
export { SymbolicTensor, type SymbolicShape } from '../layers/symbolic_tensor';

registerLayer(Sequential);
registerLayer(Functional);
// TensorFlow.js (and Keras before 2.4) call a functional model 'Model'.
registerLayer(Functional, 'Model');
