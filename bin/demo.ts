/**
 * `npm run demo [-- --url <local stack URL>] [--store <storeId>]`: the "first 15 minutes"
 * walkthrough against the running local stack (`npm start` in another terminal; README, "First 15
 * minutes"): store → customers → campaign CSV → outreach list → conversation → YES → message →
 * reply → cart → payment → report → export, one line per step (lib/local/walkthrough.ts).
 * Exits 0 when every step did what the docs say, 1 at the first that did not, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS, localStackUrl } from '../lib/local/defaults';
import { runWalkthrough, WALKTHROUGH_STEPS } from '../lib/local/walkthrough';

const usage = `usage: npm run demo [-- --url <local stack URL>] [--store <storeId>]
  The stack is at --url, else http://127.0.0.1:$PORT (default ${LOCAL_DEFAULTS.port}); the store defaults to
  chicago-michigan (no quiet hours, so nothing is held), created from the demo data when missing.`;

let options: { url: string; store?: string };
try {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      store: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  options = { url: values.url ?? localStackUrl(), store: values.store };
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}

const started = Date.now();
const width = Math.max(...WALKTHROUGH_STEPS.map((s) => s.length));
let index = 0;
console.log(`First 15 minutes, against ${options.url}\n`);
const result = await runWalkthrough({
  url: options.url,
  storeId: options.store,
  report: ({ step, ok, detail }) => {
    index += ok ? 1 : 0;
    const number = `${ok ? index : index + 1}/${WALKTHROUGH_STEPS.length}`.padStart(5);
    console.log(`${ok ? '✓' : '✗'} ${number} ${step.padEnd(width)}  ${detail}`);
  },
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (!result) {
  console.log(`\nThe walkthrough stopped after ${index} of ${WALKTHROUGH_STEPS.length} steps (${seconds} s).`);
  process.exit(1);
}
console.log(
  `\nAll ${WALKTHROUGH_STEPS.length} steps passed in ${seconds} s. Look around:\n` +
    `  conversation  GET ${options.url}/conversations/${result.conversationId}/messages\n` +
    `  campaign      GET ${options.url}/campaigns/${result.campaignId}/report\n` +
    `  texts sent    GET ${options.url}/_local/outbox`,
);
