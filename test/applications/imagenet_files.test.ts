// weights: 'imagenet' asks utils.getFile for exactly Keras 3.15's file: its name, URL and
// md5 (from keras/src/applications/*.py). getFile is replaced here: no network in tests.
import * as ts from '../../src';

jest.mock('../../src/utils/get_file', () => ({
  getFile: jest.fn(async () => {
    throw new Error('offline: the test stops at the download');
  }),
}));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the mocked module, read after jest.mock replaced it
const { getFile } = require('../../src/utils/get_file') as { getFile: jest.Mock };

const KERAS = 'https://storage.googleapis.com/tensorflow/keras-applications/';
const cases: [string, () => Promise<unknown>, string, string, string][] = [
  [
    'ResNet50V2 with the top',
    () => ts.applications.ResNet50V2(),
    'resnet50v2_weights_tf_dim_ordering_tf_kernels.h5',
    `${KERAS}resnet/resnet50v2_weights_tf_dim_ordering_tf_kernels.h5`,
    '3ef43a0b657b3be2300d5770ece849e0',
  ],
  [
    'VGG16 without',
    () => ts.applications.VGG16({ includeTop: false, inputShape: [32, 32, 3] }),
    'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
    `${KERAS}vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`,
    '6d6bbae143d832006294945121d1f1fc',
  ],
  [
    'InceptionResNetV2 without',
    () => ts.applications.InceptionResNetV2({ includeTop: false, inputShape: [75, 75, 3] }),
    'inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5',
    `${KERAS}inception_resnet_v2/inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5`,
    'd19885ff4a710c122648d3b5c3b684e4',
  ],
  [
    'DenseNet121 with the top',
    () => ts.applications.DenseNet121(),
    'densenet121_weights_tf_dim_ordering_tf_kernels.h5',
    `${KERAS}densenet/densenet121_weights_tf_dim_ordering_tf_kernels.h5`,
    '9d60b8095a5708f2dcce2bca79d332c7',
  ],
];

test.each(cases)("weights 'imagenet', %s: Keras's file, URL and hash", async (_, build, file, url, hash) => {
  getFile.mockClear();
  await expect(build()).rejects.toThrow(/offline/);
  expect(getFile).toHaveBeenCalledWith(file, url, { cacheSubdir: 'models', fileHash: hash });
});
