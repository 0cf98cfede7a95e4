// The collectives workers' shared reference: each rank's deterministic input and an
// element-wise comparison that names the first mismatch.
export type DType = 'float32' | 'int32' | 'float64' | 'bool';

/** Rank r's input: distinct per rank, exactly representable in every dtype. */
export function values(dtype: DType, r: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (dtype === 'bool' ? ((i + r) % 3 === 0 ? 1 : 0) : ((i * 7 + r * 13) % 23) - 11 + (dtype === 'int32' ? 0 : 0.5)));
}

/** Throws on the first element of `got` farther from `want` than `tolerance(want)` (1e-6 unless given). */
export function check(what: string, got: ArrayLike<number>, want: number[], tolerance: (want: number) => number = () => 1e-6): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(Number(got[i]) - want[i]) > tolerance(want[i])) throw new Error(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}
