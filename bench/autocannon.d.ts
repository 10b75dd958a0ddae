/** The part of autocannon 8's API bench/api.ts uses (the package ships no types). */
declare module 'autocannon' {
  export interface Histogram {
    readonly p50: number;
    readonly p99: number;
    readonly average: number;
  }
  export interface Result {
    readonly latency: Histogram;
    readonly requests: { readonly average: number; readonly total: number };
    readonly non2xx: number;
    readonly errors: number;
    readonly statusCodeStats: Record<string, { count: number }>;
  }
  export interface Request {
    method?: string;
    path?: string;
    body?: string;
    headers?: Record<string, string>;
  }
  export interface Options {
    readonly url: string;
    readonly connections: number;
    readonly duration: number;
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    readonly requests?: ReadonlyArray<Request & { setupRequest?: (request: Request) => Request }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
