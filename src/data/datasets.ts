// Ready-made data sets.
export * as fashionMnist from './fashion_mnist';
