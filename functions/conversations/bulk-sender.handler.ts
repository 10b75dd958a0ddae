/** The bulk sender queue's consumer: the same hand-over as the sender's, with a concurrency of its own (lib/functions.ts). */
export { handler } from './sender.handler';
