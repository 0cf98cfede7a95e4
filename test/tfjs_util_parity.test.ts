// ts.util against TensorFlow.js's tf.util: the same results for the same (valid) calls, and
// an error naming the function where TensorFlow.js would return NaN, loop or fail inside.
import * as tf from '@tensorflow/tfjs-core';
import * as ts from '../src';

const tfu = tf.util;

describe('util: the same results as tf.util', () => {
  it("has every tf.util function but TensorFlow.js's internal ones", () => {
    // Backend storage (createScalarValue, convertBackendValuesAndArrayBuffer) and the
    // Long-valued hashes of its string ops (fingerPrint64, hexToLong): nothing here uses them.
    const internal = ['convertBackendValuesAndArrayBuffer', 'createScalarValue', 'fingerPrint64', 'hexToLong'];
    expect(Object.keys(tfu).filter((k) => !(k in ts.util) && !internal.includes(k))).toEqual([]);
  });

  it('arithmetic: clamp, nearestLargerEven, sum, distSquared, isInt, tanh, nearestDivisor', () => {
    for (const [min, x, max] of [
      [0, -3, 5],
      [0, 3, 5],
      [0, 9, 5],
      [-Infinity, 2, Infinity],
    ])
      expect(ts.util.clamp(min, x, max)).toBe(tfu.clamp(min, x, max));
    for (const v of [0, 1, 2, 7, -3, -4]) expect(ts.util.nearestLargerEven(v)).toBe(tfu.nearestLargerEven(v));
    for (const a of [[], [1, 2, 3.5], Float32Array.from([0.1, 0.2]), Int32Array.from([4, -5])]) expect(ts.util.sum(a)).toBe(tfu.sum(a as number[]));
    expect(ts.util.distSquared([1, 2, 3], Float32Array.from([4, 0, 3]))).toBe(tfu.distSquared([1, 2, 3], Float32Array.from([4, 0, 3])));
    for (const v of [0, 1.5, -2, 1e21, Infinity, NaN]) expect(ts.util.isInt(v)).toBe(tfu.isInt(v));
    for (const v of [0, 0.5, -3, 30, Infinity, -Infinity]) expect(ts.util.tanh(v)).toBe(tfu.tanh(v));
    for (let size = 1; size <= 200; size++)
      for (const start of [1, 2, 3, 5, 7, 13, 50, 250])
        expect([size, start, ts.util.nearestDivisor(size, start)]).toEqual([size, start, tfu.nearestDivisor(size, start)]);
    // a large prime answers at once (TensorFlow.js counts up to it)
    expect(ts.util.nearestDivisor(2147483647, 2)).toBe(2147483647);
    expect(ts.util.nearestDivisor(2 * 1000003, 3)).toBe(1000003);
    const a = [1, 2, 3];
    const b = [1, 2, 3];
    ts.util.swap(a, 0, 2);
    tfu.swap(b, 0, 2);
    expect(a).toEqual(b);
  });

  it('randUniform lies between a and b, and setSeed repeats it', () => {
    ts.setSeed(3);
    const x = ts.util.randUniform(2, 5);
    expect(x).toBeGreaterThanOrEqual(2);
    expect(x).toBeLessThan(5);
    ts.setSeed(3);
    expect(ts.util.randUniform(2, 5)).toBe(x);
  });

  it('shapes: sizeToSquarishShape, inferFromImplicitShape, parseAxisParam, squeezeShape, computeStrides, locToIndex, indexToLoc', () => {
    for (const n of [0, 1, 2, 5, 17, 100]) expect(ts.util.sizeToSquarishShape(n)).toEqual(tfu.sizeToSquarishShape(n));
    for (const [shape, size] of [
      [[2, -1], 8],
      [[-1], 0],
      [[2, 3], 6],
      [[2, 3], 0],
      [[-1, 4, 1], 12],
    ] as [number[], number][])
      expect(ts.util.inferFromImplicitShape(shape, size)).toEqual(tfu.inferFromImplicitShape(shape, size));
    for (const axis of [null, undefined, 0, -1, [0, 2], [-3, 1], []])
      expect(ts.util.parseAxisParam(axis, [2, 3, 4])).toEqual(tfu.parseAxisParam(axis as number[], [2, 3, 4]));
    for (const [shape, axis] of [
      [[1, 2, 1, 3], undefined],
      [[1, 2, 1, 3], []],
      [[1, 2, 1, 3], [0]],
      [
        [1, 2, 1, 3],
        [2, 0],
      ],
      [[1, 2, 1, 3], [-2]],
      [[1, 1], undefined],
    ] as [number[], number[] | undefined][])
      expect(ts.util.squeezeShape(shape, axis)).toEqual(tfu.squeezeShape(shape, axis));
    for (const shape of [[], [5], [2, 3], [2, 3, 4, 5]]) {
      const strides = ts.util.computeStrides(shape);
      expect(strides).toEqual(tfu.computeStrides(shape));
      const rank = shape.length;
      for (let i = 0; i < ts.util.sizeFromShape(shape); i += 7) {
        const loc = ts.util.indexToLoc(i, rank, strides);
        expect(loc).toEqual(tfu.indexToLoc(i, rank, strides));
        expect(ts.util.locToIndex(loc, rank, strides)).toBe(tfu.locToIndex(loc, rank, strides));
        if (rank > 0) expect(ts.util.locToIndex(loc, rank, strides)).toBe(i);
      }
    }
    for (const shape of [[], [2], [0, 3]]) expect(ts.util.isScalarShape(shape)).toBe(tfu.isScalarShape(shape));
    for (const [p, q] of [
      [
        [1, 2],
        [1, 2],
      ],
      [[1, 2], [1]],
      [null, null],
      [[1], null],
      [Int32Array.from([1, 2]), [1, 2]],
    ] as [number[], number[]][])
      expect(ts.util.arraysEqual(p, q)).toBe(tfu.arraysEqual(p, q));
    expect(ts.util.arraysEqualWithNull([1, null, 3], [1, 2, 3])).toBe(tfu.arraysEqualWithNull([1, null as never, 3], [1, 2, 3]));
    expect(ts.util.arraysEqualWithNull([1, null, 3], [1, 2, 4])).toBe(false);
    expect(() => ts.util.assertShapesMatch([2, 3], [2, 3])).not.toThrow();
    expect(() => ts.util.assertShapesMatch([2, 3], [3, 2], 'In myOp:')).toThrow('In myOp: Shapes 2,3 and 3,2 must match');
    expect(() => tfu.assertShapesMatch([2, 3], [3, 2], 'In myOp:')).toThrow('In myOp: Shapes 2,3 and 3,2 must match');
    expect(() => ts.util.assertNonNegativeIntegerDimensions([2, 0])).not.toThrow();
  });

  it('dtypes and typed arrays', () => {
    for (const dt of ['float32', 'int32', 'bool', undefined] as const) {
      for (const f of ['getTypedArrayFromDType', 'getArrayFromDType'] as const) {
        const mine = ts.util[f](dt, 3);
        const theirs = (tfu[f] as (d: unknown, n: number) => Float32Array)(dt, 3);
        expect(mine.constructor).toBe(theirs.constructor);
        expect(Array.from(mine)).toEqual(Array.from(theirs as Float32Array));
      }
      for (const f of ['makeZerosTypedArray', 'makeOnesTypedArray'] as const) {
        const mine = ts.util[f](4, dt);
        const theirs = tfu[f](4, dt as 'float32');
        expect(mine.constructor).toBe(theirs.constructor);
        expect(Array.from(mine)).toEqual(Array.from(theirs));
      }
      expect(ts.util.makeZerosNestedTypedArray([2, 3], dt)).toEqual(tfu.makeZerosNestedTypedArray([2, 3], dt as 'float32'));
      expect(ts.util.bytesPerElement(dt ?? 'float32')).toBe(tfu.bytesPerElement(dt ?? 'float32'));
    }
    expect(ts.util.getArrayFromDType('float64', 2)).toBeInstanceOf(Float64Array);
    expect(ts.util.bytesPerElement('float64')).toBe(8);
    expect(ts.util.makeZerosNestedTypedArray([], 'int32')).toBe(0);
    for (const shape of [[], [6], [2, 3], [3, 2, 1], [0, 2]]) {
      const a = Float32Array.from({ length: ts.util.sizeFromShape(shape) }, (_, i) => i);
      expect(ts.util.toNestedArray(shape, a)).toEqual(tfu.toNestedArray(shape, a));
    }
    const dts = ['float32', 'int32', 'bool'] as const;
    for (const from of dts) for (const to of dts) expect([from, to, ts.util.hasEncodingLoss(from, to)]).toEqual([from, to, tfu.hasEncodingLoss(from, to)]);
    expect(ts.util.hasEncodingLoss('float64', 'float32')).toBe(true);
    expect(ts.util.hasEncodingLoss('int32', 'float64')).toBe(false);
    for (const d of ['float32', 'int32', 'bool', 'int64', 7, undefined]) expect(ts.util.isValidDtype(d)).toBe(tfu.isValidDtype(d as 'float32'));
    expect(ts.util.isValidDtype('float64')).toBe(true);
    expect(ts.util.isValidDtype('string')).toBe(false); // TensorFlow.js: true; Tessera has no string tensors
    for (const v of [
      [1, 2],
      [[true]],
      Float32Array.from([1]),
      Int32Array.from([1]),
      new Uint8Array(1),
      new Uint8ClampedArray(1),
      3,
      true,
      [[[2]]],
      undefined,
      {},
    ])
      expect(ts.util.inferDtype(v)).toBe(tfu.inferDtype(v as number[]));
    expect(ts.util.inferDtype(new Float64Array(1))).toBe('float64');
    for (const v of [new Float32Array(1), new Int32Array(1), new Uint8Array(1), new Uint8ClampedArray(1), [1], 'x', null, new Int16Array(1)])
      expect(ts.util.isTypedArray(v)).toBe(tfu.isTypedArray(v as never));
    expect(ts.util.isTypedArray(new Float64Array(1))).toBe(true);
    for (const dt of dts) {
      for (const a of [
        [
          [1.4, 0.4],
          [-0.6, 2],
        ],
        Float32Array.from([0.5, 3]),
        Int32Array.from([0, 7]),
        [true, false],
      ]) {
        const mine = ts.util.toTypedArray(a as unknown as number[], dt);
        const theirs = tfu.toTypedArray(a as unknown as number[], dt);
        expect(mine.constructor).toBe(theirs.constructor);
        expect(Array.from(mine)).toEqual(Array.from(theirs));
      }
    }
    const same = Float32Array.from([1]);
    expect(ts.util.toTypedArray(same, 'float32')).toBe(same);
    expect(ts.util.toTypedArray([1.5], 'float64')).toEqual(Float64Array.from([1.5]));
    expect(() => ts.util.checkConversionForErrors([1, 2], 'float32')).not.toThrow();
    expect(() => ts.util.checkConversionForErrors([1, NaN], 'float32')).toThrow(
      'util.checkConversionForErrors: A tensor of type float32 being uploaded contains NaN.',
    );
    expect(() => tfu.checkConversionForErrors([1, NaN], 'float32')).toThrow('A tensor of type float32 being uploaded contains NaN.');
  });

  it('values and strings', () => {
    const values: unknown[] = [
      1,
      NaN,
      'a',
      new String('b'),
      true,
      null,
      undefined,
      {},
      [],
      () => 1,
      class {},
      Promise.resolve(1),
      { then: () => 1 },
      { then: 1 },
      0,
    ];
    for (const v of values) {
      expect(ts.util.isString(v)).toBe(tfu.isString(v as never));
      expect(ts.util.isBoolean(v)).toBe(tfu.isBoolean(v as never));
      expect(ts.util.isNumber(v)).toBe(tfu.isNumber(v as never));
      expect(ts.util.isFunction(v)).toBe(tfu.isFunction(v as never));
      expect(ts.util.isPromise(v)).toBe(Boolean(tfu.isPromise(v)));
    }
    for (const [s, n] of [
      ['ab', 5],
      ['abc', 2],
      ['', 0],
    ] as [string, number][])
      expect(ts.util.rightPad(s, n)).toBe(tfu.rightPad(s, n));
    for (const s of ['', 'héllo', '日本', '😀']) {
      const bytes = ts.util.encodeString(s);
      expect(Array.from(bytes)).toEqual(Array.from(tfu.encodeString(s)));
      expect(ts.util.decodeString(bytes)).toBe(tfu.decodeString(bytes));
    }
    const latin = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]);
    expect(ts.util.decodeString(latin, 'latin1')).toBe(tfu.decodeString(latin, 'latin1'));
    const encoded = ['a', 'bé'].map((s) => ts.util.encodeString(s));
    expect(ts.util.bytesFromStringArray(encoded)).toBe(tfu.bytesFromStringArray(encoded));
    expect(ts.util.bytesFromStringArray(null)).toBe(0);
    expect(() => ts.util.assertNonNull(0)).not.toThrow();
    expect(() => ts.util.assertNonNull(null)).toThrow('util.assertNonNull: expected a non-null value, got null');
    expect(() => ts.util.assert(false, 'as a string')).toThrow('as a string');
  });

  it('repeatedTry and fetch', async () => {
    let n = 0;
    const delays: number[] = [];
    await ts.util.repeatedTry(
      () => ++n === 3,
      (c) => c,
      5,
      (fn, delay) => {
        delays.push(delay);
        fn();
      },
    );
    expect([n, delays]).toEqual([3, [1, 2]]);
    await expect(ts.util.repeatedTry(() => false, undefined, 2)).rejects.toThrow('util.repeatedTry: checkFn was still false after 2 tries (maxCounter)');
    await expect(
      ts.util.repeatedTry(
        () => false,
        () => -1,
      ),
    ).rejects.toThrow(/util.repeatedTry: expected delayFn to return a delay from 0 to 2147483647 ms, got -1/);
    await expect(ts.util.repeatedTry((async () => false) as never)).rejects.toThrow(/^util.repeatedTry: expected checkFn to return true or false, got/);
    const response = await ts.util.fetch('data:text/plain,hello');
    expect(await response.text()).toBe('hello');
    await expect(ts.util.fetch('not a url')).rejects.toThrow(/^util.fetch: could not fetch not a url: /);
  });
});

describe('util: says what is wrong', () => {
  it.each([
    ['clamp', () => ts.util.clamp(0, 'x' as never, 1), /^util.clamp: expected x to be a number, got 'x' \(a string\)/],
    ['nearestLargerEven', () => ts.util.nearestLargerEven(1.5), /^util.nearestLargerEven: expected val to be an integer/],
    ['sum', () => ts.util.sum([1, '2'] as never), /^util.sum: expected arr to hold numbers, got '2' \(a string\) at index 1/],
    ['distSquared', () => ts.util.distSquared([1], [1, 2]), /^util.distSquared: the arrays differ in length \(1 and 2\)/],
    ['nearestDivisor', () => ts.util.nearestDivisor(10, 0), /^util.nearestDivisor: expected start to be an integer >= 1, got 0/],
    ['swap', () => ts.util.swap([1, 2], 0, 2), /^util.swap: expected right to be an integer from 0 to 1, got 2/],
    ['inferFromImplicitShape', () => ts.util.inferFromImplicitShape([-1, -1], 4), /^util.inferFromImplicitShape: a shape can have one -1 only/],
    ['inferFromImplicitShape', () => ts.util.inferFromImplicitShape([-1, 3], 4), /would be fractional: 4 \/ 3/],
    ['inferFromImplicitShape', () => ts.util.inferFromImplicitShape([2, 3], 4), /size 4 does not match the product of shape \[2,3\] \(6\)/],
    ['parseAxisParam', () => ts.util.parseAxisParam(3, [2, 3]), /^util.parseAxisParam: expected every axis to be an integer in \[-2, 2\), got 3/],
    ['squeezeShape', () => ts.util.squeezeShape([1, 2], [1]), /^util.squeezeShape: cannot squeeze axis 1: its size is 2, not 1/],
    ['computeStrides', () => ts.util.computeStrides([2, -1]), /^util.computeStrides: expected shape entries to be integers >= 0, got -1 at index 1/],
    ['indexToLoc', () => ts.util.indexToLoc(3, 3, [4]), /^util.indexToLoc: expected 2 strides for rank 3 \(computeStrides's\), got 1/],
    ['locToIndex', () => ts.util.locToIndex([1], 2, [3]), /^util.locToIndex: expected 2 locs for rank 2, got 1/],
    [
      'assertNonNegativeIntegerDimensions',
      () => ts.util.assertNonNegativeIntegerDimensions([2, 1.5]),
      /^util.assertNonNegativeIntegerDimensions: expected shape entries/,
    ],
    [
      'getArrayFromDType string',
      () => ts.util.getArrayFromDType('string' as never, 2),
      /^util.getArrayFromDType: dtype 'string' is not supported: Tessera has no string tensors/,
    ],
    [
      'makeZerosTypedArray complex64',
      () => ts.util.makeZerosTypedArray(2, 'complex64' as never),
      /^util.makeZerosTypedArray: dtype 'complex64' is not supported: Tessera has no complex64 tensors/,
    ],
    [
      'bytesPerElement int64',
      () => ts.util.bytesPerElement('int64' as never),
      /^util.bytesPerElement: expected dtype to be one of float32, int32, float64, bool, got 'int64'/,
    ],
    ['toTypedArray string', () => ts.util.toTypedArray([1, 2], 'string' as never), /^util.toTypedArray: dtype 'string' is not supported/],
    [
      'toTypedArray strings',
      () => ts.util.toTypedArray(['a'] as never, 'float32'),
      /^util.toTypedArray: expected numbers or booleans, got 'a' \(a string\) at flat index 0/,
    ],
    ['toNestedArray', () => ts.util.toNestedArray([2, 2], [1, 2, 3]), /^util.toNestedArray: shape \[2,2\] has 4 elements, but the array holds 3/],
    ['toNestedArray complex', () => ts.util.toNestedArray([1], [1, 2], true), /^util.toNestedArray: isComplex true \(a boolean\) is not supported/],
    ['inferDtype', () => ts.util.inferDtype(['a']), /^util.inferDtype: strings have no dtype here/],
    ['hasEncodingLoss', () => ts.util.hasEncodingLoss('float32', 'complex64' as never), /^util.hasEncodingLoss: dtype 'complex64' is not supported/],
    ['makeOnesTypedArray huge', () => ts.util.makeOnesTypedArray(2 ** 40), /^util.makeOnesTypedArray: the result would hold 1099511627776 float32 values/],
    ['rightPad', () => ts.util.rightPad('a', 2 ** 40), /^util.rightPad: expected size to be an integer from 0 to 536870888/],
    ['encodeString', () => ts.util.encodeString('a', 'utf-16le'), /^util.encodeString: Node's built-in encoder writes utf-8 only, got encoding 'utf-16le'/],
    ['decodeString', () => ts.util.decodeString(new Uint8Array(1), 'klingon'), /^util.decodeString: unknown encoding 'klingon'/],
    [
      'bytesFromStringArray',
      () => ts.util.bytesFromStringArray(['a'] as never),
      /^util.bytesFromStringArray: expected arr to hold Uint8Arrays \(encoded strings\), got 'a'/,
    ],
    ['repeatedTry', () => ts.util.repeatedTry(() => true, undefined, 0), /^util.repeatedTry: expected maxCounter to be an integer >= 1, got 0/],
    ['fetch', () => ts.util.fetch(3 as never), /^util.fetch: expected path to be a string \(a URL\), got 3/],
    [
      'fetch options',
      () => ts.util.fetch('data:,x', ts.ones([1]) as never),
      /^util.fetch: expected requestInits to be an object of fetch options, got a Tensor/,
    ],
    ['assert', () => ts.util.assert(false, 3 as never), /^util.assert: expected msg \(a string or a function\) to be a function, got 3/],
    ['isInt', () => ts.util.isInt('3' as never), /^util.isInt: expected a to be a number, got '3' \(a string\)/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
