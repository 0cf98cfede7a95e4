// The watch over eager kernels behind tf.profile (a record per kernel) and debug mode (a
// NaN check of every float output). run.ts calls it only while one of them is on.
import { stepHook } from '../compiled/step_hook';
import { native } from '../native/binding';
import { setOpWatch, type OpWatch } from './run';
import type { Tensor } from './tensor';

/** One kernel run under profile(): TensorFlow.js's KernelInfo. */
export interface KernelInfo {
  /** The op that ran the kernel. */
  name: string;
  /** Bytes of live storage the kernel added (its outputs). */
  bytesAdded: number;
  /** Bytes of live storage after the kernel. */
  totalBytesSnapshot: number;
  /** Live tensors the kernel added. */
  tensorsAdded: number;
  /** Live tensors after the kernel. */
  totalTensorsSnapshot: number;
  /** Shapes of the kernel's inputs. */
  inputShapes: number[][];
  /** Shapes of the kernel's outputs. */
  outputShapes: number[][];
  /** Wall time of the kernel call, in milliseconds (the CPU kernels run within it). */
  kernelTimeMs: number;
  /** TensorFlow.js's backend notes; always '' here. */
  extraInfo: string;
}

let debug = false;
// The kernel lists of the profiles under way (profiles may overlap: each gets every kernel).
const profiles = new Set<KernelInfo[]>();
// The debug check reads outputs, which may run kernels of its own: those are not watched.
let busy = false;
let before = { bytes: 0, tensors: 0 };
let startMs = 0;

/** @internal Live bytes and tensors, all devices. */
export function totals(): { bytes: number; tensors: number } {
  const info = native.memoryInfo();
  let bytes = 0;
  for (const d of Object.values(info.devices)) bytes += d.bytes;
  return { bytes, tensors: info.numTensors };
}

const FLOATS = new Set(['float32', 'float64']);

function checkNaN(name: string, outputs: Tensor[]): void {
  outputs.forEach((t, i) => {
    if (!FLOATS.has(t.dtype)) return;
    const data = t.dataSync();
    for (let j = 0; j < data.length; j++) {
      if (Number.isNaN(data[j])) {
        const which = outputs.length > 1 ? `output ${i}` : 'the result';
        throw new Error(
          `${name}: debug mode found NaN in ${which} (shape [${t.shape.join(', ')}], at flat index ${j}); env().set('DEBUG', false) turns the check off`,
        );
      }
    }
  });
}

const watch: OpWatch = {
  start() {
    if (busy) return;
    if (profiles.size > 0) before = totals();
    startMs = performance.now();
  },
  end(name, inputs, outputs) {
    if (busy) return;
    const kernelTimeMs = performance.now() - startMs;
    if (profiles.size > 0) {
      const after = totals();
      const info: KernelInfo = {
        name,
        bytesAdded: after.bytes - before.bytes,
        totalBytesSnapshot: after.bytes,
        tensorsAdded: after.tensors - before.tensors,
        totalTensorsSnapshot: after.tensors,
        inputShapes: inputs.map((t) => [...t.shape]),
        outputShapes: outputs.map((t) => [...t.shape]),
        kernelTimeMs,
        extraInfo: '',
      };
      for (const list of profiles) list.push(info);
    }
    // A compiled step's recording has no values to read: debug mode checks eager ops only.
    if (!debug || stepHook !== null) return;
    busy = true;
    try {
      checkNaN(name, outputs);
    } finally {
      busy = false;
    }
  },
};

const update = () => setOpWatch(debug || profiles.size > 0 ? watch : null);

/** @internal Turns debug mode's NaN check on or off. */
export function setDebugMode(on: boolean): void {
  debug = on;
  update();
}

/** @internal Whether debug mode is on. */
export function isDebugMode(): boolean {
  return debug;
}

/** @internal Starts recording kernels into a new list, returned. */
export function startProfile(): KernelInfo[] {
  const list: KernelInfo[] = [];
  profiles.add(list);
  update();
  return list;
}

/** @internal Stops recording into `list`. */
export function stopProfile(list: KernelInfo[]): void {
  profiles.delete(list);
  update();
}
