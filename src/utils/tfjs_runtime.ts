// TensorFlow.js's runtime calls that its programs make at the top (`tf.version`,
// `await tf.time(f)`, `tf.enableProdMode()`), answered for Tessera.
import { tooManyArguments } from '../options/arity';
import { VERSION } from '../saving/build_model';
import { checkFunction } from '../tensor/check_function';
import { tidy } from '../tensor/memory';
import { setDebugMode } from '../tensor/op_watch';

/** The package's version, under TensorFlow.js's name (`tf.version`, an object of versions there too). */
export const version: { readonly tessera: string } = Object.freeze({ tessera: VERSION });

/** What time() measured: TensorFlow.js's fields. */
export interface TimingInfo {
  /** Wall time of f, in milliseconds. */
  wallMs: number;
  /** Time in kernels: on the CPU the kernels run within f, so this is wallMs. */
  kernelMs: number;
}

/**
 * Runs f once (inside a tidy, so what it returns is released) and resolves with how long it
 * took (TensorFlow.js's tf.time). Time a few runs after a first warm one.
 */
export async function time(f: () => unknown): Promise<TimingInfo> {
  if (arguments.length > 1) throw tooManyArguments('time', 1, arguments.length);
  checkFunction('time', 'f', f);
  const start = performance.now();
  tidy(() => {
    const result = f();
    if (result instanceof Promise) {
      result.catch(() => {});
      throw new Error(
        'time: f returned a Promise; time() measures synchronous work, as TensorFlow.js does (time an async step with performance.now() around its await)',
      );
    }
  });
  const wallMs = performance.now() - start;
  return { wallMs, kernelMs: wallMs };
}

/**
 * TensorFlow.js's prod mode: turns debug mode (enableDebugMode's NaN checks) off. Argument
 * checks stay: they are part of every call, not a mode.
 */
export function enableProdMode(): void {
  if (arguments.length > 0) throw tooManyArguments('enableProdMode', 0, arguments.length);
  setDebugMode(false);
}
