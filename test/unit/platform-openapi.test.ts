/**
 * GET /openapi.json names the address it is served from as its first server (issue 24: `servers`
 * follows the local stack's PORT), keeping the document's other servers, each once.
 */
import { describe, expect, it } from 'vitest';
import { servedServers } from '../../functions/platform/openapi.handler';

const committed = [
  { url: 'http://127.0.0.1:3000', description: 'The local stack (`npm start`)' },
  { url: 'https://{apiId}.execute-api.{region}.amazonaws.com', description: 'A deployment on AWS' },
];

describe('servedServers', () => {
  it('puts a stack on another port first, before the committed ones', () => {
    expect(servedServers(committed, 'http://127.0.0.1:3100').map((server) => server.url)).toEqual([
      'http://127.0.0.1:3100',
      'http://127.0.0.1:3000',
      'https://{apiId}.execute-api.{region}.amazonaws.com',
    ]);
  });

  it('names the default local address once', () => {
    expect(servedServers(committed, 'http://127.0.0.1:3000').map((server) => server.url)).toEqual([
      'http://127.0.0.1:3000',
      'https://{apiId}.execute-api.{region}.amazonaws.com',
    ]);
  });
});
