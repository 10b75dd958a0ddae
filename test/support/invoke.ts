/** Calls an HTTP handler module the way API Gateway does and reads its answer back. */
import type { HttpEvent, HttpResult } from '../../functions/shared/http';
import { httpEvent, lambdaContext } from './http-events';

type Handler = (event: HttpEvent, context: ReturnType<typeof lambdaContext>) => Promise<HttpResult>;

export interface Answer<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export function invoker(handler: Handler) {
  return async <T = any>(options: Parameters<typeof httpEvent>[0]): Promise<Answer<T>> => {
    const result = await handler(httpEvent(options), lambdaContext());
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const text = result.body ?? '';
    const isJson = /json/.test(headers['content-type'] ?? '');
    return { status: result.statusCode ?? 200, headers, body: (isJson && text ? JSON.parse(text) : text) as T };
  };
}
