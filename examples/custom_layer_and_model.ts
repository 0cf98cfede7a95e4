// A custom layer (a Layer subclass with build, call, computeOutputShape and getConfig,
// registered so that configs and saved models can name it) inside a subclassed Model
// whose forward pass is plain code, trained with fit.
//   node dist/examples/custom_layer_and_model.js [--quick]
import * as ts from '../src';
import { seededRandom } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

interface GaussianRBFArgs extends ts.layers.LayerArgs {
  units: number;
}

/** Radial basis functions: output j is exp(-|x - c_j|^2 / w_j^2), with learned centers c and widths w. */
export class GaussianRBF extends ts.layers.Layer {
  // The name configs use (a minifier may rename the class; this stays).
  static override className = 'GaussianRBF';
  readonly units: number;
  centers: ts.Variable | null = null;
  logWidths: ts.Variable | null = null;

  constructor(args: GaussianRBFArgs) {
    super(args);
    this.units = args.units;
  }

  // Weights are created once the input's last dimension is known (the first call).
  override build(inputShape: ts.SymbolicShape): void {
    const features = inputShape[inputShape.length - 1]!;
    this.centers = this.addWeight('centers', [this.units, features], 'float32', 'randomNormal');
    this.logWidths = this.addWeight('log_widths', [this.units], 'float32', 'zeros');
  }

  // x [batch, features] -> [batch, units]. Any op is differentiable, so no backward pass is written.
  override call(x: ts.Tensor): ts.Tensor {
    const offsets = ts.sub(ts.expandDims(x, 1), this.centers!); // [batch, units, features]
    const squaredDistance = ts.sum(ts.square(offsets), -1);
    return ts.exp(ts.neg(ts.mul(squaredDistance, ts.exp(ts.mul(this.logWidths!, -2)))));
  }

  // Optional: without it, symbolic use finds the shape by running call on zeros.
  override computeOutputShape(inputShape: ts.SymbolicShape): ts.SymbolicShape {
    return [inputShape[0], this.units];
  }

  // Everything the constructor needs, so fromConfig (and loadModel) can rebuild the layer.
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }
}
ts.layers.registerLayer(GaussianRBF);

/** A subclassed model: layers held in properties are tracked; call() is the forward pass. */
class RbfClassifier extends ts.Model {
  rbf = new GaussianRBF({ units: 16 });
  dropout = ts.layers.dropout({ rate: 0.1 });
  classes = ts.layers.dense({ units: 2 });

  override call(x: ts.Tensor, { training }: ts.layers.CallOptions): ts.Tensor {
    return this.classes.apply(this.dropout.apply(this.rbf.apply(x), { training }));
  }
}

// Points in the plane: class 1 inside a ring (0.5 < r < 1), class 0 elsewhere. A linear
// model cannot separate them; a few radial basis functions can.
function rings(n: number, seed: number): { x: ts.Tensor; y: ts.Tensor } {
  const random = seededRandom(seed);
  const points = Float32Array.from({ length: 2 * n }, () => 3 * random() - 1.5);
  const labels = Int32Array.from({ length: n }, (_, i) => {
    const r = Math.hypot(points[2 * i], points[2 * i + 1]);
    return r > 0.5 && r < 1 ? 1 : 0;
  });
  return { x: ts.tensor(points, [n, 2]), y: ts.tensor(labels, [n], 'int32') };
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(5);
  const model = new RbfClassifier({ name: 'rbf_classifier' });
  model.compile({
    optimizer: new ts.optimizers.Adam({ learningRate: 0.05 }),
    loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });

  const { x, y } = rings(quick ? 256 : 4000, 1);
  const history = await model.fit(x, y, { epochs: quick ? 3 : 30, batchSize: 64, validationSplit: 0.2, verbose: 2 });
  // A subclassed model learns its shapes by running; summary lists its tracked layers.
  model.summary();

  // The custom layer's config round trip: what saving writes and loadModel reads.
  const config = ts.layers.serializeLayer(model.rbf);
  const copy = ts.layers.deserializeLayer(config) as GaussianRBF;
  console.log(`serialized as ${JSON.stringify(config)}; rebuilt: ${copy.constructor.name} with ${copy.units} units`);

  const { accuracy } = await model.evaluate(x, y);
  console.log(`accuracy ${(100 * accuracy).toFixed(1)}%`);

  ts.dispose([x, y]);
  copy.dispose(); // unbuilt, so it holds no weights; disposing is still the tidy habit
  model.optimizer!.dispose(); // made by us, so ours to release
  model.dispose();
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], accuracy };
}

runAsScript(module, main);
