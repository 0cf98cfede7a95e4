// keras.preprocessing.sequence: pad_sequences.
export { padSequences } from '../utils/keras_utils';
