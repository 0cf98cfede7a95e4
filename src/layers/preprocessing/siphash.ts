// SipHash-2-4 (Aumasson and Bernstein), the keyed hash of TensorFlow's
// tf.strings.to_hash_bucket_strong and so of Keras's Hashing layer with a salt: BigInt
// like farmhash.ts, so that a salted bin here is the bin Keras computes.
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const rotl = (x: bigint, b: bigint): bigint => u64((x << b) | (x >> (64n - b)));

/** Message word i: 8 bytes from `at`, little-endian (missing bytes are 0). */
function word(bytes: Uint8Array, at: number, count = 8): bigint {
  let v = 0n;
  for (let j = count - 1; j >= 0; j--) v = (v << 8n) | BigInt(bytes[at + j]);
  return v;
}

/** SipHash-2-4 of `data` (a string is hashed as its UTF-8 bytes) under the 128-bit key [k0, k1], as an unsigned 64-bit BigInt. */
export function sipHash24(k0: bigint, k1: bigint, data: string | Uint8Array): bigint {
  const m = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = u64(v0 + v1);
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = u64(v2 + v3);
    v3 = rotl(v3, 16n) ^ v2;
    v0 = u64(v0 + v3);
    v3 = rotl(v3, 21n) ^ v0;
    v2 = u64(v2 + v1);
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const compress = (mi: bigint): void => {
    v3 ^= mi;
    round();
    round();
    v0 ^= mi;
  };
  const end = m.length - (m.length % 8);
  for (let i = 0; i < end; i += 8) compress(word(m, i));
  // The last block: the remaining bytes, and the length's low byte on top.
  compress(word(m, end, m.length - end) | (BigInt(m.length & 0xff) << 56n));
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** tf.strings.to_hash_bucket_strong: sipHash24(key, text) mod buckets. */
export function hashBucketStrong(text: string, buckets: number, key: readonly [bigint, bigint]): number {
  return Number(sipHash24(key[0], key[1], text) % BigInt(buckets));
}
