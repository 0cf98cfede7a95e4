// Crashes and hangs of the bad-input sweep that other items of issue #16 fix, each under the
// item it belongs to. The sweep's test passes over these and fails on any other; once an
// item's fix is merged, delete its entry (the report marks cases listed here that no longer
// crash as fixed).

export interface KnownCrashes {
  /** The issue item, and what goes wrong. */
  item: string;
  /** Case ids (exact) or patterns over them. */
  cases: (string | RegExp)[];
}

export const KNOWN_CRASHES: KnownCrashes[] = [];

/** The item a crashing case id is listed under, or undefined. */
export function knownCrashItem(id: string): string | undefined {
  return KNOWN_CRASHES.find((k) => k.cases.some((c) => (typeof c === 'string' ? c === id : c.test(id))))?.item;
}
