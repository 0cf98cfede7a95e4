// Array.prototype.every skips the holes of a sparse array, so a check written with it passed
// [3, , 3] with an entry missing. This one visits every index, and a hole fails it.

/** @internal True when `list` has an entry at every index and `ok` holds for each (every() that fails on holes). */
export function everyEntry<T, S extends T>(list: readonly T[], ok: (v: T, i: number) => v is S): list is readonly S[];
export function everyEntry<T>(list: readonly T[], ok: (v: T, i: number) => boolean): boolean;
export function everyEntry<T>(list: readonly T[], ok: (v: T, i: number) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (!(i in list) || !ok(list[i], i)) return false;
  return true;
}
