/**
 * `npm run -s sms -- --from +1… --to <store number> --body YES [--channel whatsapp] [--media <url>]…`:
 * a customer's text to the running local stack, signed and posted to Twilio's inbound webhook as
 * Twilio would (`POST /_local/sms`, lib/local/inbound-sms.ts; README, "Texting the store locally").
 * Prints what the webhook answered, as JSON, with the MessageSid it was given; exits 1 when the
 * webhook (or the local route) refused it, 2 on a usage error or when no stack answers.
 */
import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS, localStackUrl } from '../lib/local/defaults';

const usage = `usage: npm run -s sms -- --from <phone> --to <store number> [--body <text>] [--channel sms|whatsapp]
  [--media <url>]... [--button-payload <text>] [--received-at <ISO instant>] [--url <local stack URL>]
  The stack is at --url, else http://127.0.0.1:$PORT (default ${LOCAL_DEFAULTS.port}).`;

try {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      body: { type: 'string', default: '' },
      channel: { type: 'string' },
      media: { type: 'string', multiple: true },
      'button-payload': { type: 'string' },
      'received-at': { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (!values.from || !values.to) throw new Error('--from and --to are required.');
  const base = values.url ?? localStackUrl();
  const request = {
    from: values.from,
    to: values.to,
    body: values.body,
    ...(values.channel ? { channel: values.channel } : {}),
    ...(values.media ? { mediaUrls: values.media } : {}),
    ...(values['button-payload'] ? { buttonPayload: values['button-payload'] } : {}),
    ...(values['received-at'] ? { receivedAt: values['received-at'] } : {}),
  };
  const response = await fetch(`${base}/_local/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  }).catch((error: Error) => {
    throw new Error(`no local stack answers at ${base} (is \`npm start\` running?): ${error.message}`);
  });
  const text = await response.text();
  console.log(
    /json/.test(response.headers.get('content-type') ?? '') ? JSON.stringify(JSON.parse(text), null, 2) : text,
  );
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
