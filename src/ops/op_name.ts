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
  if (!(e instanceof Error)) return e;
  const m = PREFIX.exec(e.message);
  if (m && m[1] === name) return e;
  const message = `${name}: ${m ? e.message.slice(m[0].length) : e.message}`;
  if (e.stack) e.stack = e.stack.replace(e.message, message);
  e.message = message;
  return e;
}
