// Images per second of each augmentation layer in training mode on the CPU, on a batch
// of Fashion-MNIST-sized images (128x28x28x1) and of ImageNet-sized ones (32x224x224x3).
//   npm run bench:augmentation
import * as ts from '../src';

type Make = (shape: number[]) => InstanceType<typeof ts.layers.Layer>;
const LAYERS: [string, Make][] = [
  ['randomFlip', () => ts.layers.randomFlip({ seed: 1 })],
  ['randomRotation', () => ts.layers.randomRotation({ factor: 0.1, seed: 1 })],
  ['randomZoom', () => ts.layers.randomZoom({ heightFactor: 0.2, seed: 1 })],
  ['randomTranslation', () => ts.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1 })],
  ['randomCrop (90%)', (s) => ts.layers.randomCrop({ height: Math.round(s[1] * 0.9), width: Math.round(s[2] * 0.9), seed: 1 })],
  ['randomContrast', () => ts.layers.randomContrast({ factor: 0.2, seed: 1 })],
  ['randomBrightness', () => ts.layers.randomBrightness({ factor: 0.2, seed: 1 })],
];

function imagesPerSecond(make: Make, shape: number[]): number {
  const x = ts.mul(ts.randomUniform(shape, 0, 1, 'float32', 3), 255);
  const layer = make(shape);
  const run = () => ts.tidy(() => void (layer.apply(x, { training: true }) as ts.Tensor).dataSync());
  run(); // warm-up (and build)
  let calls = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) < 1.5e9 || calls < 3) {
    run();
    calls++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  x.dispose();
  return (calls * shape[0]) / seconds;
}

function main(): void {
  console.log(`threads ${ts.getNumThreads()}`);
  console.log(`${'layer'.padEnd(20)} ${'128x28x28x1'.padStart(14)} ${'32x224x224x3'.padStart(14)}  (images/s)`);
  for (const [name, make] of LAYERS) {
    const small = imagesPerSecond(make, [128, 28, 28, 1]);
    const large = imagesPerSecond(make, [32, 224, 224, 3]);
    console.log(`${name.padEnd(20)} ${small.toFixed(0).padStart(14)} ${large.toFixed(0).padStart(14)}`);
  }
}

main();
