/**
 * The wrapper of the WebSocket API's route handler (`$connect`, `$disconnect`): the event typed
 * with the query string a `$connect` carries, and the handler's answer returned as the route's
 * (API Gateway turns a `$connect` answer's status into the handshake's). Logging and tracing are
 * the shared chain's (handler-chain.ts).
 *
 *   export const handler = webSocketRoutes(async (event) => answer(200));
 */
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { handlerChain } from './handler-chain';

/** A WebSocket route's event; `$connect` carries the connection URL's query string. */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & {
  queryStringParameters?: Record<string, string | undefined>;
};

/** A route's answer: a status and an optional body. */
export const answer = (statusCode: number, body = ''): APIGatewayProxyResult => ({ statusCode, body });

/** The handler of a WebSocket API's routes: `handle` gets every route's event (its `requestContext.routeKey` names the route). */
export function webSocketRoutes(handle: (event: WebSocketEvent) => Promise<APIGatewayProxyResult>) {
  return handlerChain<WebSocketEvent, APIGatewayProxyResult>().handler((event) => handle(event));
}
