/**
 * The WebSocket API's `$connect` and `$disconnect` routes. Browsers cannot set headers on a
 * WebSocket, so the Cognito ID token comes in the `token` query parameter and is verified here
 * with aws-jwt-verify against the stack's user pool and app client (signature, issuer, audience,
 * expiry, token use). A refused `$connect` answers 401, which API Gateway returns as the
 * handshake's status.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { principalFromClaims } from '../shared/principal';
import { answer, webSocketRoutes } from '../shared/websocket';
import { audiencesOf, deleteConnection, saveConnection } from './connections';

const config = loadConfig('userPoolId', 'userPoolClientId');
/** Exported so a test can hand it the keys of a test signer (`cacheJwks`) instead of fetching the pool's. */
export const verifier = CognitoJwtVerifier.create({
  userPoolId: config.userPoolId,
  clientId: config.userPoolClientId,
  tokenUse: 'id',
});

export const handler = webSocketRoutes(async (event) => {
  const { connectionId, routeKey } = event.requestContext;
  if (routeKey === '$disconnect') {
    await deleteConnection(connectionId);
    logger.info('WebSocket disconnected', { connectionId });
    return answer(200);
  }
  let claims: Record<string, unknown>;
  try {
    claims = (await verifier.verify(event.queryStringParameters?.token ?? '')) as Record<string, unknown>;
  } catch (error) {
    logger.info('WebSocket connection refused: bad token', { connectionId, reason: (error as Error).message });
    return answer(401, 'Unauthorized');
  }
  const principal = principalFromClaims(claims);
  const audiences = audiencesOf(principal);
  if (audiences.length === 0) {
    logger.info('WebSocket connection refused: no role, or no store and not an admin', {
      connectionId,
      userId: principal.userId,
    });
    return answer(403, 'Forbidden: the user has no role, or belongs to no store and is no admin');
  }
  await saveConnection(connectionId, principal, audiences, new Date());
  logger.info('WebSocket connected', {
    connectionId,
    userId: principal.userId,
    storeId: principal.storeId,
    roles: principal.roles,
  });
  return answer(200);
});
