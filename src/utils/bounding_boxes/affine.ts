// keras.utils.bounding_boxes.affine_transform: 'xyxy' boxes through the affine map of
// Keras's image augmentations (rotation, translation, scale, shear about a centre),
// each box becoming the bounding box of its four transformed corners.
import { tooManyArguments } from '../../options/arity';
import { checkOptions } from '../../options/check';
import { add, div, mul, sub } from '../../ops/binary';
import { cast } from '../../ops/cast';
import { stack } from '../../ops/concat';
import { toTensor } from '../../ops/convert';
import { max, min } from '../../ops/reduce';
import { expandDims, reshape, squeeze } from '../../ops/reshape';
import { cos, neg, sin, tan } from '../../ops/unary';
import { fill, type TensorLike } from '../../tensor/creation';
import { tidy } from '../../tensor/memory';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { boxesTensor, checkFormat, coords, optionalSize, type BoxFormat } from './formats';

/** A parameter of affineTransform: one number for the whole batch, or one per batch element. */
export type AffineParameter = number | number[] | Tensor;

/** Options of affineTransform. */
export interface AffineTransformOptions {
  /** Horizontal centre of the transform as a fraction of the width (default 0.5). */
  centerX?: AffineParameter | null;
  /** Vertical centre of the transform as a fraction of the height (default 0.5). */
  centerY?: AffineParameter | null;
  /** 'xyxy', the only format Keras 3.15 transforms (the default). */
  boundingBoxFormat?: BoxFormat;
}

// A parameter as float32 [batch, 1]: a number repeated, or one value per batch element.
function parameter(op: string, name: string, v: AffineParameter, batch: number, created: Tensor[]): Tensor {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${op}: expected ${name} to be a finite number, got ${describe(v)}`);
    const t = fill([batch, 1], v, 'float32');
    created.push(t);
    return t;
  }
  if (Array.isArray(v) && !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    throw new Error(`${op}: expected ${name} to be finite numbers, one per batch element, got ${describe(v)}`);
  }
  if (!Array.isArray(v) && !(v instanceof Tensor))
    throw new Error(`${op}: expected ${name} to be a number, an array or a tensor of one per batch element, got ${describe(v)}`);
  const t = toTensor(op, name, v, undefined, created);
  if (t.size !== batch || t.rank > 1)
    throw new Error(`${op}: expected ${name} to hold one value per batch element (${batch}), got shape [${t.shape.join(', ')}]`);
  const r = reshape(t.dtype === 'float32' ? t : cast(t, 'float32'), [batch, 1]);
  created.push(r);
  return r;
}

/**
 * 'xyxy' boxes [batch, N, 4] (or [N, 4]) through the affine transform of an image
 * height x width (keras.utils.bounding_boxes.affine_transform): angle and shears in
 * degrees, translations and the centre as fractions of the size. Each parameter is a
 * number or one value per batch element; a box becomes the box around its moved corners.
 * @example utils.boundingBoxes.affineTransform(boxes, 30, 0.1, 0, 1, 0, 0, 224, 224)
 */
export function affineTransform(
  boxes: TensorLike,
  angle: AffineParameter,
  translateX: AffineParameter,
  translateY: AffineParameter,
  scale: AffineParameter,
  shearX: AffineParameter,
  shearY: AffineParameter,
  height: number,
  width: number,
  options?: AffineTransformOptions | null,
): Tensor {
  if (arguments.length > 10) throw tooManyArguments('utils.boundingBoxes.affineTransform', 10, arguments.length);
  const op = 'utils.boundingBoxes.affineTransform';
  const { centerX = 0.5, centerY = 0.5, boundingBoxFormat = 'xyxy' } = checkOptions(op, options, op);
  const format = checkFormat(op, 'boundingBoxFormat', boundingBoxFormat);
  if (format !== 'xyxy')
    throw new Error(`${op}: only 'xyxy' boxes are supported (as Keras 3.15), got '${format}'; convert them with utils.boundingBoxes.convertFormat first`);
  const h = optionalSize(op, 'height', height),
    w = optionalSize(op, 'width', width);
  if (h === undefined || w === undefined)
    throw new Error(`${op}: expected the image height and width, got height ${describe(height)} and width ${describe(width)}`);
  const created: Tensor[] = [];
  try {
    const b = boxesTensor(op, 'boxes', boxes, created, [2, 3]);
    const batch = b.rank === 3 ? b.shape[0] : 1;
    const p = (name: string, v: AffineParameter) => parameter(op, name, v, batch, created);
    const [ang, tX, tY, sc, shX, shY, ctrX, ctrY] = [
      p('angle', angle),
      p('translateX', translateX),
      p('translateY', translateY),
      p('scale', scale),
      p('shearX', shearX),
      p('shearY', shearY),
      p('centerX', centerX ?? 0.5),
      p('centerY', centerY ?? 0.5),
    ];
    return tidy(() => {
      // Keras's _compute_inverse_affine_matrix (TF's _get_inverse_affine_matrix), step by step.
      const deg = Math.PI / 180;
      const cx = mul(ctrX, w - 1),
        cy = mul(ctrY, h - 1);
      const rot = mul(neg(ang), deg);
      const tx = mul(neg(tX), w - 1),
        ty = mul(neg(tY), h - 1);
      const sx = mul(neg(shX), deg),
        sy = mul(neg(shY), deg);
      const cosSy = cos(sy),
        tanSx = tan(sx),
        rotMinusSy = sub(rot, sy);
      const cxTx = add(cx, tx),
        cyTy = add(cy, ty);
      const a = div(cos(rotMinusSy), cosSy);
      const bb = add(mul(a, tanSx), sin(rot));
      const c = div(neg(sin(rotMinusSy)), cosSy);
      const d = sub(cos(rot), mul(c, tanSx));
      const a0 = mul(d, sc),
        a1 = mul(neg(bb), sc),
        b0 = mul(neg(c), sc),
        b1 = mul(a, sc);
      const a2 = sub(sub(cx, mul(a0, cxTx)), mul(a1, cyTy));
      const b2 = sub(sub(cy, mul(b0, cxTx)), mul(b1, cyTy));
      // Corners (x1, y1), (x2, y1), (x2, y2), (x1, y2) of each box: [batch, N, 4].
      const boxes3 = b.rank === 3 ? cast(b, 'float32') : expandDims(cast(b, 'float32'), 0);
      const [x1, y1, x2, y2] = coords(boxes3).map((t) => squeeze(t, -1));
      const xs = stack([x1, x2, x2, x1], -1),
        ys = stack([y1, y1, y2, y2], -1);
      const per = (t: Tensor) => expandDims(t, -1); // [batch, 1] -> [batch, 1, 1]
      const X = add(add(mul(xs, per(a0)), mul(ys, per(a1))), per(a2));
      const Y = add(add(mul(xs, per(b0)), mul(ys, per(b1))), per(b2));
      const out = stack([min(X, -1), min(Y, -1), max(X, -1), max(Y, -1)], -1);
      return b.rank === 3 ? out : squeeze(out, 0);
    });
  } finally {
    for (const c of created) c.dispose();
  }
}
