// The kernels a function runs, by name and in order, seen through the compiled step's hook
// (every addon call passes it), for tests that pin which kernels an op or a step runs.
import { native } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';
import { setStepHook } from '../../src/compiled/step_hook';

const KERNEL = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k])) as Record<number, string>;

/** The kernels fn runs, by name, in order (and views as 'view' when asked). */
export function kernelsOf(fn: () => void, views = false): string[] {
  const names: string[] = [];
  setStepHook({
    run: (op, h, a, s) => (names.push(KERNEL[op]), native.run(op, h, a, s)),
    reshape: (h, s) => (views && names.push('view'), native.reshape(h, s)),
    createTensor: (d, s, t, dev) => native.createTensor(d, s, t, dev),
    read: (h) => native.read(h),
    readAsync: (h) => native.readAsync(h),
    dispose: (h) => native.dispose(h),
    to: (h, d) => native.to(h, d),
  });
  try {
    fn();
  } finally {
    setStepHook(null);
  }
  return names;
}
