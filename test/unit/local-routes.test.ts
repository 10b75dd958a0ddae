/** The local stack's `/_local` route table (lib/local/local-routes.ts): keys, parameters, ANY, and the 404. */
import { describe, expect, it } from 'vitest';
import { compileLocalRoutes, type LocalRequest, serveLocalRoute } from '../../lib/local/local-routes';

/** Each route answers its own name and what it was given, so a test can see which one took the request. */
const echo = (name: string) => (request: LocalRequest) => ({
  statusCode: 200,
  headers: {},
  body: Buffer.from(JSON.stringify({ name, method: request.method, params: request.params })),
});

const routes = compileLocalRoutes({
  'GET /_local': echo('root'),
  'POST /_local/schedules/{name}': echo('schedule'),
  'GET /_local/pay/{token}': echo('page'),
  'ANY /_local/pay/{token}': echo('any-pay'),
  'ANY /_local/websocket/@connections/{connectionId+}': echo('manage'),
});

async function serve(method: string, path: string) {
  const answer = await serveLocalRoute(routes, {
    method,
    path,
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
  });
  return { status: answer.statusCode, body: JSON.parse(answer.body.toString('utf8')) };
}

describe('the /_local route table', () => {
  it('takes a request by method and path, with the path parameters decoded', async () => {
    expect((await serve('GET', '/_local')).body).toMatchObject({ name: 'root' });
    expect((await serve('POST', '/_local/schedules/cart-midnight-Asia%2FKolkata')).body).toMatchObject({
      name: 'schedule',
      params: { name: 'cart-midnight-Asia/Kolkata' },
    });
  });

  it('prefers the method named over ANY, which takes the rest', async () => {
    expect((await serve('GET', '/_local/pay/AbC')).body).toMatchObject({ name: 'page', params: { token: 'AbC' } });
    expect((await serve('DELETE', '/_local/pay/AbC')).body).toMatchObject({ name: 'any-pay', method: 'DELETE' });
  });

  it('lets a {name+} parameter take the rest of the path, one {name} a single segment', async () => {
    expect((await serve('POST', '/_local/websocket/@connections/a%2Fb/c')).body).toMatchObject({
      name: 'manage',
      params: { connectionId: 'a/b/c' },
    });
    expect((await serve('GET', '/_local/pay/AbC/more')).status).toBe(404);
  });

  it('answers a 404 problem naming a request no entry takes', async () => {
    const answer = await serve('GET', '/_local/schedules/cart-sweeper');
    expect(answer).toMatchObject({
      status: 404,
      body: { detail: 'No local route GET /_local/schedules/cart-sweeper.' },
    });
  });
});
