// ts.image.transform against a naive ImageProjectiveTransformV3 (test/fixtures/nn/image_transform.json,
// cross-checked there with PyTorch's grid_sample), by gradcheck, and on hand-worked cases.
import * as ts from '../src';
import { tensor, type Tensor } from '../src';
import { fromFixture, loadFixture } from './helpers/fixtures';
import { gradcheck } from './helpers/gradcheck';
import { eachDevice } from './helpers/memory';
import { expectClose, randomTensor } from './helpers/reference';

type Attrs = { interpolation: 'nearest' | 'bilinear'; fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest'; fillValue: number; outputShape: [number, number] };

eachDevice('image.transform (fixtures)', () => {
  for (const c of loadFixture('image_transform')) {
    it(c.name, () => {
      const a = c.attrs as Attrs;
      for (const dtype of ['float64', 'float32'] as const) {
        const tol = dtype === 'float64' ? 1e-6 : 1e-4;
        const image = fromFixture(c.inputs.image, dtype);
        const m = fromFixture(c.inputs.transforms, dtype);
        const upstream = fromFixture(c.upstream.y, dtype);
        const f = (x: Tensor) => ts.image.transform(x, m, a);
        const y = f(image);
        expect(y.shape).toEqual(c.outputs.y.shape);
        expectClose(Array.from(y.dataSync()), c.outputs.y.data, tol, 1e-6);
        const [dx] = ts.grads((x: Tensor) => ts.sum(ts.mul(f(x), upstream)))([image]);
        expectClose(Array.from(dx.dataSync()), c.grads.image.data, tol, 1e-6);
      }
    });
  }
});

describe('image.transform', () => {
  // A 3x3 single-channel image 1..9, row-major.
  const square = () => tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], 'float32');
  const values = (t: Tensor) => Array.from(t.dataSync());

  it('the identity returns the image; a one-pixel shift fills the vacated column', () => {
    expect(values(ts.image.transform(square(), [[1, 0, 0, 0, 1, 0, 0, 0]]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Output x reads input x - 1: the image moves right; column 0 reads fillValue.
    const shifted = ts.image.transform(square(), [[1, 0, -1, 0, 1, 0, 0, 0]], { fillValue: -1 });
    expect(values(shifted)).toEqual([-1, 1, 2, -1, 4, 5, -1, 7, 8]);
    expect(values(ts.image.transform(square(), [[1, 0, -1, 0, 1, 0, 0, 0]], { fillMode: 'wrap' }))).toEqual([3, 1, 2, 6, 4, 5, 9, 7, 8]);
    expect(values(ts.image.transform(square(), [[1, 0, -1, 0, 1, 0, 0, 0]], { fillMode: 'nearest' }))).toEqual([1, 1, 2, 4, 4, 5, 7, 7, 8]);
    expect(values(ts.image.transform(square(), [[1, 0, -2, 0, 1, 0, 0, 0]], { fillMode: 'reflect' }))).toEqual([2, 1, 1, 5, 4, 4, 8, 7, 7]);
  });

  it('a quarter turn about the centre moves each pixel exactly', () => {
    // Output (x, y) reads input column y, row 2 - x: the image turned a quarter clockwise.
    const turn = [[0, 1, 0, -1, 0, 2, 0, 0]];
    expect(values(ts.image.transform(square(), turn))).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
    expect(values(ts.image.transform(square(), turn, 'bilinear'))).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
  });

  it('bilinear weighs the four neighbours; nearest rounds halves away from zero', () => {
    // Every output reads input x + 0.5: the mean of two neighbours, the last column half fill.
    const half = [[1, 0, 0.5, 0, 1, 0, 0, 0]];
    expect(values(ts.image.transform(square(), half, 'bilinear'))).toEqual([1.5, 2.5, 1.5, 4.5, 5.5, 3, 7.5, 8.5, 4.5]);
    expect(values(ts.image.transform(square(), half, 'nearest', 'nearest'))).toEqual([2, 3, 3, 5, 6, 6, 8, 9, 9]);
  });

  it('one transform row serves every image; outputShape sets the output size', () => {
    const x = randomTensor([3, 4, 5, 2], 3);
    const row = [0.9, 0.1, 0.3, -0.2, 1.1, 0.4, 0, 0];
    const shared = ts.image.transform(x, [row], 'bilinear', 'reflect');
    const each = ts.image.transform(x, [row, row, row], 'bilinear', 'reflect');
    expect(values(shared)).toEqual(values(each));
    expect(ts.image.transform(x, [row], { outputShape: [6, 2] }).shape).toEqual([3, 6, 2, 2]);
  });

  it('gradients w.r.t. the image match finite differences', () => {
    const x = randomTensor([2, 4, 5, 2], 5, 'float64');
    const m = tensor(
      [
        [0.8, 0.3, 0.2, -0.25, 1.2, 0.1, 0.01, -0.02],
        [1.3, 0, -0.7, 0, 0.6, 1.1, 0, 0],
      ],
      [2, 8],
      'float64',
    );
    for (const fillMode of ['constant', 'reflect', 'wrap', 'nearest'] as const) {
      gradcheck((im) => ts.image.transform(im, m, { interpolation: 'bilinear', fillMode, fillValue: 0.3 }), [x]);
      gradcheck((im) => ts.image.transform(im, m, { interpolation: 'nearest', fillMode }), [x]);
    }
  });

  it('a gradient w.r.t. the transforms is an error, not a silent zero', () => {
    const m = tensor([[1, 0, 0, 0, 1, 0, 0, 0]], [1, 8], 'float32');
    expect(() => ts.grads((t: Tensor) => ts.sum(ts.image.transform(square(), t)))([m])).toThrow(/no gradient w.r.t. transforms/);
  });

  it('bad arguments name the op and what was expected', () => {
    const id = [[1, 0, 0, 0, 1, 0, 0, 0]];
    expect(() => ts.image.transform(tensor([1, 2, 3], [3]), id)).toThrow(/image.transform: expected image of rank 4/);
    expect(() => ts.image.transform(square(), [[1, 0, 0, 0, 1, 0]])).toThrow(/expected transforms of shape \[1 or 1, 8\], got \[1, 6\]/);
    expect(() => ts.image.transform(randomTensor([2, 3, 3, 1]), [[1, 0, 0, 0, 1, 0, 0, 0], id[0], id[0]])).toThrow(/\[2 or 1, 8\], got \[3, 8\]/);
    expect(() => ts.image.transform(square(), id, 'cubic' as never)).toThrow(/interpolation one of 'nearest', 'bilinear', got 'cubic'/);
    expect(() => ts.image.transform(square(), id, { fillMode: 'mirror' as never })).toThrow(/fillMode one of 'constant', 'reflect', 'wrap', 'nearest'/);
    expect(() => ts.image.transform(square(), id, { outputShape: [2.5, 3] as never })).toThrow(/outputShape \[height, width\]/);
    expect(() => ts.image.transform(square(), id, { fillvalu: 1 } as never)).toThrow(/image.transform/);
    expect(() => ts.image.transform(tensor([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), id)).toThrow(/image/);
    // TensorFlow.js takes float32 transforms alone; other numbers are cast to the image's dtype, a bool matrix is refused.
    expect(() => ts.image.transform(square(), tensor(id[0].map(Boolean), [1, 8]))).toThrow(
      /^image\.transform: expected argument 'transforms' to have dtype float32 or float64 or int32, got bool/,
    );
    expect(Array.from(ts.image.transform(square(), tensor(id[0], [1, 8], 'int32')).dataSync())).toEqual(Array.from(square().dataSync()));
  });
});
