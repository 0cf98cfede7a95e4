// The standard models of bench:train (and bench/distributed.ts), on Fashion-MNIST-shaped
// inputs.
import * as ts from '../src';

export type Builder = () => ts.Model;
export const BATCH = 128;

export const MODELS: Record<string, { build: Builder; sequence: boolean }> = {
  mlp: {
    sequence: false,
    build: () =>
      ts.sequential({
        layers: [
          ts.layers.flatten({ inputShape: [28, 28, 1] }),
          ts.layers.dense({ units: 256, activation: 'relu' }),
          ts.layers.dense({ units: 128, activation: 'relu' }),
          ts.layers.dense({ units: 10 }),
        ],
      }),
  },
  cnn: { sequence: false, build: () => cnn(false) },
  cnn_bn: { sequence: false, build: () => cnn(true) },
  lstm: { sequence: true, build: () => recurrent('lstm') },
  gru: { sequence: true, build: () => recurrent('gru') },
};

function cnn(batchNorm: boolean): ts.Model {
  const L = ts.layers as unknown as Record<string, (a: object) => ts.layers.Layer>;
  const block = (filters: number, first: boolean) => [
    L.conv2d({ filters, kernelSize: 3, padding: 'same', activation: batchNorm ? 'linear' : 'relu', ...(first ? { inputShape: [28, 28, 1] } : {}) }),
    ...(batchNorm ? [L.batchNormalization({}), L.activation({ activation: 'relu' })] : []),
    L.maxPooling2d({ poolSize: 2 }),
  ];
  return ts.sequential({
    layers: [
      ...block(32, true),
      ...block(64, false),
      L.flatten({}),
      L.dense({ units: 128, activation: 'relu' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 10 }),
    ],
  });
}

function recurrent(kind: 'lstm' | 'gru'): ts.Model {
  const L = ts.layers as unknown as Record<string, (a: object) => ts.layers.Layer>;
  return ts.sequential({ layers: [L[kind]({ units: 128, inputShape: [28, 28] }), L.dense({ units: 10 })] });
}
