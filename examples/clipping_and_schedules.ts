// Gradient clipping (per-variable clipnorm, globalClipnorm over all gradients) and
// learning-rate schedules (cosine decay with a linear warmup, and a plain function of the
// step), with the learning rate printed at every epoch.
//   node dist/examples/clipping_and_schedules.js [--quick]
import * as ts from '../src';
import { runAsScript, type ExampleOptions } from './common/main';

// Regression with large targets: the first gradients are large, which is what clipping is for.
function regression(n: number, seed: number): { x: ts.Tensor; y: ts.Tensor } {
  return ts.tidy(() => {
    const x = ts.randomNormal([n, 8], 0, 1, 'float32', seed);
    const projection = ts.matMul(x, ts.randomNormal([8, 1], 0, 1, 'float32', 77));
    return { x, y: ts.add(ts.mul(projection, 3), ts.mul(ts.sin(projection), 5)) };
  });
}

function mlp(): ts.Sequential {
  return ts.sequential({
    layers: [
      ts.layers.dense({ units: 64, activation: 'tanh', inputShape: [8] }),
      ts.layers.dense({ units: 64, activation: 'tanh' }),
      ts.layers.dense({ units: 1 }),
    ],
  });
}

// Prints the learning rate each epoch; the optimizer's learningRate is the next step's.
const printLearningRate = (model: ts.Model) =>
  new ts.callbacks.LambdaCallback({
    onEpochEnd: (epoch: number, logs?: ts.callbacks.Logs) =>
      console.log(`  epoch ${epoch + 1}: learning rate ${model.optimizer!.learningRate.toExponential(3)}, loss ${logs!.loss.toFixed(4)}`),
  });

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(8);
  const { x, y } = regression(quick ? 256 : 4096, 1);
  const batchSize = 64;
  const epochs = quick ? 3 : 12;
  const stepsPerEpoch = Math.ceil(x.shape[0] / batchSize);

  // What clipping does to one batch's gradients: the global norm is cut to 1.
  const model = mlp();
  ts.tidy(() => {
    const tape = new ts.GradientTape();
    const loss = ts.mean(ts.losses.meanSquaredError(y, model.apply(x)));
    const grads = tape.gradient(loss, model.trainableWeights) as ts.Tensor[];
    const globalNorm = (gs: ts.Tensor[]) => Math.sqrt(gs.reduce((s, g) => s + ts.sum(ts.square(g)).dataSync()[0], 0));
    console.log(
      `global gradient norm at the start: ${globalNorm(grads).toFixed(1)}, after clipByGlobalNorm(grads, 1): ${globalNorm(ts.optimizers.clipByGlobalNorm(grads, 1)).toFixed(1)}`,
    );
  });

  // 1. SGD with momentum; warm up from 0 to 0.05 over 2 epochs, then a cosine decay to
  // 1% of it; every update's gradients clipped together to a global norm of 1.
  const warmupAndCosine = ts.schedules.cosineDecay({
    initialLearningRate: 0,
    warmupTarget: 0.05,
    warmupSteps: 2 * stepsPerEpoch,
    decaySteps: (epochs - 2) * stepsPerEpoch,
    alpha: 0.01,
  });
  const sgd = new ts.optimizers.SGD({ learningRate: warmupAndCosine, momentum: 0.9, globalClipnorm: 1 });
  model.compile({ optimizer: sgd, loss: 'mse' });
  console.log('SGD, warmup + cosine decay, globalClipnorm 1:');
  const first = await model.fit(x, y, { epochs, batchSize, verbose: 0, callbacks: [printLearningRate(model)] });

  // 2. Adam; a function of the step halves the rate every 3 epochs; each variable's
  // gradient clipped on its own to norm 1 (clipnorm).
  const second = mlp();
  const halving = (step: number) => 0.02 * 0.5 ** Math.floor(step / (3 * stepsPerEpoch));
  const adam = new ts.optimizers.Adam({ learningRate: halving, clipnorm: 1 });
  second.compile({ optimizer: adam, loss: 'mse' });
  console.log('Adam, step function, clipnorm 1:');
  const history = await second.fit(x, y, { epochs, batchSize, verbose: 0, callbacks: [printLearningRate(second)] });

  ts.dispose([x, y]);
  for (const m of [model, second]) {
    m.optimizer!.dispose();
    m.dispose();
  }
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], sgdLastLoss: first.history.loss[epochs - 1] };
}

runAsScript(module, main);
