// Typed arrays whose values cannot be read, refused with the op's name before a copy fails
// with V8's own TypeError ("Cannot perform %TypedArray%.prototype.set on a detached
// ArrayBuffer", "Cannot mix BigInt and other types") or a DataView's missing length
// reaches the addon as a shape.

/** @internal Throws unless `v` is a typed array whose numbers can be read: not a DataView, not 64-bit integers, its buffer still there. */
export function checkReadableView(op: string, what: string, v: ArrayBufferView): void {
  if (v instanceof DataView) {
    throw new Error(
      `${op}: ${what} is a DataView, which has no element type; pass a typed array over its bytes, e.g. new Float32Array(view.buffer, view.byteOffset, view.byteLength / 4)`,
    );
  }
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    throw new Error(
      `${op}: ${what} is a ${v.constructor.name}, whose 64-bit integers no dtype here holds; convert it first, e.g. Int32Array.from(values, Number) or Float64Array.from(values, Number)`,
    );
  }
  // A detached buffer (transferred to a worker, structuredClone'd with transfer) and a view
  // past the end of a shrunk resizable buffer both read as empty; only a copy of them throws.
  if (v.byteLength === 0) {
    try {
      (v as Uint8Array).slice(0, 0);
    } catch {
      throw new Error(
        `${op}: ${what} (a ${v.constructor.name}) has lost its ArrayBuffer: it was detached (transferred or structuredClone'd with transfer) or resized smaller than the view`,
      );
    }
  }
}
