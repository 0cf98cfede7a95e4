// ts.signal and ts.spectral: TensorFlow.js's namespaces of signal processing and Fourier
// transforms. Complex values are [real, imag] pairs, as Keras 3's ops take them.
export { frame } from './frame';
export { hannWindow, hammingWindow, type WindowName } from './windows';
export { stft, type StftOptions } from './stft';
export { istft, type IstftOptions } from './istft';
export type { ComplexPair } from './dft';
