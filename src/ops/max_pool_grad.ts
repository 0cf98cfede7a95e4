// max pooling's gradient kernel, and under an outer tape (higher-order gradients) its own
// gradient in composite ops (internal, not re-exported by the ops index).
import { packAttrs, type MaxPool2dAttrs } from '../native/op_attrs';
import { tensor } from '../tensor/creation';
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { greater, logicalAnd, logicalNot, logicalOr, where } from './compare';
import { gather } from './gather';
import { reshape } from './reshape';

/**
 * @internal dy [n, oh, ow, c] sent to each window's first maximum of x [n, h, w, c]. The
 * kernel is linear in dy and flat in x; its transpose (for the outer tape) gathers g at
 * the same maxima.
 */
export function maxPoolGrad(op: string, a: MaxPool2dAttrs, x: Tensor, dy: Tensor): Tensor {
  const rule: GradRule | undefined = isRecording() ? { save: [x], grad: ([g], [xs]) => [null, gatherAtWindowMax(a, xs, g, dy.shape)] } : undefined;
  return runKernel1(op, 'max_pool2d_backward', [x, dy], packAttrs.max_pool2d_backward(a), { shape: x.shape, dtype: x.dtype }, rule);
}

const onDevice = (t: Tensor, device: string): Tensor => (t.device === device ? t : t.to(device));

// g [n, h, w, c] at each window's first maximal tap of x in row-major order (the kernel's
// choice), one gather per tap: out of the image taps (padding) never win.
function gatherAtWindowMax(a: MaxPool2dAttrs, x: Tensor, g: Tensor, outShape: number[]): Tensor {
  const [n, h, w, c] = x.shape;
  const [, oh, ow] = outShape;
  const [ph, pw] = a.poolSize;
  const [sh, sw] = a.strides;
  const [top, left] = a.padding;
  const xf = reshape(x, [n, h * w, c]);
  const gf = reshape(g, [n, h * w, c]);
  let best: Tensor | null = null;
  let picked: Tensor | null = null;
  let seen: Tensor | null = null;
  for (let i = 0; i < ph; i++) {
    for (let j = 0; j < pw; j++) {
      const index = new Int32Array(oh * ow);
      const inside = new Float32Array(oh * ow);
      for (let r = 0; r < oh; r++) {
        for (let s = 0; s < ow; s++) {
          const y = r * sh + i - top;
          const z = s * sw + j - left;
          const ok = y >= 0 && y < h && z >= 0 && z < w;
          index[r * ow + s] = ok ? y * w + z : 0;
          inside[r * ow + s] = ok ? 1 : 0;
        }
      }
      const valid = greater(onDevice(tensor(inside, [1, oh * ow, 1], 'float32'), x.device), 0);
      const idx = onDevice(tensor(index, [oh * ow], 'int32'), x.device);
      const value = gather(xf, idx, 1);
      const grad = gather(gf, idx, 1);
      if (best === null || picked === null || seen === null) {
        best = value;
        picked = where(valid, grad, 0);
        seen = valid;
        continue;
      }
      // Strictly greater: the first maximum keeps its place on ties.
      const take = logicalAnd(valid, logicalOr(logicalNot(seen), greater(value, best)));
      best = where(take, value, best);
      picked = where(take, grad, picked);
      seen = logicalOr(seen, valid);
    }
  }
  return reshape(picked!, outShape);
}
