// Ready-made data sets: Keras's keras.datasets loaders (TF.js spelling), and Fashion-MNIST
// read from Debian's package.
export * as fashionMnist from './fashion_mnist';
export * as mnist from './keras/mnist';
export * as bostonHousing from './keras/boston_housing';
export * as californiaHousing from './keras/california_housing';
export * as imdb from './keras/imdb';
export * as reuters from './keras/reuters';
export * as cifar10 from './keras/cifar10';
export * as cifar100 from './keras/cifar100';
