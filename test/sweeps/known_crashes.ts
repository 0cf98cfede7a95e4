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

export const KNOWN_CRASHES: KnownCrashes[] = [
  {
    item: '#16.2 dimensions of 2^31 or more (h4-native)',
    // T[0,2**32] is ones([0, 2**32]): the 2^32 reaches the addon as 0 (Int32Array shapes).
    cases: [
      'logSoftmax(T[0,2**32], -1)',
      'pad(T[2,3], [[2**32, 1], [0, 2]], 0)',
      'pad(T[2,3], [[1, 1], [2**32, 2]], 0)',
      'softmax(T[0,2**32], -1)',
    ],
  },
  {
    item: '#16.3 SIGFPE when a reduced axis has length 0 (h4-native)',
    // [] and [[]] are zero-size tensors.
    cases: [
      'logSoftmax([], -1)',
      'logSoftmax([[]], -1)',
      'logSoftmax(T[2,0], -1)',
      'softmax([], -1)',
      'softmax([[]], -1)',
      'softmax(T[2,0], -1)',
    ],
  },
];

/** The item a crashing case id is listed under, or undefined. */
export function knownCrashItem(id: string): string | undefined {
  return KNOWN_CRASHES.find((k) => k.cases.some((c) => (typeof c === 'string' ? c === id : c.test(id))))?.item;
}
