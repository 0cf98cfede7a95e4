// ts.image.rgbToHsv / hsvToRgb (keras.ops.image's): values against Python's colorsys,
// round trips, both layouts and ranks, and clear errors.
import * as ts from '../src';

// colorsys.rgb_to_hsv of each pixel (/usr/bin/python3).
const RGB = [
  [0.2, 0.4, 0.6],
  [0.9, 0.1, 0.3],
  [0.5, 0.5, 0.5],
  [0.3, 0.8, 0.1],
  [0, 0, 0],
  [1, 0, 0],
];
const HSV = [
  [0.5833333333333334, 0.6666666666666666, 0.6],
  [0.9583333333333334, 0.888888888888889, 0.9],
  [0, 0, 0.5],
  [0.28571428571428575, 0.875, 0.8],
  [0, 0, 0],
  [0, 1, 1],
];

const expectClose = (got: ts.Tensor, want: number[], tol = 1e-6) => {
  const g = Array.from(got.dataSync());
  expect(g.length).toBe(want.length);
  g.forEach((v, i) => expect({ i, diff: Math.abs(v - want[i]) < tol }).toEqual({ i, diff: true }));
};

describe('image.rgbToHsv and image.hsvToRgb', () => {
  it('match colorsys on one image [2, 3, 3]', () => {
    const rgb = ts.tensor(RGB.flat(), [2, 3, 3]);
    const hsv = ts.image.rgbToHsv(rgb);
    expect(hsv.shape).toEqual([2, 3, 3]);
    expectClose(hsv, HSV.flat());
    expectClose(ts.image.hsvToRgb(ts.tensor(HSV.flat(), [2, 3, 3])), RGB.flat());
  });

  it('take batches and channels-first images', () => {
    const nhwc = ts.tensor(RGB.flat(), [1, 2, 3, 3], 'float64');
    const nchw = ts.transpose(nhwc, [0, 3, 1, 2]);
    const hsv = ts.image.rgbToHsv(nchw, { dataFormat: 'channelsFirst' });
    expect([hsv.shape, hsv.dtype]).toEqual([[1, 3, 2, 3], 'float64']);
    expectClose(ts.transpose(hsv, [0, 2, 3, 1]), HSV.flat(), 1e-12);
    expectClose(ts.image.hsvToRgb(hsv, { dataFormat: 'channelsFirst' }), Array.from(nchw.dataSync()), 1e-12);
  });

  it('round-trip random images', () => {
    const rgb = ts.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 3);
    expectClose(ts.image.hsvToRgb(ts.image.rgbToHsv(rgb)), Array.from(rgb.dataSync()), 1e-5);
  });

  it('raise clear errors', () => {
    expect(() => ts.image.rgbToHsv(ts.zeros([2, 2, 4]))).toThrow(/image\.rgbToHsv: expected 3 channels \(channelsLast\), got 4 in shape \[2, 2, 4\]/);
    expect(() => ts.image.hsvToRgb(ts.zeros([2, 3]))).toThrow(/image\.hsvToRgb: expected images of rank 3 \(one image\) or 4 \(a batch\), got shape \[2, 3\]/);
    expect(() => ts.image.rgbToHsv(ts.zeros([2, 2, 3], 'int32'))).toThrow(/^image\.rgbToHsv: .*images.*int32/);
    expect(() => ts.image.rgbToHsv(ts.zeros([2, 2, 3]), { dataFormat: 'NCHW' as never })).toThrow(
      /image\.rgbToHsv: expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCHW'/,
    );
    expect(() => ts.image.rgbToHsv(ts.zeros([2, 2, 3]), { format: 'x' } as never)).toThrow(/image\.rgbToHsv.*format/);
  });
});
