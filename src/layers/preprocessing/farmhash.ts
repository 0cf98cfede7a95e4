// FarmHash Fingerprint64 (farmhashna::Hash64), the hash TensorFlow's
// tf.strings.to_hash_bucket_fast uses and so Keras's Hashing layer: ported with BigInt so
// that a bin computed here is the bin Keras computes for the same UTF-8 string.
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const m64 = (x: bigint): bigint => x & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (...xs: bigint[]): bigint => xs.reduce((s, x) => s + x, 0n) & MASK;
const rotate = (v: bigint, shift: bigint): bigint => (shift === 0n ? v : m64((v >> shift) | (v << (64n - shift))));
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function hashLen16(u: bigint, v: bigint, k: bigint): bigint {
  let a = mul(u ^ v, k);
  a ^= a >> 47n;
  let b = mul(v ^ a, k);
  b ^= b >> 47n;
  return mul(b, k);
}

class Bytes {
  constructor(readonly b: Uint8Array) {}
  f64(i: number): bigint {
    let v = 0n;
    for (let j = 7; j >= 0; j--) v = (v << 8n) | BigInt(this.b[i + j]);
    return v;
  }
  f32(i: number): bigint {
    return BigInt((this.b[i] | (this.b[i + 1] << 8) | (this.b[i + 2] << 16) | (this.b[i + 3] << 24)) >>> 0);
  }
}

function len0to16(s: Bytes, len: number): bigint {
  const L = BigInt(len);
  if (len >= 8) {
    const k = add(K2, L * 2n);
    const a = add(s.f64(0), K2);
    const b = s.f64(len - 8);
    const c = add(mul(rotate(b, 37n), k), a);
    const d = mul(add(rotate(a, 25n), b), k);
    return hashLen16(c, d, k);
  }
  if (len >= 4) {
    const k = add(K2, L * 2n);
    const a = s.f32(0);
    return hashLen16(add(L, a << 3n), s.f32(len - 4), k);
  }
  if (len > 0) {
    const a = BigInt(s.b[0]);
    const b = BigInt(s.b[len >> 1]);
    const c = BigInt(s.b[len - 1]);
    const y = (a + (b << 8n)) & 0xffffffffn;
    const z = (L + (c << 2n)) & 0xffffffffn;
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function len17to32(s: Bytes, len: number): bigint {
  const k = add(K2, BigInt(len) * 2n);
  const a = mul(s.f64(0), K1);
  const b = s.f64(8);
  const c = mul(s.f64(len - 8), k);
  const d = mul(s.f64(len - 16), K2);
  return hashLen16(add(rotate(add(a, b), 43n), rotate(c, 30n), d), add(a, rotate(add(b, K2), 18n), c), k);
}

function len33to64(s: Bytes, len: number): bigint {
  const k = add(K2, BigInt(len) * 2n);
  const a = mul(s.f64(0), K2);
  const b = s.f64(8);
  const c = mul(s.f64(len - 8), k);
  const d = mul(s.f64(len - 16), K2);
  const y = add(rotate(add(a, b), 43n), rotate(c, 30n), d);
  const z = hashLen16(y, add(a, rotate(add(b, K2), 18n), c), k);
  const e = mul(s.f64(16), k);
  const f = s.f64(24);
  const g = mul(add(y, s.f64(len - 32)), k);
  const h = mul(add(z, s.f64(len - 24)), k);
  return hashLen16(add(rotate(add(e, f), 43n), rotate(g, 30n), h), add(e, rotate(add(f, a), 18n), g), k);
}

function weak32(s: Bytes, i: number, a: bigint, b: bigint): [bigint, bigint] {
  const w = s.f64(i);
  const x = s.f64(i + 8);
  const y = s.f64(i + 16);
  const z = s.f64(i + 24);
  a = add(a, w);
  b = rotate(add(b, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44n));
  return [add(a, z), add(b, c)];
}

/** FarmHash Fingerprint64 of the UTF-8 bytes of `text`, as an unsigned 64-bit BigInt. */
export function fingerprint64(text: string | Uint8Array): bigint {
  const s = new Bytes(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  const len = s.b.length;
  if (len <= 16) return len0to16(s, len);
  if (len <= 32) return len17to32(s, len);
  if (len <= 64) return len33to64(s, len);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), s.f64(0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let p = 0;
  do {
    x = mul(rotate(add(x, y, v[0], s.f64(p + 8)), 37n), K1);
    y = mul(rotate(add(y, v[1], s.f64(p + 48)), 42n), K1);
    x ^= w[1];
    y = add(y, v[0], s.f64(p + 40));
    z = mul(rotate(add(z, w[0]), 33n), K1);
    v = weak32(s, p, mul(v[1], K1), add(x, w[0]));
    w = weak32(s, p + 32, add(z, w[1]), add(y, s.f64(p + 16)));
    [z, x] = [x, z];
    p += 64;
  } while (p !== end);
  const k = add(K1, (z & 0xffn) << 1n);
  p = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotate(add(x, y, v[0], s.f64(p + 8)), 37n), k);
  y = mul(rotate(add(y, v[1], s.f64(p + 48)), 42n), k);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), s.f64(p + 40));
  z = mul(rotate(add(z, w[0]), 33n), k);
  v = weak32(s, p, mul(v[1], k), add(x, w[0]));
  w = weak32(s, p + 32, add(z, w[1]), add(y, s.f64(p + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], k), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], k), x), k);
}

/** tf.strings.to_hash_bucket_fast: fingerprint64(text) mod buckets. */
export function hashBucketFast(text: string, buckets: number): number {
  return Number(fingerprint64(text) % BigInt(buckets));
}
