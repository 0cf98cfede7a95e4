// The model the atomic-save tests save: large enough (about 1 MB of weights) that a
// save takes a while, so kills and reads land in the middle of one.
import { layers, sequential, type Model } from '../../../src';

export const saverModel = (): Model<any> =>
  sequential({ name: 'saver', layers: [layers.dense({ units: 512, inputShape: [512], name: 'wide' }), layers.dense({ units: 4, name: 'narrow' })] });
