// Bidirectional recurrent models written by TensorFlow.js 4.22 itself (see
// test/fixtures/tfjs/bidirectional/make_fixtures.mjs): they load and predict what
// TensorFlow.js predicted, and what Keras's definition gives.
//
// Keras's definition (keras/src/layers/rnn/bidirectional.py): the backward layer is the
// layer with go_backwards flipped; an RNN with go_backwards returns its sequence in the
// order it ran (last step first), so with return_sequences Bidirectional flips it back
// into time order before merging. TensorFlow.js's wrappers.ts does the same, and so does
// Tessera: neither side departs there. The 2e-2 difference came from loading: the
// TensorFlow.js rules (its 'hard_sigmoid' is clip(0.2 x + 0.5), Keras 3's is
// relu6(x + 3) / 6) were applied to top-level layers only, not to the GRU or LSTM
// inside the wrapper; returnSequences false differed as much.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, sequential, tensor, type Tensor } from '../../src';
import { Bidirectional, deserializeLayer, serializeLayer } from '../../src/layers';
import type { RNN } from '../../src/layers/recurrent';
import { expectClose } from '../helpers/reference';
import { tempDir, tfjsFolder } from './helpers';

const root = path.resolve(__dirname, '..', 'fixtures', 'tfjs', 'bidirectional');
const names = fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, 'model.json')));

interface IO {
  input: { shape: number[]; values: number[] };
  output: { shape: number[]; values: number[] };
}

// [batch, time, units] values with the time axis reversed.
function reverseTime(values: ArrayLike<number>, [batch, time, units]: number[]): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch; b++) for (let t = time - 1; t >= 0; t--) for (let u = 0; u < units; u++) out.push(values[(b * time + t) * units + u]);
  return out;
}

// Keras's merge of the forward output and the (time-ordered) backward output.
function merge(mode: string, y: number[], yRev: number[], units: number): number[] {
  if (mode === 'concat') {
    const out: number[] = [];
    for (let r = 0; r < y.length / units; r++) out.push(...y.slice(r * units, (r + 1) * units), ...yRev.slice(r * units, (r + 1) * units));
    return out;
  }
  const f = { sum: (a: number, b: number) => a + b, mul: (a: number, b: number) => a * b, ave: (a: number, b: number) => (a + b) / 2 }[mode]!;
  return y.map((v, i) => f(v, yRev[i]));
}

// The same recurrent layer and weights, its direction set to `goBackwards`.
function withDirection(layer: RNN<any>, goBackwards: boolean, x: Tensor): RNN<any> {
  const { className, config } = serializeLayer(layer);
  const copy = deserializeLayer({ className, config: { ...config, name: `${layer.name}_${goBackwards ? 'backwards' : 'forwards'}`, goBackwards } }) as RNN<any>;
  copy.apply(x);
  copy.setWeights(layer.getWeights());
  return copy;
}

test('the fixtures are all there', () => {
  expect(names.sort()).toEqual([
    'gru-last-ave',
    'gru-sequences-ave',
    'gru-sequences-concat',
    'gru-sequences-mul',
    'lstm-last-concat',
    'lstm-sequences-concat',
    'lstm-sequences-sum',
  ]);
});

describe.each(names)('%s', (name) => {
  const dir = path.join(root, name);
  const io: IO = JSON.parse(fs.readFileSync(path.join(dir, 'io.json'), 'utf8'));
  const x = () => tensor(io.input.values, io.input.shape);

  test('loads and predicts what TensorFlow.js predicted', async () => {
    const m = await loadModel(dir);
    const y = m.apply(x()) as Tensor;
    expect(y.shape).toEqual(io.output.shape);
    expectClose(Array.from(y.dataSync()), io.output.values, 1e-5);
  });

  test("the nested layers keep TensorFlow.js's meaning (hard_sigmoid is the legacy one)", async () => {
    const bi = (await loadModel(dir)).layers[0] as Bidirectional;
    for (const l of [bi.forwardLayer, bi.backwardLayer]) expect(l.getConfig().recurrentActivation).toBe('legacyHardSigmoid');
  });

  test("equals Keras's definition: forward run, backward run flipped back to time order, merged", async () => {
    const bi = (await loadModel(dir)).layers[0] as Bidirectional;
    const input = x();
    const y = Array.from((bi.forwardLayer.apply(input) as Tensor).dataSync());
    const backward = bi.backwardLayer.apply(input) as Tensor;
    const units = bi.forwardLayer.cell.units;
    // go_backwards returns the sequence in the order it ran: the same as running forwards over the reversed input.
    const reversedInput = tensor(reverseTime(io.input.values, io.input.shape), io.input.shape);
    const forwardsOverReversed = withDirection(bi.backwardLayer, false, input).apply(reversedInput) as Tensor;
    expectClose(Array.from(backward.dataSync()), Array.from(forwardsOverReversed.dataSync()), 1e-6);
    const yRev = bi.returnSequences ? reverseTime(backward.dataSync(), backward.shape) : Array.from(backward.dataSync());
    expectClose(Array.from((bi.apply(input) as Tensor).dataSync()), merge(bi.mergeMode as string, y, yRev, units), 1e-6);
  });
});

describe('nested recurrent layers saved in TensorFlow.js format', () => {
  const dir = tempDir();
  const x = tensor(
    Array.from({ length: 36 }, (_, i) => Math.sin(i * 1.3)),
    [2, 6, 3],
  );

  test.each(['sigmoid', 'legacyHardSigmoid'])('bidirectional(gru(recurrentActivation %s)): TensorFlow.js predicts the same', async (recurrentActivation) => {
    const m = sequential({
      layers: [layers.bidirectional({ layer: layers.gru({ units: 4, returnSequences: true, recurrentActivation, resetAfter: false }), inputShape: [6, 3] })],
    });
    const where = path.join(dir, recurrentActivation);
    await m.save(where);
    const theirs = (await tf.loadLayersModel(tfjsFolder(tf, where))).predict(tf.tensor(Array.from(x.dataSync()), [2, 6, 3])) as tf.Tensor;
    expectClose(Array.from(theirs.dataSync()), Array.from((m.apply(x) as Tensor).dataSync()), 1e-5);
  });

  test("Keras 3's hardSigmoid inside a wrapper cannot be written as TensorFlow.js's", async () => {
    const m = sequential({
      layers: [layers.bidirectional({ layer: layers.lstm({ units: 2, recurrentActivation: 'hardSigmoid', name: 'inner' }), inputShape: [6, 3] })],
    });
    await expect(m.save(path.join(dir, 'hard'))).rejects.toThrow(
      /forward_inner: recurrentActivation hardSigmoid .* means a different function in TensorFlow.js/,
    );
  });
});
