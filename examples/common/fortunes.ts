// Debian's fortune-cookie corpus (apt-get install fortunes), the text the text examples learn from.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FORTUNES = '/usr/share/games/fortunes';

/** The fortunes, one string each: every plain file of the corpus (no .dat indexes, .u8 links or other links). */
export function readFortunes(): string[] {
  if (!existsSync(FORTUNES)) throw new Error(`the corpus folder ${FORTUNES} is missing; install it with 'apt-get install fortunes'`);
  const files = readdirSync(FORTUNES)
    .filter((f) => !f.endsWith('.dat') && !f.endsWith('.u8'))
    .map((f) => join(FORTUNES, f))
    .filter((p) => lstatSync(p).isFile())
    .sort();
  return files
    .flatMap((p) => readFileSync(p, 'latin1').split(/\n%\n/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
