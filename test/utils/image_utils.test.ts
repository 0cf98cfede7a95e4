// utils.imgToArray / arrayToImg against Keras 3's img_to_array / array_to_img
// (keras/src/utils/image_utils.py): scale is x - min, / max, * 255, then astype('uint8').
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { data, tensor, utils } from '../../src';

describe('utils.imgToArray / arrayToImg', () => {
  test("arrayToImg scales and truncates as Keras's array_to_img", () => {
    const x = tensor([
      [
        [0, 1, 2],
        [3, 4, 5.5],
      ],
    ]); // [1, 2, 3]
    const img = utils.arrayToImg(x);
    expect([img.height, img.width, img.channels]).toEqual([1, 2, 3]);
    // 255 * [0, 1, 2, 3, 4, 5.5] / 5.5 = 0, 46.36, 92.73, 139.09, 185.45, 255 -> truncated
    expect(Array.from(img.data)).toEqual([0, 46, 92, 139, 185, 255]);
    expect(Array.from(utils.arrayToImg(x, { scale: false }).data)).toEqual([0, 1, 2, 3, 4, 5]);
    // channels first: [channels, height, width]
    const cf = utils.arrayToImg(tensor([[[10, 20]], [[30, 40]], [[50, 60]]]), { dataFormat: 'channels_first', scale: false });
    expect([cf.height, cf.width, cf.channels, ...cf.data]).toEqual([1, 2, 3, 10, 30, 50, 20, 40, 60]);
  });

  test('imgToArray gives float32 [h, w, c] (or channels first) and round-trips through a PNG file', () => {
    const img = utils.arrayToImg(
      tensor([
        [[1], [2]],
        [[3], [250]],
      ]),
      { scale: false },
    );
    const x = utils.imgToArray(img);
    expect([x.shape, x.dtype, Array.from(x.dataSync())]).toEqual([[2, 2, 1], 'float32', [1, 2, 3, 250]]);
    expect(utils.imgToArray(img, { dataFormat: 'channelsFirst', dtype: 'int32' }).shape).toEqual([1, 2, 2]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'img-')), 'a.png');
    data.saveImage(file, utils.imgToArray(img), { scale: false });
    expect(Array.from(data.loadImage(file, { colorMode: 'grayscale' }).dataSync())).toEqual([1, 2, 3, 250]);
  });

  test("imgToArray takes loadImg's tensor, as Keras's img_to_array(load_img(path)) takes its array", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'img-')), 'b.png');
    data.saveImage(
      file,
      tensor([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]),
      { scale: false },
    );
    const img = utils.loadImg(file);
    const x = utils.imgToArray(img);
    expect([x.shape, x.dtype, Array.from(x.dataSync())]).toEqual([[1, 2, 3], 'float32', [1, 2, 3, 4, 5, 6]]);
    expect(x).not.toBe(img); // a copy: disposing one leaves the other
    const cf = utils.imgToArray(img, { dataFormat: 'channels_first', dtype: 'int32' });
    expect([cf.shape, cf.dtype, Array.from(cf.dataSync())]).toEqual([[3, 1, 2], 'int32', [1, 4, 2, 5, 3, 6]]);
    // A 2-D array gains a channels axis (Keras: reshape to (h, w, 1) or (1, h, w)).
    expect(utils.imgToArray(tensor([[1, 2]])).shape).toEqual([1, 2, 1]);
    expect(utils.imgToArray(tensor([[1, 2]]), { dataFormat: 'channelsFirst' }).shape).toEqual([1, 1, 2]);
    expect(() => utils.imgToArray(tensor([1, 2]))).toThrow(/utils.imgToArray: expected an image tensor of rank 2 or 3, got a Tensor \(shape \[2\]/);
  });

  test('bad arguments', () => {
    expect(() => utils.arrayToImg(tensor([[1, 2]]))).toThrow(
      /utils.arrayToImg: expected image array to have rank 3 \(single image\), got a tensor of shape \[1, 2\]/,
    );
    expect(() => utils.arrayToImg(tensor([[[1, 2]]]))).toThrow(/unsupported channel number: 2/);
    expect(() => utils.arrayToImg(tensor([[[300]]]), { scale: false })).toThrow(/expected pixel values in 0-255, got 300 \(pass scale: true/);
    expect(() => utils.arrayToImg(tensor([[[1]]]), { dataFormat: 'nhwc' as never })).toThrow(/expected dataFormat 'channelsLast' or 'channelsFirst'/);
    expect(() => utils.imgToArray({ width: 2, height: 2, channels: 3, data: new Uint8Array(3) })).toThrow(/utils.imgToArray: expected an image/);
    expect(() => utils.imgToArray(utils.arrayToImg(tensor([[[1]]])), { dtype: 'float' as never })).toThrow(/utils.imgToArray/);
  });
});
