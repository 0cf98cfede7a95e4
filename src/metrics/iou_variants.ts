// IoU (chosen target classes), BinaryIoU (thresholded scores), OneHotIoU and OneHotMeanIoU
// (one-hot labels): Keras 3's IoU metrics on MeanIoU's confusion matrix.
import { toTensor } from '../ops/convert';
import { cast } from '../ops/cast';
import { greaterEqual } from '../ops/compare';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { classOptions } from '../options/check';
import { allClasses, IoUBase, iouDefaults, type MeanIoUConfig } from './iou';
import { everyEntry } from '../options/every_entry';

/** Options of IoU. */
export interface IoUConfig extends MeanIoUConfig {
  /** The classes whose IoU is averaged (required; one id gives that class's IoU). */
  targetClassIds: number[];
}

/** Options of BinaryIoU. */
export interface BinaryIoUConfig {
  /** The classes whose IoU is averaged: [0], [1] or [0, 1] (default). */
  targetClassIds?: number[];
  /** Predictions >= threshold are class 1, the others class 0 (default 0.5). */
  threshold?: number;
  /** The name in logs (default 'binary_io_u'). */
  name?: string;
}

/** Options of OneHotIoU: IoU's, with one-hot labels. */
export type OneHotIoUConfig = Omit<IoUConfig, 'sparseYTrue'>;

/** Options of OneHotMeanIoU: MeanIoU's, with one-hot labels. */
export type OneHotMeanIoUConfig = Omit<MeanIoUConfig, 'sparseYTrue'>;

// Keras: a non-empty list of ids below numClasses.
function checkTargets(op: string, ids: unknown, numClasses: number): number[] {
  if (!Array.isArray(ids) || ids.length === 0 || !everyEntry(ids, (id) => Number.isInteger(id) && id >= 0)) {
    throw new Error(`${op}: expected targetClassIds to be a non-empty list of class ids, got ${describe(ids)}`);
  }
  const max = Math.max(...(ids as number[]));
  if (Number.isInteger(numClasses) && max >= numClasses) throw new Error(`${op}: target class id ${max} is out of range [0, ${numClasses})`);
  return [...(ids as number[])];
}

/**
 * The IoU of chosen classes, averaged over those whose union is not empty (name 'io_u').
 * @example const m = new IoU({ numClasses: 2, targetClassIds: [0] }); m.updateState([0, 0, 1, 1], [0, 1, 0, 1]); m.result() // 0.333
 */
export class IoU extends IoUBase {
  /** The options with their defaults filled in. */
  readonly config: Required<IoUConfig>;

  constructor(config: IoUConfig) {
    config = classOptions('metrics', IoU, new.target, config);
    const options = iouDefaults(config ?? {});
    const name = config?.name ?? 'io_u';
    const targets = checkTargets(name, config?.targetClassIds, options.numClasses);
    super(name, options, targets);
    this.config = { ...options, targetClassIds: targets, name: this.name };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.config, targetClassIds: [...this.config.targetClassIds] };
  }
}

/**
 * The IoU of classes 0 and/or 1 once predictions are thresholded (name 'binary_io_u').
 * @example const m = new BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 }); m.updateState([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]); m.result() // 0.333
 */
export class BinaryIoU extends IoUBase {
  /** The classes whose IoU is averaged. */
  readonly targetClassIds: number[];
  /** Predictions >= threshold are class 1. */
  readonly threshold: number;

  constructor(config: BinaryIoUConfig = {}) {
    config = classOptions('metrics', BinaryIoU, new.target, config);
    const name = config.name ?? 'binary_io_u';
    const targets = checkTargets(name, config.targetClassIds ?? [0, 1], 2);
    super(name, iouDefaults({ numClasses: 2 }), targets);
    const { threshold = 0.5 } = config;
    if (typeof threshold !== 'number' || Number.isNaN(threshold))
      throw new Error(`${this.name}: expected threshold to be a number, got ${describe(threshold)}`);
    this.targetClassIds = targets;
    this.threshold = threshold;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    tidy(() => {
      const p = cast(greaterEqual(toTensor(this.name, 'yPred', yPred, 'float32'), this.threshold), 'float32');
      this.addBatch(toTensor(this.name, 'yTrue', yTrue), p, sampleWeight);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetClassIds: [...this.targetClassIds], threshold: this.threshold };
  }
}

/**
 * IoU of chosen classes for one-hot labels (their arg max is the class; name 'one_hot_io_u').
 * @example const m = new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }); m.updateState([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]]); m.result()
 */
export class OneHotIoU extends IoUBase {
  /** The options with their defaults filled in. */
  readonly config: Required<OneHotIoUConfig>;

  constructor(config: OneHotIoUConfig) {
    config = classOptions('metrics', OneHotIoU, new.target, config);
    const options = iouDefaults({ sparseYPred: false, ...config, sparseYTrue: false });
    const name = config?.name ?? 'one_hot_io_u';
    const targets = checkTargets(name, config?.targetClassIds, options.numClasses);
    super(name, options, targets);
    const { sparseYTrue: _, ...rest } = options;
    this.config = { ...rest, targetClassIds: targets, name: this.name };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.config, targetClassIds: [...this.config.targetClassIds] };
  }
}

/**
 * Mean IoU over every class for one-hot labels (name 'one_hot_mean_io_u').
 * @example const m = new OneHotMeanIoU({ numClasses: 3 }); m.updateState([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]]); m.result()
 */
export class OneHotMeanIoU extends IoUBase {
  /** The options with their defaults filled in. */
  readonly config: Required<OneHotMeanIoUConfig>;

  constructor(config: OneHotMeanIoUConfig) {
    config = classOptions('metrics', OneHotMeanIoU, new.target, config);
    const options = iouDefaults({ sparseYPred: false, ...config, sparseYTrue: false });
    super(config?.name ?? 'one_hot_mean_io_u', options, allClasses(options.numClasses));
    const { sparseYTrue: _, ...rest } = options;
    this.config = { ...rest, name: this.name };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}
