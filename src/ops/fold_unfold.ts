// Keras 3's ops.nn.unfold / fold (PyTorch's torch.nn.functional.unfold / fold): im2col and
// col2im over channels-first images, a gather and the segment sum that is its adjoint.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { pad } from './pad';
import { reshape } from './reshape';
import { slice } from './slice';
import { gatherLast, scatterAddLast } from './window_index';
import { everyEntry } from '../options/every_entry';

type Pair = number | [number, number];

// An int or a pair of ints, each at least `min` (1 for sizes, 0 for padding).
function intPair(op: string, name: string, v: unknown, min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !everyEntry(p, (e) => Number.isInteger(e) && e >= min)) {
    throw new Error(`${op}: expected ${name} to be an integer >= ${min} or a pair of them ([height, width]), got ${describe(v)}`);
  }
  return [p[0], p[1]];
}

interface Geometry {
  kernel: [number, number];
  padding: [number, number];
  /** The padded image's height and width. */
  padded: [number, number];
  /** Windows along height and width. */
  blocks: [number, number];
  /** idx[k * L + l]: the padded-image position of kernel tap k in window l (built once the sizes are checked). */
  idx: () => Int32Array;
}

function geometry(op: string, size: [number, number], kernelSize: unknown, dilation: unknown, padding: unknown, stride: unknown): Geometry {
  const kernel = intPair(op, 'kernelSize', kernelSize, 1);
  const dil = intPair(op, 'dilation', dilation, 1);
  const pads = intPair(op, 'padding', padding, 0);
  const steps = intPair(op, 'stride', stride, 1);
  const padded: [number, number] = [size[0] + 2 * pads[0], size[1] + 2 * pads[1]];
  const blocks = [0, 1].map((d) => Math.floor((padded[d] - dil[d] * (kernel[d] - 1) - 1) / steps[d]) + 1) as [number, number];
  if (blocks[0] < 1 || blocks[1] < 1) {
    throw new Error(
      `${op}: a ${kernel[0]}x${kernel[1]} kernel (dilation [${dil.join(', ')}]) does not fit the ${padded[0]}x${padded[1]} padded image ` +
        `(size [${size.join(', ')}], padding [${pads.join(', ')}])`,
    );
  }
  // Positions are int32 indices into the flattened padded image.
  if (padded[0] * padded[1] > 2 ** 31 - 1) {
    throw new Error(
      `${op}: the ${padded[0]}x${padded[1]} padded image has more than 2**31 - 1 pixels (size [${size.join(', ')}], padding [${pads.join(', ')}])`,
    );
  }
  return { kernel, padding: pads, padded, blocks, idx: () => blockIndices(op, kernel, dil, steps, padded, blocks) };
}

function blockIndices(
  op: string,
  kernel: [number, number],
  dil: [number, number],
  steps: [number, number],
  padded: [number, number],
  blocks: [number, number],
): Int32Array {
  const [kh, kw] = kernel;
  const L = blocks[0] * blocks[1];
  const idx = allocTypedArray('int32', kh * kw * L, op) as Int32Array;
  for (let ki = 0; ki < kh; ki++)
    for (let kj = 0; kj < kw; kj++)
      for (let oi = 0; oi < blocks[0]; oi++)
        for (let oj = 0; oj < blocks[1]; oj++) {
          const row = oi * steps[0] + ki * dil[0];
          const col = oj * steps[1] + kj * dil[1];
          idx[(ki * kw + kj) * L + oi * blocks[1] + oj] = row * padded[1] + col;
        }
  return idx;
}

/**
 * Keras's unfold (im2col): the sliding blocks of a channels-first image [N, C, H, W] as
 * [N, C * kH * kW, L], L the number of blocks (row-major), each column a block's values
 * channel by channel, as torch.nn.functional.unfold. kernelSize, dilation, padding (zeros on
 * each side) and stride are an integer or [height, width]. Differentiable (its gradient is fold).
 * @example unfold(ones([1, 2, 4, 4]), 2, 1, 0, 2) // shape [1, 8, 4]
 */
export function unfold(x: TensorLike, kernelSize: Pair, dilation: Pair = 1, padding: Pair = 0, stride: Pair = 1): Tensor {
  if (arguments.length > 5) throw tooManyArguments('unfold', 5, arguments.length);
  const op = 'unfold';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, NUMERIC_DTYPES);
      if (t.rank !== 4) throw new Error(`${op}: expected x of rank 4 ([N, C, H, W], channels first), got shape [${t.shape.join(', ')}]`);
      const [n, c, h, w] = t.shape;
      const g = geometry(op, [h, w], kernelSize, dilation, padding, stride);
      const [ph, pw] = g.padding;
      const p =
        ph === 0 && pw === 0
          ? t
          : pad(t, [
              [0, 0],
              [0, 0],
              [ph, ph],
              [pw, pw],
            ]);
      const cols = gatherLast(reshape(p, [n, c, g.padded[0] * g.padded[1]]), g.idx());
      return reshape(cols, [n, c * g.kernel[0] * g.kernel[1], g.blocks[0] * g.blocks[1]]);
    }),
  );
}

/**
 * Keras's fold (col2im), unfold's adjoint: blocks [N, C * kH * kW, L] summed back into an
 * image [N, C, outputSize[0], outputSize[1]] where they overlap, as torch.nn.functional.fold;
 * the arguments are those unfold was given. fold(unfold(x)) is x times how many blocks
 * cover each pixel. Differentiable (its gradient is unfold).
 */
export function fold(x: TensorLike, outputSize: Pair, kernelSize: Pair, dilation: Pair = 1, padding: Pair = 0, stride: Pair = 1): Tensor {
  if (arguments.length > 6) throw tooManyArguments('fold', 6, arguments.length);
  const op = 'fold';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, NUMERIC_DTYPES);
      if (t.rank !== 3) throw new Error(`${op}: expected x of rank 3 ([N, C * kH * kW, L]), got shape [${t.shape.join(', ')}]`);
      const size = intPair(op, 'outputSize', outputSize, 1);
      const g = geometry(op, size, kernelSize, dilation, padding, stride);
      const [n, ckk, l] = t.shape;
      const k = g.kernel[0] * g.kernel[1];
      if (ckk % k !== 0) throw new Error(`${op}: expected x's dimension 1 (${ckk}) to be a multiple of kH * kW = ${k}`);
      const blocks = g.blocks[0] * g.blocks[1];
      if (l !== blocks) {
        throw new Error(
          `${op}: expected x's last dimension to be the ${g.blocks[0]} x ${g.blocks[1]} = ${blocks} blocks of outputSize [${size.join(', ')}], got ${l}`,
        );
      }
      const c = ckk / k;
      const image = reshape(scatterAddLast(reshape(t, [n, c, k * l]), g.idx(), g.padded[0] * g.padded[1]), [n, c, ...g.padded]);
      return slice(image, [0, 0, g.padding[0], g.padding[1]], [n, c, size[0], size[1]]);
    }),
  );
}
