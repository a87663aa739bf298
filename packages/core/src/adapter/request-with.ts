/**
 * A copy of a request with some fields set: the admitted model, a clamped limit. Built with
 * `Object.assign`, not an object spread, which costs microseconds on every call in V8.
 */
export function requestWith<Request extends object>(
  request: Request,
  fields: Record<string, unknown>,
): Request {
  return Object.assign({}, request, fields);
}
