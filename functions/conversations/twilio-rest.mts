/**
 * The twilio REST client on its own. Deployed bundles keep it out of the handler file (it is
 * most of the twilio package, several MB of generated API classes): it is built into
 * `twilio-rest.mjs` beside `index.mjs` and loaded on the first real send (messenger.ts), so a
 * cold start never parses it. Locally and in tests the same import resolves to this file.
 */
export { default } from 'twilio';
