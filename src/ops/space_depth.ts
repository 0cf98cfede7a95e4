// Moving values between space and depth or batch (TensorFlow.js's depthToSpace,
// spaceToBatchND, batchToSpaceND; TensorFlow's space_to_depth). Each is a reshape, a
// transpose and a reshape (with a pad or slice at the edges), so its gradient is theirs.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkNoHoles, describe, quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { asOp } from './op_name';
import { pad } from './pad';
import { reshape } from './reshape';
import { slice } from './slice';
import { transpose } from './transpose';
import { everyEntry } from '../options/every_entry';

type DataFormat = 'NHWC' | 'NCHW';

function blockAndFormat(op: string, x: Tensor, blockSize: unknown, dataFormat: unknown): DataFormat {
  if (x.rank !== 4) throw new Error(`${op}: expected x of rank 4, got shape [${x.shape.join(', ')}]`);
  if (typeof blockSize !== 'number' || !Number.isInteger(blockSize) || blockSize < 2) {
    throw new Error(`${op}: expected blockSize to be an integer > 1, got ${describe(blockSize)}`);
  }
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') throw new Error(`${op}: expected dataFormat 'NHWC' or 'NCHW', got ${quoted(dataFormat)}`);
  return dataFormat;
}

// Runs `f(x, format, [batch, height, width, channels])` for a checked rank-4 x, as the op `op`.
function onBlocks(op: string, x: TensorLike, blockSize: number, dataFormat: DataFormat, f: (t: Tensor, format: DataFormat, dims: number[]) => Tensor): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const format = blockAndFormat(op, t, blockSize, dataFormat);
      return f(t, format, format === 'NHWC' ? t.shape : [t.shape[0], t.shape[2], t.shape[3], t.shape[1]]);
    }),
  );
}

/**
 * Rearranges blocks of depth into space: [b, h, w, c] becomes [b, h * blockSize,
 * w * blockSize, c / blockSize²] (NHWC), each pixel's channels read as a blockSize x
 * blockSize patch (TensorFlow's DCR order). c must be a multiple of blockSize².
 * @example depthToSpace(x, 2) // [1, 1, 1, 4] -> [1, 2, 2, 1]
 */
export function depthToSpace(x: TensorLike, blockSize: number, dataFormat: DataFormat = 'NHWC'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('depthToSpace', 3, arguments.length);
  const op = 'depthToSpace';
  return onBlocks(op, x, blockSize, dataFormat, (t, format, [n, h, w, c]) => {
    const bs = blockSize;
    if (c % (bs * bs) !== 0) {
      throw new Error(`${op}: expected the depth (${c}) to be a multiple of blockSize² = ${bs * bs}, got x of shape [${t.shape.join(', ')}]`);
    }
    const d = c / (bs * bs);
    if (format === 'NHWC') {
      const blocks = transpose(reshape(t, [n, h, w, bs, bs, d]), [0, 1, 3, 2, 4, 5]);
      return reshape(blocks, [n, h * bs, w * bs, d]);
    }
    const blocks = transpose(reshape(t, [n, bs, bs, d, h, w]), [0, 3, 4, 1, 5, 2]);
    return reshape(blocks, [n, d, h * bs, w * bs]);
  });
}

/**
 * depthToSpace's inverse: each blockSize x blockSize patch of space becomes depth,
 * [b, h, w, c] to [b, h / blockSize, w / blockSize, c * blockSize²] (NHWC). h and w must
 * be multiples of blockSize.
 * @example spaceToDepth(x, 2) // [1, 2, 2, 1] -> [1, 1, 1, 4]
 */
export function spaceToDepth(x: TensorLike, blockSize: number, dataFormat: DataFormat = 'NHWC'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('spaceToDepth', 3, arguments.length);
  const op = 'spaceToDepth';
  return onBlocks(op, x, blockSize, dataFormat, (t, format, [n, h, w, c]) => {
    const bs = blockSize;
    if (h % bs !== 0 || w % bs !== 0) {
      throw new Error(`${op}: expected height (${h}) and width (${w}) to be multiples of blockSize ${bs}, got x of shape [${t.shape.join(', ')}]`);
    }
    const [oh, ow] = [h / bs, w / bs];
    if (format === 'NHWC') {
      const blocks = transpose(reshape(t, [n, oh, bs, ow, bs, c]), [0, 1, 3, 2, 4, 5]);
      return reshape(blocks, [n, oh, ow, c * bs * bs]);
    }
    const blocks = transpose(reshape(t, [n, c, oh, bs, ow, bs]), [0, 3, 5, 1, 2, 4]);
    return reshape(blocks, [n, c * bs * bs, oh, ow]);
  });
}

// blockShape: M positive integers for x's dimensions 1..M; pairs: M [before, after] pairs of non-negative integers.
function blockArgs(op: string, x: Tensor, blockShape: unknown, pairs: unknown, pairsName: string): [number[], [number, number][]] {
  if (!Array.isArray(blockShape) || blockShape.length < 1 || !everyEntry(blockShape, (v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${op}: expected blockShape to be a non-empty array of positive integers, got ${describe(blockShape)}`);
  }
  const m = blockShape.length;
  if (x.rank < m + 1) throw new Error(`${op}: expected x of rank at least ${m + 1} (1 + blockShape.length), got shape [${x.shape.join(', ')}]`);
  if (!Array.isArray(pairs) || pairs.length !== m) throw new Error(`${op}: expected ${pairsName} to be ${m} [before, after] pairs, got ${describe(pairs)}`);
  // forEach skips a hole: a missing pair was read later as no crop or padding.
  checkNoHoles(op, pairsName, pairs);
  pairs.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !everyEntry(p, (v) => Number.isInteger(v) && v >= 0)) {
      throw new Error(`${op}: expected ${pairsName}[${i}] to be [before, after] non-negative integers, got ${describe(p)}`);
    }
  });
  return [blockShape as number[], pairs as [number, number][]];
}

/**
 * Zero-pads x's spatial dimensions 1..M by `paddings`, then moves blockShape blocks of them
 * into the batch: [b, d1, ..., dM, ...rest] becomes [b * prod(blockShape), (d1 + pads) /
 * blockShape[0], ..., ...rest]. Each padded dimension must be a multiple of its block.
 * @example spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]]) // [1, 2, 2, 1] -> [4, 1, 1, 1]
 */
export function spaceToBatchND(x: TensorLike, blockShape: number[], paddings: number[][]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('spaceToBatchND', 3, arguments.length);
  const op = 'spaceToBatchND';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const [block, pads] = blockArgs(op, t, blockShape, paddings, 'paddings');
      const m = block.length;
      const rest = t.shape.slice(m + 1);
      const padded = pad(t, [[0, 0], ...pads, ...rest.map((): [number, number] => [0, 0])]);
      const spatial = padded.shape.slice(1, m + 1);
      spatial.forEach((s, i) => {
        if (s % block[i] !== 0) {
          throw new Error(
            `${op}: expected padded dimension ${i + 1} (${s}) to be a multiple of blockShape[${i}] = ${block[i]}, got x of shape [${t.shape.join(', ')}] and paddings ${describe(paddings)}`,
          );
        }
      });
      const n = t.shape[0];
      const split = [n, ...spatial.flatMap((s, i) => [s / block[i], block[i]]), ...rest];
      // Block axes first (2, 4, ...), then the batch, then the block counts (1, 3, ...), then the rest.
      const perm = [...block.map((_, i) => 2 + 2 * i), 0, ...block.map((_, i) => 1 + 2 * i), ...rest.map((_, i) => 1 + 2 * m + i)];
      const moved = transpose(reshape(padded, split), perm);
      return reshape(moved, [n * block.reduce((a, v) => a * v, 1), ...spatial.map((s, i) => s / block[i]), ...rest]);
    }),
  );
}

/**
 * spaceToBatchND's inverse: the batch's prod(blockShape) groups become blockShape blocks of
 * dimensions 1..M, which `crops` then trims: [b, d1, ..., dM, ...rest] becomes
 * [b / prod(blockShape), d1 * blockShape[0] - crops[0] total, ..., ...rest].
 * @example batchToSpaceND(x, [2, 2], [[0, 0], [0, 0]]) // [4, 1, 1, 1] -> [1, 2, 2, 1]
 */
export function batchToSpaceND(x: TensorLike, blockShape: number[], crops: number[][]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('batchToSpaceND', 3, arguments.length);
  const op = 'batchToSpaceND';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const [block, cuts] = blockArgs(op, t, blockShape, crops, 'crops');
      const m = block.length;
      const total = block.reduce((a, v) => a * v, 1);
      if (t.shape[0] % total !== 0) {
        throw new Error(`${op}: expected the batch (${t.shape[0]}) to be a multiple of prod(blockShape) = ${total}, got x of shape [${t.shape.join(', ')}]`);
      }
      const n = t.shape[0] / total;
      const spatial = t.shape.slice(1, m + 1);
      const rest = t.shape.slice(m + 1);
      cuts.forEach(([before, after], i) => {
        if (before + after > spatial[i] * block[i]) {
          throw new Error(
            `${op}: expected crops[${i}] to total at most ${spatial[i] * block[i]} (dimension ${i + 1} times its block), got ${describe(cuts[i])}`,
          );
        }
      });
      const split = [...block, n, ...spatial, ...rest];
      // [n, d1, b1, d2, b2, ..., rest]: the batch, then each count next to its block.
      const perm = [m, ...block.flatMap((_, i) => [m + 1 + i, i]), ...rest.map((_, i) => 2 * m + 1 + i)];
      const full = reshape(transpose(reshape(t, split), perm), [n, ...spatial.map((s, i) => s * block[i]), ...rest]);
      const begin = [0, ...cuts.map(([before]) => before), ...rest.map(() => 0)];
      const size = [n, ...cuts.map(([before, after], i) => spatial[i] * block[i] - before - after), ...rest];
      return slice(full, begin, size);
    }),
  );
}
