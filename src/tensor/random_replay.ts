// Random draws that remat's recomputation repeats: every seed a random op takes from the
// global stream (nextSeed) or from a seeded layer / SeedGenerator (SeedSequence) passes
// through `replayable`, so the forward pass under remat logs them and the backward pass
// re-running the function gets the same seeds (the same dropout mask), and leaves the
// global stream where the forward pass left it (Keras relies on seeded RNG state the same way).

/** @internal The seeds one remat forward pass drew, in order. */
export type DrawLog = unknown[];

const logging: DrawLog[] = [];
const replays: { log: DrawLog; next: number; op: string }[] = [];

/** @internal The next draw: `draw()` normally, or the logged one while a recomputation replays. */
export function replayable<T>(draw: () => T): T {
  let value: T;
  const replay = replays.length > 0 ? replays[replays.length - 1] : undefined;
  if (replay !== undefined) {
    if (replay.next >= replay.log.length)
      throw new Error(
        `${replay.op}: the function drew more random numbers when recomputed for the backward pass than in its forward pass (${replay.log.length}): remat needs a function whose random draws do not depend on the data`,
      );
    value = replay.log[replay.next++] as T;
  } else value = draw();
  for (let i = 0; i < logging.length; i++) logging[i].push(value);
  return value;
}

/** @internal Runs fn logging its draws (nested logs each get every draw). */
export function loggingDraws<T>(fn: () => T): { result: T; log: DrawLog } {
  const log: DrawLog = [];
  logging.push(log);
  try {
    return { result: fn(), log };
  } finally {
    logging.splice(logging.lastIndexOf(log), 1);
  }
}

/** @internal Runs fn answering its draws from `log`; all of them must be used. */
export function replayingDraws<T>(op: string, log: DrawLog, fn: () => T): T {
  const replay = { log, next: 0, op };
  replays.push(replay);
  let result: T;
  try {
    result = fn();
  } finally {
    replays.splice(replays.lastIndexOf(replay), 1);
  }
  if (replay.next !== log.length)
    throw new Error(
      `${op}: the function drew ${replay.next} random number(s) when recomputed for the backward pass but ${log.length} in its forward pass: remat needs a function whose random draws do not depend on the data`,
    );
  return result;
}
