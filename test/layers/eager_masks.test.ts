// Keras masks carried by eager tensors (Keras 3's _keras_mask): the output of an Embedding
// with maskZero (or of Masking) passes its mask to the next layer applied to it, as a
// functional model passes it; a mask given explicitly wins; nothing leaks.
import { Model, input, layers, model, setSeed, tensor, tidy, type Tensor } from '../../src';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose } from '../helpers/reference';

// Same shape and values within 1e-6.
function expectSame(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  expectClose(got.dataSync(), want.dataSync(), 0, 1e-6);
}

const ids = (rows: number[][]) => tensor(rows, [rows.length, rows[0].length], 'int32');

describe('masks on eager tensors', () => {
  beforeEach(() => setSeed(5));

  it.each(['lstm', 'gru', 'simpleRNN'] as const)("%s skips an Embedding's padding: padded and unpadded give one output", (kind) => {
    const embedding = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const rnn = (layers[kind] as (args: { units: number }) => ReturnType<typeof layers.lstm>)({ units: 3 });
    const padded = rnn.apply(embedding.apply(ids([[4, 5, 6, 0, 0]]))) as Tensor;
    const prePadded = rnn.apply(embedding.apply(ids([[0, 0, 4, 5, 6]]))) as Tensor;
    const plain = rnn.apply(embedding.apply(ids([[4, 5, 6]]))) as Tensor;
    expectSame(padded, plain);
    expectSame(prePadded, plain);
  });

  it('passes through mask-keeping layers: bidirectional lstm, then a masked global average', () => {
    const embedding = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const bi = layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }) });
    const pool = layers.globalAveragePooling1d();
    const run = (rows: number[][]) => pool.apply(bi.apply(embedding.apply(ids(rows)))) as Tensor;
    expectSame(run([[4, 5, 6, 0, 0]]), run([[4, 5, 6]]));
  });

  it('a Masking layer masks the all-mask-value steps for the next layer', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 4],
        [0, 0],
      ],
    ]);
    const rnn = layers.simpleRNN({ units: 2 });
    const masked = rnn.apply(layers.masking({ maskValue: 0 }).apply(x)) as Tensor;
    expectSame(
      masked,
      rnn.apply(
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
        ]),
      ) as Tensor,
    );
  });

  it('a mask given to apply wins over the carried one', () => {
    const embedding = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const rnn = layers.lstm({ units: 3 });
    const h = embedding.apply(ids([[4, 5, 6, 0, 0]])) as Tensor;
    const allReal = rnn.apply(h, { mask: tensor([[true, true, true, true, true]], [1, 5], 'bool') }) as Tensor;
    const unmaskedInput = tensor(h.arraySync() as number[][][]);
    expectSame(allReal, rnn.apply(unmaskedInput) as Tensor);
  });

  it('the mask survives a tidy that keeps only the output, and eager masking leaks no tensor', () => {
    const embedding = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const rnn = layers.lstm({ units: 3 });
    const h = tidy(() => embedding.apply(ids([[4, 5, 6, 0, 0]])) as Tensor);
    expectSame(rnn.apply(h) as Tensor, rnn.apply(embedding.apply(ids([[4, 5, 6]]))) as Tensor);
    expectNoLeaks(() => tidy(() => void rnn.apply(embedding.apply(ids([[4, 5, 6, 0, 0]])))));
  });

  it("a subclassed model's call skips padding as Keras's does, in predict and in fit", async () => {
    class Classifier extends Model {
      embedding = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
      rnn = layers.lstm({ units: 3 });
      head = layers.dense({ units: 1 });
      override call(x: Tensor): Tensor {
        return this.head.apply(this.rnn.apply(this.embedding.apply(x)));
      }
    }
    const model = new Classifier();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const padded = ids([[4, 5, 6, 0, 0]]);
    expectSame(model.predict(padded) as Tensor, model.predict(ids([[4, 5, 6]])) as Tensor);
    await model.fit(
      ids([
        [4, 5, 6, 0, 0],
        [7, 0, 0, 0, 0],
      ]),
      tensor([[1], [0]]),
      { epochs: 2, verbose: 0 },
    );
    expectSame(model.predict(padded) as Tensor, model.predict(ids([[4, 5, 6]])) as Tensor);
  });

  it("inside a layer's call its inputs carry no mask (it has them in options.mask): transformer blocks agree eagerly and in a functional model", () => {
    const tokens = ids([
      [3, 4, 5, 0, 0],
      [1, 2, 0, 0, 0],
    ]);
    const embed = layers.tokenAndPositionEmbedding({ vocabularySize: 10, sequenceLength: 5, embeddingDim: 8, maskZero: true });
    const encoder = layers.transformerEncoder({ intermediateDim: 8, numHeads: 2 });
    const decoder = layers.transformerDecoder({ intermediateDim: 8, numHeads: 2 });
    const text = input({ shape: [5], dtype: 'int32' });
    const encoded = encoder.apply(embed.apply(text));
    const functional = model({ inputs: text, outputs: [encoded, decoder.apply(encoded)] });
    const eagerEncoded = encoder.apply(embed.apply(tokens) as Tensor) as Tensor;
    const [wantEncoded, wantDecoded] = functional.predict(tokens) as Tensor[];
    expectSame(eagerEncoded, wantEncoded);
    expectSame(decoder.apply(eagerEncoded) as Tensor, wantDecoded);
  });

  it('a layer that drops a mask (neither supports masking nor reads it) says so once, naming itself', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const embedding = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true });
      const conv = layers.conv1d({ filters: 2, kernelSize: 2, name: 'my_conv' });
      conv.apply(embedding.apply(ids([[4, 5, 0, 0]])));
      conv.apply(embedding.apply(ids([[4, 5, 0, 0]])));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/my_conv \(Conv1D\): was passed an input with a mask .* does not support masking: it drops the mask/);
      warn.mockClear();
      const reads = layers.lambda({ function: (t: Tensor, o?: { mask?: unknown }) => (void o?.mask, t) });
      layers.lstm({ units: 2 }).apply(reads.apply(embedding.apply(ids([[4, 5, 0, 0]]))) as Tensor);
      layers.dense({ units: 2 }).apply(embedding.apply(ids([[4, 5, 0, 0]])));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
