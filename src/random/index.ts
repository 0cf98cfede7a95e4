// ts.random: Keras 3's keras.random API (shape first, options in camelCase, `seed` a
// number or a SeedGenerator).
export { SeedGenerator } from './seed_generator';
export {
  normal,
  uniform,
  truncatedNormal,
  randint,
  type RandomSeed,
  type RandomNormalOptions,
  type RandomUniformOptions,
  type RandomDTypeOptions,
} from './distributions';
export { categorical, shuffle, dropout, type RandomShuffleOptions, type RandomDropoutOptions } from './sampling';
export { gamma, beta, binomial } from './gamma';
