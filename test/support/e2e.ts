/**
 * Client side of the e2e tests: tokens signed with the local stack's key, a small fetch wrapper,
 * and the local-only endpoints (schedules, outbox, invocations, drain) and engines (S3, drop folder)
 * of the stack started by local-stack.global.ts.
 *
 *   const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'admin' }));
 *   const res = await admin.put('/stores/nyc-5th', { name: 'NYC', ... });
 *   expect(res.status).toBe(201);
 */
import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Role } from '../../functions/shared/principal';
import { localS3Client } from '../../lib/local/engines';
import type { Invocation } from '../../lib/local/lambda-runtime';
import { loadOrCreateSigningKey, mintToken } from '../../lib/local/tokens';
import { checkAnswer, documentedPathOf } from './api-client';

export const baseUrl = (): string => inject('localStackUrl');

let signingKey: Buffer | undefined;

/** A bearer token the local stack accepts, for this role, store and user. */
export function tokenFor(subject: { role: Role; userId: string; storeId?: string; ttlSeconds?: number }): string {
  signingKey ??= loadOrCreateSigningKey(inject('localStackDataDir'));
  return mintToken(signingKey, subject);
}

export interface ApiResponse<T = any> {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON for JSON and problem+json answers, otherwise the text. */
  body: T;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as is, instead of JSON-encoding `body` (form posts, signed webhooks, malformed JSON). */
  rawBody?: string | Buffer;
}

/**
 * Calls the stack as is. An answer from a route of docs/openapi.json is checked against the
 * document like the typed client's (api-client.ts): a status or body the document does not
 * describe fails the test. Local-only and unknown paths are not checked.
 */

export async function request<T = any>(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let payload: string | Buffer | undefined = options.rawBody;
  if (payload === undefined && body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(baseUrl() + path, {
    method,
    headers: { ...headers, ...options.headers },
    body: payload,
    redirect: 'manual',
  });
  const documented = documentedPathOf(method, path);
  if (documented) await checkAnswer(method, documented, response);
  const text = await response.text();
  const isJson = /json/i.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: (isJson && text !== '' ? JSON.parse(text) : text) as T,
    text,
  };
}

/** The API as one caller: `api(token).get('/inbox')`. Without a token the calls are anonymous. */
export function api(token?: string) {
  return {
    get: <T = any>(path: string, options?: RequestOptions) => request<T>('GET', path, token, undefined, options),
    post: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>('POST', path, token, body, options),
    put: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>('PUT', path, token, body, options),
    delete: <T = any>(path: string, options?: RequestOptions) => request<T>('DELETE', path, token, undefined, options),
    request: <T = any>(method: string, path: string, body?: unknown, options?: RequestOptions) =>
      request<T>(method, path, token, body, options),
  };
}

/** Waits until the stack's queue is empty and no triggered handler (S3, queue, drop folder) is running. */
export async function drain(timeoutMs = 50_000): Promise<void> {
  const res = await request('POST', `/_local/drain?timeoutMs=${timeoutMs}`);
  if (res.status !== 200) throw new Error(`the local stack did not drain within ${timeoutMs} ms`);
}

/** Fires a schedule once with an EventBridge event for `time`; answers what the handler returned. */
export function runSchedule<T = any>(name: string, time: string | Date): Promise<ApiResponse<T>> {
  return request<T>('POST', `/_local/schedules/${name}`, undefined, {
    time: time instanceof Date ? time.toISOString() : time,
  });
}

export interface OutboxMessage {
  to: string;
  from: string;
  body: string;
  mediaUrls?: string[];
  sid: string;
  statusCallback?: string;
  createdAt: string;
}

/** Everything handed to the (local) Twilio so far, oldest first, once the stack has drained (the sender queues included). */
export async function outbox(): Promise<OutboxMessage[]> {
  await drain();
  return (await request<OutboxMessage[]>('GET', '/_local/outbox')).body;
}

/** The stack's invocation log (which function ran for which trigger, and how it ended). */
export async function invocations(): Promise<Invocation[]> {
  return (await request<Invocation[]>('GET', '/_local/invocations')).body;
}

/** An S3 client for the stack's s3rver (path-style, S3RVER credentials, no aws-chunked bodies). */
export const s3Client = () => localS3Client(inject('localS3Endpoint'));
export const uploadsBucket = (): string => inject('localUploadsBucket');

/** Copies a file into the drop folder the way a finished copy looks: written aside, then renamed in. */
export function dropFile(name: string, content: string | Buffer): void {
  const dir = inject('localDropDir');
  const aside = join(dir, `.${randomUUID()}.partial`);
  writeFileSync(aside, content);
  renameSync(aside, join(dir, name));
}

/** Polls `probe` until it returns something other than undefined (for outcomes with no completion signal). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing came within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
