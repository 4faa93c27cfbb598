/**
 * The error for a model name that no case of a switch took. The type checker makes this
 * unreachable; if it is ever reached, the message says what the value really was (its JSON
 * and its type: a String object or an array prints like a plain string in a template).
 */
export function unknownModel(model: never): Error {
  const m: unknown = model;
  const kind = typeof m === 'object' && m !== null ? Object.prototype.toString.call(m) : typeof m;
  const e = new Error(`unknown model ${JSON.stringify(m)} (${kind})`);
  Error.captureStackTrace(e, unknownModel); // the stack starts at the switch that missed
  return e;
}
