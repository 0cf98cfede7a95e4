// Lookups of a user's (or a file's) name in a table written as an object literal. `table[name]`
// also finds what every object inherits: 'constructor', 'toString', '__proto__' would come
// back as Object's functions (accepted as a reduction, a bool in a CSV file, a class to build).

/** @internal `table[key]` when `key` is one of the table's own keys, else undefined. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** @internal Sets `obj[key]` as an own property even for '__proto__' (from JSON or a CSV header), which assigned would replace obj's prototype and be lost. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
