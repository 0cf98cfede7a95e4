// A small residual CNN on Fashion-MNIST: convolutions with batch normalization, and
// blocks whose input is added back to their output (the skip connection of ResNet).
//   node dist/examples/residual_cnn.js [--quick]
// Reads the full data set when installed (apt-get install dataset-fashion-mnist, or
// TESSERA_FASHION_MNIST), else the 6,000-image subset in data/fashion-mnist-subset.
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

const { layers } = ts;

// Keras's default momentum (0.99) suits long training: after the few hundred steps of
// this example the moving statistics would still be near their initial values (mean 0,
// variance 1), and evaluation, which uses them, would be poor. 0.9 averages faster.
const batchNorm = () => layers.batchNormalization({ momentum: 0.9 });

// conv -> BN -> relu -> conv -> BN, plus the input, then relu. When the block changes
// the number of channels or the size, a strided 1x1 convolution reshapes the skip path.
function residualBlock(x: ts.SymbolicTensor, filters: number, strides = 1): ts.SymbolicTensor {
  // The convolutions have no bias: batch normalization's beta plays that part.
  const conv = (kernelSize: number, s = 1) => layers.conv2d({ filters, kernelSize, strides: s, padding: 'same', useBias: false });
  let y = conv(3, strides).apply(x);
  y = batchNorm().apply(y);
  y = layers.reLU().apply(y);
  y = conv(3).apply(y);
  y = batchNorm().apply(y);
  const channels = x.shape[x.shape.length - 1];
  const skip = channels === filters && strides === 1 ? x : batchNorm().apply(conv(1, strides).apply(x));
  return layers.reLU().apply(layers.add().apply([y, skip]));
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(4);
  const dir = fashionMnistDir();
  const { train, test } = ts.datasets.fashionMnist.load({ path: dir, limit: quick ? 256 : 6000 });
  console.log(`Fashion-MNIST from ${dir}: ${train.images.shape[0]} training, ${test.images.shape[0]} test images`);

  const images = ts.input({ shape: [28, 28, 1] });
  let x = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(images);
  x = layers.reLU().apply(batchNorm().apply(x));
  x = residualBlock(x, 16);
  x = residualBlock(x, 32, 2); // 28x28x16 -> 14x14x32
  x = layers.globalAveragePooling2d().apply(x);
  const logits = layers.dense({ units: 10 }).apply(x);
  const model = ts.model({ name: 'resnet_tiny', inputs: images, outputs: logits });
  model.summary(98);

  model.compile({
    optimizer: 'adam',
    loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });
  const history = await model.fit(train.images, train.labels, { epochs: quick ? 2 : 3, batchSize: 64, validationSplit: 0.1 });
  // evaluate runs batch normalization in inference mode, on its moving statistics.
  const { accuracy } = await model.evaluate(test.images, test.labels, { batchSize: 256 });
  console.log(`test accuracy ${(100 * accuracy).toFixed(1)}% (${ts.datasets.fashionMnist.FASHION_MNIST_CLASSES.length} classes)`);

  ts.dispose([train.images, train.labels, test.images, test.labels]);
  model.dispose();
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], accuracy };
}

runAsScript(module, main);
