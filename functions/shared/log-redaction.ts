/**
 * Request paths as a log may show them. A share link's token is the link's only credential
 * (docs/rules.md, "Remote carts"), so `/c/{token}` is logged without it; a query string may hold
 * a customer search (docs/rules.md, "Customers") or a WebSocket token, so it is never logged.
 * API Gateway's access log names the route key, never the path (lib/constructs/api.ts).
 */
const SHARE_LINK = /\/(c|_local\/pay)\/[^/?#]+/g;

/** The path (or URL) with any share-link token replaced by `{token}` and any query string cut to `?…`. */
export function loggablePath(pathOrUrl: string): string {
  const [path = '', query] = pathOrUrl.split(/\?(.*)/s, 2);
  return path.replace(SHARE_LINK, '/$1/{token}') + (query === undefined ? '' : '?…');
}
