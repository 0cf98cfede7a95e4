// Losses by name: Keras 3's names and aliases, and the camelCase names of TensorFlow.js.
import { didYouMean } from '../options/check';
import * as classes from './classes';
import { binaryCrossentropy, binaryFocalCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { categoricalFocalCrossentropy } from './categorical_focal';
import { circle } from './circle';
import { ctc } from './ctc';
import { categoricalGeneralizedCrossEntropy } from './generalized_cross_entropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { dice, tversky } from './overlap';
import { Loss, LossFunctionWrapper, type LossFunction } from './loss';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { cosineSimilarity, huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError } from './regression';
import { tooManyArguments } from '../options/arity';
import { customObjectsHint, findCustomObject, isClass } from '../serialization/custom_objects';

/** What names a loss: a registered name, a per-sample function or a Loss. */
export type LossIdentifier = string | LossFunction | Loss;

// Each function under its Keras snake_case name, its camelCase name and Keras's aliases.
const FUNCTIONS: [LossFunction, string[]][] = [
  [meanSquaredError, ['mean_squared_error', 'meanSquaredError', 'mse', 'MSE']],
  [meanAbsoluteError, ['mean_absolute_error', 'meanAbsoluteError', 'mae', 'MAE']],
  [meanAbsolutePercentageError, ['mean_absolute_percentage_error', 'meanAbsolutePercentageError', 'mape', 'MAPE']],
  [meanSquaredLogarithmicError, ['mean_squared_logarithmic_error', 'meanSquaredLogarithmicError', 'msle', 'MSLE']],
  [huber, ['huber', 'huber_loss']],
  [logCosh, ['log_cosh', 'logCosh', 'logcosh']],
  [cosineSimilarity, ['cosine_similarity', 'cosineSimilarity']],
  [binaryCrossentropy, ['binary_crossentropy', 'binaryCrossentropy', 'bce', 'BCE']],
  [binaryFocalCrossentropy, ['binary_focal_crossentropy', 'binaryFocalCrossentropy']],
  [categoricalCrossentropy, ['categorical_crossentropy', 'categoricalCrossentropy']],
  [sparseCategoricalCrossentropy, ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy']],
  [hinge, ['hinge']],
  [squaredHinge, ['squared_hinge', 'squaredHinge']],
  [categoricalHinge, ['categorical_hinge', 'categoricalHinge']],
  [kullbackLeiblerDivergence, ['kl_divergence', 'kullback_leibler_divergence', 'kullbackLeiblerDivergence', 'kld', 'KLD']],
  [poisson, ['poisson']],
  [categoricalFocalCrossentropy, ['categorical_focal_crossentropy', 'categoricalFocalCrossentropy']],
  [categoricalGeneralizedCrossEntropy, ['categorical_generalized_cross_entropy', 'categoricalGeneralizedCrossEntropy']],
  [dice, ['dice']],
  [tversky, ['tversky']],
  [circle, ['circle']],
  [ctc, ['ctc']],
];

const BY_NAME = new Map<string, () => LossFunction | Loss>();
for (const [fn, names] of FUNCTIONS) for (const name of names) BY_NAME.set(name, () => fn);
for (const [name, cls] of Object.entries(classes)) BY_NAME.set(name, () => new (cls as new () => Loss)());

/** @internal The Keras name of a built-in loss function ('mean_squared_error'), if `fn` is one. */
export function lossFunctionName(fn: unknown): string | undefined {
  return FUNCTIONS.find(([f]) => f === fn)?.[1][0];
}

/** Every name losses.get() knows. */
export function lossNames(): string[] {
  if (arguments.length > 0) throw tooManyArguments('losses.lossNames', 0, arguments.length);
  return [...BY_NAME.keys()];
}

/**
 * A loss by name (a function for function names and aliases, a fresh Loss for class
 * names, as Keras's losses.get), or the function or Loss given.
 * @example losses.get('mse') // meanSquaredError; losses.get('Huber') // new Huber()
 */
export function get(identifier: LossIdentifier): LossFunction | Loss {
  if (arguments.length > 1) throw tooManyArguments('losses.get', 1, arguments.length);
  if (identifier instanceof Loss || typeof identifier === 'function') return identifier;
  // A load's customObjects come first (Keras 3's custom_objects): a Loss class or a loss function.
  const custom = findCustomObject(identifier, (v) => v.prototype instanceof Loss || !isClass(v))?.value;
  if (custom !== undefined) return custom.prototype instanceof Loss ? new (custom as new () => Loss)() : (custom as LossFunction);
  const make = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (make === undefined) {
    throw new Error(
      `losses.get: unknown loss ${typeof identifier === 'string' ? `'${identifier}'` : typeof identifier}; ${didYouMean(identifier, lossNames())}expected a Loss, a function (yTrue, yPred) => Tensor or one of: ${lossNames().join(', ')}${customObjectsHint()}`,
    );
  }
  return make();
}

/**
 * A Loss for any identifier: functions are wrapped in a LossFunctionWrapper named after
 * the string that named them (as Keras's compile names them), or after the function.
 */
export function toLoss(identifier: LossIdentifier): Loss {
  if (arguments.length > 1) throw tooManyArguments('losses.toLoss', 1, arguments.length);
  const loss = get(identifier);
  if (loss instanceof Loss) return loss;
  // Keras's circle marks its zero losses as masked out of the mean; its class does that here.
  if (loss === circle) return new classes.Circle(typeof identifier === 'string' ? { name: identifier } : {});
  return new LossFunctionWrapper(loss, typeof identifier === 'string' ? { name: identifier } : {});
}
