// What every example shares: its options, and running main() when the file is the
// program (`node dist/examples/<name>.js [--quick]`) rather than imported by a test.

/** Options of an example's main(). */
export interface ExampleOptions {
  /** A few steps on small data: a smoke run (what `--quick` and the tests ask for). */
  quick?: boolean;
}

/**
 * Runs `main` when `mod` is the program node started (require.main), with `--quick` read
 * from the command line; a failure prints its error and exits 1.
 * @example runAsScript(module, main);
 */
export function runAsScript(mod: NodeModule, main: (options: ExampleOptions) => Promise<unknown>): void {
  if (require.main !== mod) return;
  main({ quick: process.argv.includes('--quick') }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
