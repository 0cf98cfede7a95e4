// The frame every Keras application (keras.applications) shares: the options each
// architecture takes, the input they imply (Keras's obtain_input_shape rules), and the end
// of the build: optional pooling of the features, the Functional model, its weights.
// The architectures themselves live one family per file beside this one.
import type { ActivationIdentifier } from '../activations';
import { imageDataFormat, type DataFormatName } from '../config/settings';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { SymbolicTensor } from '../layers/symbolic_tensor';
import { input } from '../layers/input_layer';
import { Functional } from '../models/functional';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { getSourceInputs } from '../utils/data_adapter_utils';
import { getFile } from '../utils/get_file';
import { existsSync } from 'node:fs';
import { everyEntry } from '../options/every_entry';

/** The options every application takes (Keras's include_top, weights, ... in camelCase). */
export interface ApplicationOptions {
  /** Whether to end in the ImageNet classifier (default true). */
  includeTop?: boolean;
  /**
   * null (random initialization), 'imagenet' (Keras's pretrained weights, downloaded once into
   * the cache of utils.getFile) or the path of a weights file (.h5 or .weights.h5). Default 'imagenet'.
   */
  weights?: string | null;
  /** A symbolic tensor to use as the image input (its source inputs become the model's inputs). */
  inputTensor?: SymbolicTensor | null;
  /** The image's shape without the batch axis, [height, width, channels] (or channels first); null sizes where includeTop is false. */
  inputShape?: readonly (number | null)[] | null;
  /** With includeTop false: 'avg' or 'max' pools the features to [batch, channels]; null (default) keeps the feature map. */
  pooling?: 'avg' | 'max' | null;
  /** The number of classes of the top (default 1000; must be 1000 with includeTop and 'imagenet' weights). */
  classes?: number;
  /** The top's activation (default 'softmax'; null for logits; only 'softmax' or null with pretrained weights). */
  classifierActivation?: ActivationIdentifier | null;
  /** The model's name (default the architecture's, as Keras's). */
  name?: string;
}

/** A pretrained weights file of an architecture: its name under Keras's storage and its md5. */
export interface WeightsFile {
  /** The file's name, e.g. 'resnet50_weights_tf_dim_ordering_tf_kernels.h5'. */
  file: string;
  /** Its md5 hash, checked after the download (null where Keras publishes none: MobileNet's, MobileNetV2's files). */
  hash: string | null;
}

/** What an architecture tells the frame about itself. */
export interface ApplicationSpec {
  /** The public name, e.g. 'applications.ResNet50', used in every error. */
  op: string;
  /** The option table entry of the options ('applications.ResNet50'), or the valid keys. */
  optionsEntry: string | readonly string[];
  /** Keras's default model name ('resnet50'). */
  defaultName: string;
  /** The default image size (224). */
  defaultSize: number;
  /** The smallest image size the architecture accepts (32). */
  minSize: number;
  /** Whether includeTop needs a fixed input size (a Flatten or a fixed pooling in the top); Keras's require_flatten is includeTop. */
  requireFlatten?: (includeTop: boolean) => boolean;
  /** Where the pretrained files live: a folder URL ending in '/'. */
  weightsBase?: string;
  /** The pretrained files with and without the top; absent: 'imagenet' is refused. */
  imagenet?: { top: WeightsFile; notop: WeightsFile };
}

/** The options resolved, the image input and the data format: what a family builds on. */
export interface ApplicationStart<O extends ApplicationOptions> {
  /** The options, with every default filled in. */
  options: O & Required<Omit<ApplicationOptions, 'inputTensor' | 'inputShape'>>;
  /** The image tensor to build on. */
  image: SymbolicTensor;
  /** The model's inputs. */
  inputs: SymbolicTensor[];
  /** The input shape without the batch axis, as obtained. */
  inputShape: (number | null)[];
  /** The image data format (from config.imageDataFormat). */
  dataFormat: DataFormatName;
  /** The channel axis of a 4-D image tensor (3 or 1), e.g. BatchNormalization's axis. */
  channelAxis: number;
}

const isSize = (v: unknown): v is number | null => v === null || (Number.isInteger(v) && (v as number) > 0);

// Keras's obtain_input_shape: the default shape, or the user's checked against the architecture.
function obtainInputShape(
  spec: ApplicationSpec,
  given: readonly (number | null)[] | null,
  dataFormat: DataFormatName,
  requireFlatten: boolean,
  weights: string | null,
): (number | null)[] {
  const first = dataFormat === 'channelsFirst';
  const imagenet = weights === 'imagenet';
  const d = spec.defaultSize;
  let defaultShape: (number | null)[] = first ? [3, d, d] : [d, d, 3];
  if (given !== null) {
    if (!Array.isArray(given) || given.length !== 3 || !everyEntry(given, isSize))
      throw new Error(`${spec.op}: inputShape must be three sizes (positive integers or null) without the batch axis, got ${describe(given)}`);
    const channels = first ? given[0] : given[2];
    if (!imagenet) defaultShape = first ? [channels, d, d] : [d, d, channels];
    if (!imagenet && channels !== null && channels !== 1 && channels !== 3)
      console.warn(`${spec.op}: this model usually takes 1 or 3 input channels; inputShape ${describe(given)} has ${channels}`);
  }
  if (imagenet && requireFlatten) {
    if (given !== null && given.join() !== defaultShape.join())
      throw new Error(`${spec.op}: with includeTop and 'imagenet' weights, inputShape must be ${describe(defaultShape)}, got ${describe(given)}`);
    return defaultShape;
  }
  let shape: (number | null)[];
  if (given !== null) {
    const [h, w, c] = first ? [given[1], given[2], given[0]] : [given[0], given[1], given[2]];
    if (c !== 3 && imagenet) throw new Error(`${spec.op}: 'imagenet' weights need 3 input channels, got inputShape ${describe(given)}`);
    if ((h !== null && h < spec.minSize) || (w !== null && w < spec.minSize))
      throw new Error(`${spec.op}: the image must be at least ${spec.minSize}x${spec.minSize}, got inputShape ${describe(given)}`);
    shape = [...given];
  } else if (requireFlatten) shape = defaultShape;
  else shape = first ? [3, null, null] : [null, null, 3];
  if (requireFlatten && shape.includes(null))
    throw new Error(`${spec.op}: with includeTop, inputShape must be fully known (the classifier needs a fixed size), got ${describe(shape)}`);
  return shape;
}

const BASE_DEFAULTS = { includeTop: true, weights: 'imagenet', pooling: null, classes: 1000, classifierActivation: 'softmax' } as const;

/**
 * Checks `options` (plus the family's own `defaults`), obtains the input shape and makes the
 * image input: the start of every application.
 */
export function startApplication<O extends ApplicationOptions>(
  spec: ApplicationSpec,
  options: O | null | undefined,
  defaults: Partial<O> = {},
): ApplicationStart<O> {
  const given = checkOptions(spec.op, options, spec.optionsEntry) as O;
  const o = { ...BASE_DEFAULTS, name: spec.defaultName, ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) if (v !== undefined) o[k] = v;
  const { includeTop, weights, pooling, classes } = o;
  if (typeof includeTop !== 'boolean') throw new Error(`${spec.op}: includeTop must be true or false, got ${describe(includeTop)}`);
  if (weights !== null && typeof weights !== 'string')
    throw new Error(`${spec.op}: weights must be null (random initialization), 'imagenet' or the path of a weights file, got ${describe(weights)}`);
  if (typeof weights === 'string' && weights !== 'imagenet' && !existsSync(weights))
    throw new Error(`${spec.op}: weights must be null, 'imagenet' or the path of a weights file; there is no file at '${weights}'`);
  if (weights === 'imagenet' && spec.imagenet === undefined)
    throw new Error(`${spec.op}: Keras publishes no 'imagenet' weights for this configuration; pass weights: null or a file`);
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') throw new Error(`${spec.op}: pooling must be 'avg', 'max' or null, got ${describe(pooling)}`);
  if (!Number.isInteger(classes) || (classes as number) < 1) throw new Error(`${spec.op}: classes must be a positive integer, got ${describe(classes)}`);
  if (weights === 'imagenet' && includeTop && classes !== 1000)
    throw new Error(`${spec.op}: with 'imagenet' weights and includeTop, classes must be 1000, got ${classes}`);
  if (typeof o.name !== 'string' || o.name === '') throw new Error(`${spec.op}: name must be a non-empty string, got ${describe(o.name)}`);
  const act = o.classifierActivation;
  if (weights !== null && includeTop && act !== null && act !== 'softmax')
    throw new Error(`${spec.op}: with pretrained weights the classifierActivation must be 'softmax' or null (logits), got ${describe(act)}`);

  const dataFormat = imageDataFormat();
  const inputTensor = given.inputTensor ?? null;
  if (inputTensor !== null && !(inputTensor instanceof SymbolicTensor))
    throw new Error(`${spec.op}: inputTensor must be a symbolic tensor (ts.input(...) or a layer's output), got ${describe(inputTensor)}`);
  const requireFlatten = spec.requireFlatten?.(includeTop) ?? includeTop;
  let givenShape = given.inputShape ?? null;
  if (givenShape === null && inputTensor !== null) givenShape = inputTensor.shape.slice(1);
  const inputShape = obtainInputShape(spec, givenShape, dataFormat, requireFlatten, weights as string | null);
  let image: SymbolicTensor;
  let inputs: SymbolicTensor[];
  if (inputTensor !== null) {
    if (inputTensor.shape.length !== 4) throw new Error(`${spec.op}: inputTensor must be a batch of images (rank 4), got shape ${describe(inputTensor.shape)}`);
    image = inputTensor;
    inputs = getSourceInputs(inputTensor);
  } else {
    image = input({ shape: inputShape });
    inputs = [image];
  }
  return {
    options: o as unknown as ApplicationStart<O>['options'],
    image,
    inputs,
    inputShape,
    dataFormat,
    channelAxis: dataFormat === 'channelsFirst' ? 1 : 3,
  };
}

/** The features pooled as `pooling` asks ('avg' -> avg_pool, 'max' -> max_pool, Keras's names), or as they are. */
export function poolFeatures(start: ApplicationStart<ApplicationOptions>, x: SymbolicTensor): SymbolicTensor {
  const dataFormat = start.dataFormat;
  if (start.options.pooling === 'avg') return new GlobalAveragePooling2D({ name: 'avg_pool', dataFormat }).apply(x) as SymbolicTensor;
  if (start.options.pooling === 'max') return new GlobalMaxPooling2D({ name: 'max_pool', dataFormat }).apply(x) as SymbolicTensor;
  return x;
}

/**
 * The end of every application: the Functional model from the start's inputs to `outputs`,
 * with the weights the options asked for (downloaded for 'imagenet', read from a path otherwise).
 */
export async function finishApplication(spec: ApplicationSpec, start: ApplicationStart<ApplicationOptions>, outputs: SymbolicTensor): Promise<Functional> {
  const model = new Functional({ inputs: start.inputs.length === 1 ? start.inputs[0] : start.inputs, outputs, name: start.options.name });
  const weights = start.options.weights;
  if (weights === null) return model;
  let file = weights;
  if (weights === 'imagenet') {
    const w = start.options.includeTop ? spec.imagenet!.top : spec.imagenet!.notop;
    file = await getFile(w.file, `${spec.weightsBase}${w.file}`, { cacheSubdir: 'models', fileHash: w.hash });
  }
  await model.loadWeights(file);
  return model;
}
