// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, 0.004 by default.
import { Adam, type AdamHyper } from './adam';
import type { OptimizerConfig } from './optimizer';

/**
 * Adam whose weights decay by lr * weightDecay * var before every update (default
 * weightDecay 0.004, learning rate 0.001).
 * @example new AdamW({ learningRate: 1e-3, weightDecay: 0.01 })
 */
export class AdamW extends Adam {
  constructor(config: OptimizerConfig & Partial<AdamHyper> = {}) {
    super({ weightDecay: 0.004, ...config }, 'AdamW');
    if (this.weightDecay === null) throw new Error('AdamW: expected weightDecay to be a number, got null');
  }
}
