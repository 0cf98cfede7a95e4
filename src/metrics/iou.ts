// MeanIoU: intersection over union per class, averaged over the classes present.
import { argMax } from '../ops/reduce';
import { toTensor } from '../ops/convert';
import { scalar, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { EPSILON } from '../losses/inputs';
import { Metric } from './metric';
import { broadcastTo } from '../ops/tile';
import { reshape } from '../ops/reshape';
import { describe } from '../tensor/shape';
import { classOptions } from '../options/check';

/** Options of MeanIoU. */
export interface MeanIoUConfig {
  /** The number of classes (required). */
  numClasses: number;
  /** A label whose pixels are left out (e.g. 255 for "void"). */
  ignoreClass?: number | null;
  /** yTrue holds class ids (default true) rather than one-hot rows. */
  sparseYTrue?: boolean;
  /** yPred holds class ids (default true) rather than scores to take the arg max of. */
  sparseYPred?: boolean;
  /** The class axis of non-sparse inputs (default -1). */
  axis?: number;
  /** The name in logs (default 'mean_io_u'). */
  name?: string;
}

/**
 * Mean intersection-over-union (name 'mean_io_u', as Keras logs it): from the confusion
 * matrix, tp / (tp + fp + fn) per class, averaged over classes that occur.
 * @example const m = new MeanIoU({ numClasses: 2 }); m.updateState([0, 0, 1, 1], [0, 1, 0, 1]); m.result() // 0.333
 */
export class MeanIoU extends Metric {
  /** The options with their defaults filled in. */
  readonly config: Required<MeanIoUConfig>;
  // confusion[true * numClasses + predicted]
  private confusion: Float64Array;

  constructor(config: MeanIoUConfig) {
    config = classOptions('metrics', MeanIoU, new.target, config);
    super(config?.name ?? 'mean_io_u');
    const { numClasses } = config ?? {};
    if (!Number.isInteger(numClasses) || numClasses < 1)
      throw new Error(`${this.name}: expected numClasses to be a positive integer, got ${describe(numClasses)}`);
    this.config = { ignoreClass: null, sparseYTrue: true, sparseYPred: true, axis: -1, name: this.name, ...config };
    this.confusion = new Float64Array(numClasses * numClasses);
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const { numClasses, ignoreClass, sparseYTrue, sparseYPred, axis } = this.config;
    const [labels, predictions, weights] = tidy(() => {
      let t = toTensor(this.name, 'yTrue', yTrue);
      let p = toTensor(this.name, 'yPred', yPred);
      if (!sparseYTrue) t = argMax(t, axis);
      if (!sparseYPred) p = argMax(p, axis);
      if (t.size !== p.size) throw new Error(`${this.name}: ${t.size} labels and ${p.size} predictions do not match`);
      const w =
        sampleWeight === undefined || sampleWeight === null
          ? null
          : broadcastTo(reshape(toTensor(this.name, 'sampleWeight', sampleWeight, 'float32'), [-1]), [t.size]);
      return [t.dataSync(), p.dataSync(), w === null ? null : w.dataSync()];
    });
    for (let i = 0; i < labels.length; i++) {
      const a = labels[i];
      const b = predictions[i];
      if (a < 0 || a >= numClasses || b < 0 || b >= numClasses || a === ignoreClass) continue;
      this.confusion[Math.trunc(a) * numClasses + Math.trunc(b)] += weights === null ? 1 : weights[i];
    }
  }

  override result(): Tensor {
    const n = this.config.numClasses;
    let total = 0;
    let valid = 0;
    for (let c = 0; c < n; c++) {
      let predicted = 0;
      let actual = 0;
      for (let k = 0; k < n; k++) {
        predicted += this.confusion[k * n + c];
        actual += this.confusion[c * n + k];
      }
      const tp = this.confusion[c * n + c];
      const denominator = predicted + actual - tp;
      if (denominator > 1e-9) {
        valid++;
        total += tp / (denominator + EPSILON);
      }
    }
    return scalar(total / (valid + EPSILON));
  }

  override resetState(): void {
    this.confusion.fill(0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}
