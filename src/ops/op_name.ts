// Errors name the op the user called. A public op built from other ops (zeros from fill,
// norm from sum, conv1d from conv2d) runs them through asOp, so that what they throw
// names it: "zeros: expected shape ..." rather than "fill: expected shape ...".

const PREFIX = /^([A-Za-z_$][\w$.]*): /;

/** Runs `fn` on behalf of public op `name`: an error naming another op (or none) names `name`. */
export function asOp<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw renamed(e, name);
  }
}

/** @internal `e` with its message naming `name` (asOp's rewrite, for callers that catch themselves). */
export function renamed(e: unknown, name: string): unknown {
  // The addon's errors come from Node's own realm: under a vm context (Jest) they are no
  // instance of this realm's Error, so an error is recognised by its string message.
  if (typeof e !== 'object' || e === null || typeof (e as Error).message !== 'string') return e;
  const err = e as Error;
  const m = PREFIX.exec(err.message);
  if (m && m[1] === name) return err;
  const message = `${name}: ${m ? err.message.slice(m[0].length) : err.message}`;
  if (err.stack) err.stack = err.stack.replace(err.message, message);
  err.message = message;
  return err;
}
