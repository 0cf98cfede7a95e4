// A check on every weight a layer creates, set while a model is built from a file: the
// loader compares each weight's shape with the file's weights before it is allocated,
// so a config that declares a layer far larger than its weights (units: 1e6 on a Dense
// whose file holds [288, 16]) fails at once instead of allocating gigabytes first.

/** Called with the layer's name, the weight's name (addWeight's) and its shape; throws to refuse it. */
export type WeightCheck = (layer: string, weight: string, shape: readonly number[]) => void;

let current: WeightCheck | null = null;

/** Runs `f` with `check` applied to every weight created meanwhile. */
export function withWeightCheck<T>(check: WeightCheck, f: () => T): T {
  const previous = current;
  current = check;
  try {
    return f();
  } finally {
    current = previous;
  }
}

/** @internal Layer.addWeight's call, before it allocates anything. */
export function checkNewWeight(layer: string, weight: string, shape: readonly number[]): void {
  current?.(layer, weight, shape);
}
