// The IoU metrics' shared confusion matrix (Keras 3's _IoUBase and IoU.result), and MeanIoU:
// intersection over union per class, averaged over the classes present.
import { argMax } from '../ops/reduce';
import { toTensor } from '../ops/convert';
import { scalar, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { Metric } from './metric';
import { broadcastTo } from '../ops/tile';
import { reshape } from '../ops/reshape';
import { describe } from '../tensor/shape';
import { classOptions } from '../options/check';
import { epsilon } from '../config/settings';

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

// numClasses^2 weights must fit in memory.
const MAX_CLASSES = 16384;

/** What the confusion matrix needs to know: MeanIoU's options without the name. */
export type IoUOptions = Required<Omit<MeanIoUConfig, 'name'>>;

/**
 * @internal The base of the IoU metrics: a weighted confusion matrix of class ids
 * (confusion[true * numClasses + predicted]); the result averages the IoU of the target
 * classes whose union is not empty.
 */
export abstract class IoUBase extends Metric {
  private readonly confusion: Float64Array;

  constructor(
    name: string,
    private readonly iouOptions: IoUOptions,
    private readonly targets: readonly number[],
  ) {
    super(name);
    const { numClasses, ignoreClass, axis } = iouOptions;
    if (!Number.isInteger(numClasses) || numClasses < 1)
      throw new Error(`${this.name}: expected numClasses to be a positive integer, got ${describe(numClasses)}`);
    if (numClasses > MAX_CLASSES)
      throw new Error(`${this.name}: expected numClasses of at most ${MAX_CLASSES} (it sizes a square confusion matrix), got ${describe(numClasses)}`);
    if (ignoreClass !== null && !Number.isInteger(ignoreClass))
      throw new Error(`${this.name}: expected ignoreClass to be an integer or null, got ${describe(ignoreClass)}`);
    if (!Number.isInteger(axis)) throw new Error(`${this.name}: expected axis to be an integer, got ${describe(axis)}`);
    for (const key of ['sparseYTrue', 'sparseYPred'] as const) {
      if (typeof iouOptions[key] !== 'boolean') throw new Error(`${this.name}: expected ${key} to be a boolean, got ${describe(iouOptions[key])}`);
    }
    this.confusion = new Float64Array(numClasses * numClasses);
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    tidy(() => this.addBatch(toTensor(this.name, 'yTrue', yTrue), toTensor(this.name, 'yPred', yPred), sampleWeight));
  }

  /** Adds a batch of labels and predictions (ids, or scores when not sparse) to the matrix. */
  protected addBatch(yTrue: Tensor, yPred: Tensor, sampleWeight?: TensorLike): void {
    const { numClasses, ignoreClass, sparseYTrue, sparseYPred, axis } = this.iouOptions;
    const [labels, predictions, weights] = tidy(() => {
      const t = sparseYTrue ? yTrue : argMax(yTrue, axis);
      const p = sparseYPred ? yPred : argMax(yPred, axis);
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
    const n = this.iouOptions.numClasses;
    let total = 0;
    let valid = 0;
    for (const c of this.targets) {
      let predicted = 0;
      let actual = 0;
      for (let k = 0; k < n; k++) {
        predicted += this.confusion[k * n + c];
        actual += this.confusion[c * n + k];
      }
      const tp = this.confusion[c * n + c];
      const denominator = predicted + actual - tp;
      if (denominator > 1e-9) valid++;
      total += tp / (denominator + epsilon());
    }
    return scalar(total / (valid + epsilon()));
  }

  override resetState(): void {
    this.confusion.fill(0);
  }
}

/** The IoU options with Keras's defaults filled in. */
export function iouDefaults(config: Partial<IoUOptions>): IoUOptions {
  const { numClasses, ignoreClass = null, sparseYTrue = true, sparseYPred = true, axis = -1 } = config;
  return { numClasses: numClasses as number, ignoreClass, sparseYTrue, sparseYPred, axis };
}

/** Every class id below numClasses (none if numClasses is out of range: the base then refuses it). */
export function allClasses(numClasses: unknown): number[] {
  return Number.isInteger(numClasses) && (numClasses as number) > 0 && (numClasses as number) <= MAX_CLASSES
    ? Array.from({ length: numClasses as number }, (_, i) => i)
    : [];
}

/**
 * Mean intersection-over-union (name 'mean_io_u', as Keras logs it): from the confusion
 * matrix, tp / (tp + fp + fn) per class, averaged over classes that occur.
 * @example const m = new MeanIoU({ numClasses: 2 }); m.updateState([0, 0, 1, 1], [0, 1, 0, 1]); m.result() // 0.333
 */
export class MeanIoU extends IoUBase {
  /** The options with their defaults filled in. */
  readonly config: Required<MeanIoUConfig>;

  constructor(config: MeanIoUConfig) {
    config = classOptions('metrics', MeanIoU, new.target, config);
    const options = iouDefaults(config ?? {});
    super(config?.name ?? 'mean_io_u', options, allClasses(options.numClasses));
    this.config = { ...options, name: this.name };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}
