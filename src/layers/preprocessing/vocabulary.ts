// The vocabulary shared by textVectorization, stringLookup and integerLookup: tokens
// counted by adapt, the most frequent kept (ties: first seen first), laid out after the
// mask and OOV slots as Keras does.
import { checkNoHoles } from '../../tensor/shape';

/** Counts of tokens over what adapt read, with per-document counts for tf_idf. */
export class TokenCounts {
  readonly counts = new Map<string | number, number>();
  readonly docCounts = new Map<string | number, number>();
  documents = 0;

  addDocument(tokens: (string | number)[]): void {
    this.documents++;
    for (const t of tokens) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    for (const t of new Set(tokens)) this.docCounts.set(t, (this.docCounts.get(t) ?? 0) + 1);
  }

  /** The `limit` most frequent tokens (null: all), most frequent first, skipping `exclude`. */
  top(limit: number | null, exclude: (string | number | null)[]): (string | number)[] {
    const entries = [...this.counts.entries()].filter(([t]) => !exclude.includes(t));
    // Map iteration is insertion order and sort is stable: ties stay in first-seen order.
    entries.sort((a, b) => b[1] - a[1]);
    const tokens = entries.map(([t]) => t);
    return limit === null ? tokens : tokens.slice(0, Math.max(0, limit));
  }

  /** Keras's idf: log(1 + documents / (1 + documents containing the token)). */
  idf(token: string | number): number {
    return Math.log(1 + this.documents / (1 + (this.docCounts.get(token) ?? 0)));
  }
}

/** The error for adapt that found no data. */
export function emptyAdapt(op: string): Error {
  return new Error(
    `${op}.adapt: the data is empty; adapt needs at least one sample to compute its ${op.includes('ormalization') ? 'statistics' : 'vocabulary'}`,
  );
}

/** Checks a given vocabulary: distinct tokens, not the mask or OOV token, within maxTokens. */
export function checkVocabulary(
  op: string,
  vocab: (string | number)[],
  reserved: (string | number | null)[],
  maxTokens: number | null,
  specials: number,
): void {
  checkNoHoles(op, 'the vocabulary', vocab, 'vocabulary');
  const seen = new Set<string | number>();
  for (const t of vocab) {
    if (seen.has(t)) throw new Error(`${op}: the vocabulary repeats the token ${JSON.stringify(t)}`);
    if (reserved.includes(t))
      throw new Error(`${op}: the vocabulary contains the reserved (mask or OOV) token ${JSON.stringify(t)}; give only the real tokens`);
    seen.add(t);
  }
  if (maxTokens !== null && vocab.length + specials > maxTokens) {
    throw new Error(`${op}: the vocabulary has ${vocab.length} tokens plus ${specials} mask/OOV slots, more than maxTokens = ${maxTokens}`);
  }
}
