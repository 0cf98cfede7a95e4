// The main job: softmax regression on Fashion-MNIST, written out with tensor ops and a
// GradientTape (the Keras-style layers and fit() arrive with the layers issue).
//   npm run demo
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as ts from '../src';

const DATA_DIR = process.env.TESSERA_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist';

// IDX files (magic, dims, then bytes), gzipped or not.
function readIdx(path: string): { shape: number[]; data: Uint8Array } {
  const candidates = [path, `${path}.gz`].filter((p) => existsSync(p));
  if (candidates.length === 0) throw new Error(`missing ${path}`);
  let buf = readFileSync(candidates[0]);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const dims = buf[3];
  const shape = Array.from({ length: dims }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const header = 4 + 4 * dims;
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + header, buf.length - header) };
}

function loadSplit(prefix: string): { x: ts.Tensor; y: ts.Tensor } {
  const images = readIdx(join(DATA_DIR, `${prefix}-images-idx3-ubyte`));
  const labels = readIdx(join(DATA_DIR, `${prefix}-labels-idx1-ubyte`));
  const n = images.shape[0];
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return { x: ts.tensor(pixels, [n, 784]), y: ts.tensor(Int32Array.from(labels.data), [n], 'int32') };
}

// Two Gaussian blobs per class, when the real data is not installed.
function syntheticSplit(n: number, seed: number): { x: ts.Tensor; y: ts.Tensor } {
  return ts.tidy(() => {
    const labels = ts.cast(ts.floor(ts.randomUniform([n], 0, 10, 'float32', seed)), 'int32');
    const centers = ts.randomNormal([10, 784], 0, 1, 'float32', 1);
    const x = ts.add(ts.gather(centers, labels), ts.randomNormal([n, 784], 0, 2, 'float32', seed + 1));
    return { x, y: labels };
  });
}

function accuracy(logits: ts.Tensor, labels: ts.Tensor): number {
  return ts.tidy(() => ts.mean(ts.cast(ts.equal(ts.argMax(logits, 1), labels), 'float32')).dataSync()[0]);
}

async function main(): Promise<void> {
  const info = ts.backendInfo();
  console.log(`Tessera demo: softmax regression (cpu ${info.cpu.isa}, ${info.cpu.threads} threads${info.cuda.loaded ? ', cuda' : ''})`);
  let train: { x: ts.Tensor; y: ts.Tensor };
  let test: { x: ts.Tensor; y: ts.Tensor };
  const installed = ['train-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].every(
    (f) => existsSync(join(DATA_DIR, f)) || existsSync(join(DATA_DIR, `${f}.gz`)),
  );
  if (installed) {
    train = loadSplit('train');
    test = loadSplit('t10k');
    console.log(`Fashion-MNIST from ${DATA_DIR}: ${train.x.shape[0]} training and ${test.x.shape[0]} test images`);
  } else {
    console.log(`Fashion-MNIST not found in ${DATA_DIR} (apt-get install dataset-fashion-mnist, or set TESSERA_FASHION_MNIST).`);
    console.log('Training on synthetic data instead.');
    train = syntheticSplit(6000, 10);
    test = syntheticSplit(1000, 20);
  }

  ts.setSeed(42);
  const w = ts.variable(ts.mul(ts.randomNormal([784, 10]), 0.01), true, 'w');
  const b = ts.variable(ts.zeros([10]), true, 'b');
  const batchSize = 128;
  const learningRate = 0.1;
  const n = train.x.shape[0];
  const start = Date.now();
  for (let epoch = 1; epoch <= 3; epoch++) {
    let lossSum = 0;
    let batches = 0;
    for (let i = 0; i + batchSize <= n; i += batchSize) {
      lossSum += ts.tidy(() => {
        const x = ts.slice(train.x, [i, 0], [batchSize, 784]);
        const y = ts.slice(train.y, [i], [batchSize]);
        const tape = new ts.GradientTape();
        const logits = ts.add(ts.matMul(x, w), b);
        // Cross-entropy: -mean(log softmax at the label).
        const logp = ts.logSoftmax(logits);
        const loss = ts.neg(ts.mean(ts.sum(ts.mul(logp, ts.oneHot(y, 10)), 1)));
        const [dw, db] = tape.gradient(loss, [w, b]);
        w.assign(ts.sub(w, ts.mul(dw!, learningRate)));
        b.assign(ts.sub(b, ts.mul(db!, learningRate)));
        return loss.dataSync()[0];
      });
      batches++;
    }
    const testAcc = ts.tidy(() => accuracy(ts.add(ts.matMul(test.x, w), b), test.y));
    console.log(`epoch ${epoch}: loss ${(lossSum / batches).toFixed(4)}, test accuracy ${(100 * testAcc).toFixed(2)}%`);
  }
  const seconds = (Date.now() - start) / 1000;
  console.log(`trained 3 epochs in ${seconds.toFixed(1)} s (${Math.round((3 * n) / seconds)} samples/s); live tensors: ${ts.memory().numTensors}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
