/**
 * The URL a caller used to reach this request, rebuilt from the public base URL: what Twilio
 * signs (X-Twilio-Signature covers the full URL it called). Behind API Gateway the Host header is
 * the execute-api domain, and behind a custom domain with an API mapping key (`/v1`) the event's
 * `rawPath` still begins with that key, while the public base URL already ends with it: joining
 * the two naively would give `/v1/v1/...`.
 */

/**
 * `publicBaseUrl` (no trailing slash; maybe with a path, `https://api.example.com/v1`) joined
 * with the request's path and query, the base's own path counted once: a `rawPath` that begins
 * with that path, as a whole segment, has it stripped first.
 */
export function publicRequestUrl(publicBaseUrl: string, rawPath: string, rawQueryString?: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const path =
    basePath !== '' && (rawPath === basePath || rawPath.startsWith(`${basePath}/`))
      ? rawPath.slice(basePath.length)
      : rawPath;
  return `${base}${path}${rawQueryString ? `?${rawQueryString}` : ''}`;
}
