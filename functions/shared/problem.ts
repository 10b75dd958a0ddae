/** RFC 9457 problem+json answers: the one place where errors become HTTP responses. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type FieldError } from './errors';

export const PROBLEM_TYPE_BASE = 'https://problems.clienteling.dev/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: readonly FieldError[];
  /** RFC 9457 extension members. */
  [extension: string]: unknown;
}

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(problem),
  };
}

/** A domain error as the client sees it; anything else is a 500 with no internals. */
export function toProblem(error: unknown, requestId?: string): Problem {
  if (error instanceof DomainError) {
    return {
      type: PROBLEM_TYPE_BASE + error.slug,
      title: error.title,
      status: error.status,
      detail: error.message,
      requestId,
      ...(error.errors.length > 0 ? { errors: error.errors } : {}),
      ...error.extensions,
    };
  }
  return {
    type: PROBLEM_TYPE_BASE + 'internal',
    title: 'Internal error',
    status: 500,
    detail: `Something went wrong on our side. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
    requestId,
  };
}
