// Lookups of a user's (or a file's) name in a table written as an object literal. `table[name]`
// also finds what every object inherits: 'constructor', 'toString', '__proto__' would come
// back as Object's functions (accepted as a reduction, a bool in a CSV file, a class to build).

/** @internal `table[key]` when `key` is one of the table's own keys, else undefined. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
