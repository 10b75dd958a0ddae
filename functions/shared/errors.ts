/**
 * Typed errors a use case throws. Each maps to one HTTP status and a stable problem `type`
 * in exactly one place (problem.ts); nothing else chooses status codes for failures.
 */
export interface FieldError {
  /** Where the field is: the JSON body, the query string, the path or a header. */
  readonly in: 'body' | 'query' | 'path' | 'header';
  /** Dotted path of the field inside that place, e.g. `customers.3.email`. */
  readonly field: string;
  readonly detail: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Stable slug of the problem type, e.g. `validation`. */
  abstract readonly slug: string;
  abstract readonly title: string;
  /** Extra members of the problem document (RFC 9457 extensions), e.g. `twilioCode`. */
  readonly extensions: Readonly<Record<string, unknown>> = {};
  /** Response headers that go with the problem, e.g. `Retry-After`. */
  readonly headers: Readonly<Record<string, string>> = {};
  /** The fields at fault (problem+json's `errors`). */
  readonly errors: readonly FieldError[] = [];
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly slug = 'validation';
  readonly title = 'Invalid request';
  constructor(
    detail: string,
    override readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
  }
}

/** The body is larger than the route takes (functions/shared/http.ts, MAX_BODY_BYTES). */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
  readonly title = 'Request body too large';
  override readonly errors: readonly FieldError[] = [{ in: 'body', field: 'body', detail: 'too large' }];
}

/** A JSON route was sent something that does not say it is JSON. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'Unsupported content type';
  override readonly errors: readonly FieldError[] = [
    { in: 'header', field: 'content-type', detail: 'application/json' },
  ];
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = 'Authentication required';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Not found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly slug = 'conflict';
  readonly title = 'Conflict with the current state';
}

/** A business rule refuses the request (e.g. the customer opted out); `errors` names the fields it refuses, if any. */
export class RuleViolationError extends DomainError {
  readonly status = 422;
  readonly slug: string;
  readonly title = 'Refused by a business rule';
  constructor(
    detail: string,
    rule = 'rule-violation',
    override readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
    this.slug = rule;
  }
}

/**
 * A send that may not be held for later falls in the store's quiet hours (a cart link, valid only
 * until its midnight): 422 `quiet-hours`, with `quietHoursEnd` (ISO) saying when it may go.
 */
export class QuietHoursError extends RuleViolationError {
  override readonly extensions: Readonly<Record<string, unknown>>;
  constructor(detail: string, quietHoursEnd: Date) {
    super(detail, 'quiet-hours');
    this.extensions = { quietHoursEnd: quietHoursEnd.toISOString() };
  }
}

/** A refusal the caller may try again after a while: `Retry-After` in whole seconds. */
abstract class RetryLaterError extends DomainError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** The caller has used up a rate limit: 429, with `Retry-After` in whole seconds. */
export class TooManyRequestsError extends RetryLaterError {
  readonly status = 429;
  readonly slug = 'too-many-requests';
  readonly title = 'Too many requests';
}

/** A party the request needs (e.g. Twilio's Content API) did not answer: 503, with `Retry-After` in whole seconds; nothing was stored. */
export class ServiceUnavailableError extends RetryLaterError {
  readonly status = 503;
  readonly slug = 'unavailable';
  readonly title = 'Unavailable for now';
}
