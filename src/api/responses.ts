// What each route answers, for its OpenAPI document: the success status with its body, and the
// error statuses it can give, all with the one error body.

/** Every error answer: a stable code and one line saying what is wrong. */
const errorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string', description: 'a stable code' }, message: { type: 'string', description: 'one line' } },
  additionalProperties: true,
} as const;

const ERROR_MEANING: Record<number, string> = {
  400: 'the request is malformed (the field is named)',
  401: 'no token where one is needed',
  403: 'a wrong token',
  404: 'no such thing',
  408: 'the request took too long to arrive',
  409: 'it exists already',
  422: 'well-formed, but not something that can be done (an unreadable source, an invalid schedule)',
  503: 'a backing service is down, or too many event streams are open (see Retry-After)',
};

/**
 * A route's `response` schema: `ok` maps success statuses to a description (a body of any JSON
 * object) or to `null` (no body), plus the listed error statuses.
 */
export function responses(ok: Record<number, string | { description: string; body: 'none' | 'object' | 'text' }>, errors: number[]) {
  const out: Record<number, object> = {};
  for (const [status, spec] of Object.entries(ok)) {
    const { description, body } = typeof spec === 'string' ? { description: spec, body: 'object' as const } : spec;
    out[Number(status)] =
      body === 'none'
        ? { description, type: 'null' }
        : body === 'text'
          ? { description, type: 'string' }
          : { description, type: 'object', additionalProperties: true };
  }
  for (const status of errors) out[status] = { ...errorBody, description: ERROR_MEANING[status] ?? 'an error' };
  return out;
}
