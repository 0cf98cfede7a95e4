// keras.utils.bounding_boxes.encode_box_to_deltas and decode_deltas_to_boxes: boxes as
// offsets and log-scales of anchors in a centre format, the regression targets of
// anchor-based detectors (RetinaNet), and back.
import { tooManyArguments } from '../../options/arity';
import { checkOptions } from '../../options/check';
import { add, div, maximum, mul, sub } from '../../ops/binary';
import { cast } from '../../ops/cast';
import { concat } from '../../ops/concat';
import { toTensor } from '../../ops/convert';
import { split } from '../../ops/slice';
import { exp, log } from '../../ops/unary';
import { epsilon } from '../../config/settings';
import { tensor, type TensorLike } from '../../tensor/creation';
import { isFloatDType } from '../../tensor/dtype';
import { tidy } from '../../tensor/memory';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { convertBoxes } from './converters';
import { checkFormat, imageSize, type BoxFormat } from './formats';

/** The centre formats deltas are taken in. */
export type DeltaFormat = 'center_yxhw' | 'center_xywh';

/** Options of encodeBoxToDeltas. */
export interface EncodeBoxToDeltasOptions {
  /** The centre format the deltas are taken in: 'center_yxhw' (default) or 'center_xywh'. */
  encodingFormat?: DeltaFormat;
  /** 4 factors the deltas are divided by (e.g. [0.1, 0.1, 0.2, 0.2]); default none. */
  variance?: number[] | null;
  /** [height, width, channels] of the image: needed for relative formats. */
  imageShape?: number[] | null;
}

/** Options of decodeDeltasToBoxes. */
export interface DecodeDeltasToBoxesOptions {
  /** The centre format the deltas are in: 'center_yxhw' (default) or 'center_xywh'. */
  encodedFormat?: DeltaFormat;
  /** 4 factors the deltas are multiplied by first; default none. */
  variance?: number[] | null;
  /** [height, width, channels] of the image: needed for relative formats. */
  imageShape?: number[] | null;
}

function deltaFormat(op: string, what: string, f: unknown): DeltaFormat {
  if (f !== 'center_yxhw' && f !== 'center_xywh') throw new Error(`${op}: expected ${what} to be 'center_yxhw' or 'center_xywh', got ${describe(f)}`);
  return f;
}

function checkVariance(op: string, v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 4 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x !== 0)) {
    throw new Error(`${op}: expected variance to be 4 non-zero numbers, got ${describe(v)}`);
  }
  return v as number[];
}

// What encode and decode check alike: their options (the delta format under each one's
// option name) and the two box formats.
function deltaSettings(
  op: string,
  formatKey: 'encodingFormat' | 'encodedFormat',
  options: (EncodeBoxToDeltasOptions & DecodeDeltasToBoxesOptions) | null | undefined,
  anchorFormat: BoxFormat,
  boxFormat: BoxFormat,
): { enc: DeltaFormat; v: number[] | undefined; size: ReturnType<typeof imageSize> } {
  const checked = checkOptions(op, options, op);
  const format = checked[formatKey];
  const enc = deltaFormat(op, formatKey, format === undefined ? 'center_yxhw' : format);
  const v = checkVariance(op, checked.variance);
  const size = imageSize(op, checked.imageShape);
  checkFormat(op, 'anchorFormat', anchorFormat);
  checkFormat(op, 'boxFormat', boxFormat);
  return { enc, v, size };
}

// [..., 4] as its first two and last two coordinates.
const halves = (t: Tensor): [Tensor, Tensor] => split(t, 2, -1) as [Tensor, Tensor];

/**
 * The deltas of boxes from anchors (keras.utils.bounding_boxes.encode_box_to_deltas):
 * in the centre format, [(centre - anchorCentre) / anchorSize, log(size / anchorSize)],
 * divided by variance when given. Anchors [N, 4]; boxes [N, 4] or [batch, N, 4].
 * @example utils.boundingBoxes.encodeBoxToDeltas(anchors, boxes, 'xyxy', 'xyxy', { variance: [0.1, 0.1, 0.2, 0.2] })
 */
export function encodeBoxToDeltas(
  anchors: TensorLike,
  boxes: TensorLike,
  anchorFormat: BoxFormat,
  boxFormat: BoxFormat,
  options?: EncodeBoxToDeltasOptions | null,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('utils.boundingBoxes.encodeBoxToDeltas', 5, arguments.length);
  const op = 'utils.boundingBoxes.encodeBoxToDeltas';
  const { enc, v, size } = deltaSettings(op, 'encodingFormat', options, anchorFormat, boxFormat);
  return tidy(() => {
    const a = convertBoxes(op, 'anchors', anchors, anchorFormat, enc, size?.[0], size?.[1]);
    const b = convertBoxes(op, 'boxes', boxes, boxFormat, enc, size?.[0], size?.[1]);
    const [aCentre, aSize] = halves(a);
    const [bCentre, bSize] = halves(b);
    const aDims = maximum(aSize, epsilon()),
      bDims = maximum(bSize, epsilon());
    const deltas = concat([div(sub(bCentre, aCentre), aDims), log(div(bDims, aDims))], -1);
    return v === undefined ? deltas : div(deltas, tensor(v, [4], 'float32'));
  });
}

/**
 * Boxes in boxFormat from deltas of anchors (keras.utils.bounding_boxes.decode_deltas_to_boxes),
 * the inverse of encodeBoxToDeltas. Anchors [N, 4] with deltas [N, 4] or [batch, N, 4];
 * or objects of levels ({p3: anchors, ...} with {p3: deltas, ...}) giving one of boxes.
 * @example utils.boundingBoxes.decodeDeltasToBoxes(anchors, predictedDeltas, 'xyxy', 'xyxy')
 */
export function decodeDeltasToBoxes(
  anchors: TensorLike,
  boxesDelta: TensorLike,
  anchorFormat: BoxFormat,
  boxFormat: BoxFormat,
  options?: DecodeDeltasToBoxesOptions | null,
): Tensor;
export function decodeDeltasToBoxes(
  anchors: Record<string, TensorLike>,
  boxesDelta: Record<string, TensorLike>,
  anchorFormat: BoxFormat,
  boxFormat: BoxFormat,
  options?: DecodeDeltasToBoxesOptions | null,
): Record<string, Tensor>;
export function decodeDeltasToBoxes(
  anchors: TensorLike | Record<string, TensorLike>,
  boxesDelta: TensorLike | Record<string, TensorLike>,
  anchorFormat: BoxFormat,
  boxFormat: BoxFormat,
  options?: DecodeDeltasToBoxesOptions | null,
): Tensor | Record<string, Tensor> {
  if (arguments.length > 5) throw tooManyArguments('utils.boundingBoxes.decodeDeltasToBoxes', 5, arguments.length);
  const op = 'utils.boundingBoxes.decodeDeltasToBoxes';
  const { enc, v, size } = deltaSettings(op, 'encodedFormat', options, anchorFormat, boxFormat);
  const level = (anchor: TensorLike, delta: TensorLike, what: string): Tensor =>
    tidy(() => {
      const a = convertBoxes(op, `anchors${what}`, anchor, anchorFormat, enc, size?.[0], size?.[1]);
      let d = toTensor(op, `boxesDelta${what}`, delta);
      if (d.rank === 0 || d.shape[d.rank - 1] !== 4)
        throw new Error(`${op}: expected boxesDelta${what} to have a last dimension of 4, got shape [${d.shape.join(', ')}]`);
      // Integer deltas are computed in float32, as Keras's exp of them.
      if (!isFloatDType(d.dtype)) d = cast(d, 'float32');
      if (v !== undefined) d = mul(d, tensor(v, [4], 'float32'));
      const [aCentre, aSize] = halves(a);
      const [dCentre, dSize] = halves(d);
      const box = concat([add(mul(dCentre, aSize), aCentre), mul(exp(dSize), aSize)], -1);
      return convertBoxes(op, `boxesDelta${what}`, box, enc, boxFormat, size?.[0], size?.[1]);
    });
  const isLevels = (x: unknown): x is Record<string, TensorLike> =>
    x !== null && typeof x === 'object' && !(x instanceof Tensor) && !Array.isArray(x) && !ArrayBuffer.isView(x);
  if (isLevels(anchors) !== isLevels(boxesDelta))
    throw new Error(`${op}: expected anchors and boxesDelta both tensors or both objects of levels, got ${describe(anchors)} and ${describe(boxesDelta)}`);
  if (isLevels(anchors) && isLevels(boxesDelta)) {
    const missing = Object.keys(anchors).filter((k) => !Object.hasOwn(boxesDelta, k));
    if (missing.length > 0)
      throw new Error(`${op}: boxesDelta has no level ${missing.map((k) => `'${k}'`).join(', ')} of anchors (levels [${Object.keys(boxesDelta).join(', ')}])`);
    const out: Record<string, Tensor> = {};
    try {
      for (const [k, a] of Object.entries(anchors)) out[k] = level(a, boxesDelta[k], `['${k}']`);
    } catch (e) {
      for (const t of Object.values(out)) t.dispose();
      throw e;
    }
    return out;
  }
  return level(anchors as TensorLike, boxesDelta as TensorLike, '');
}
