/**
 * The bundle guard (README, "Measured"): every function's bundle, built as CDK deploys it
 * (bench/bundle.ts), stays within 10 % of its recorded size (bench/bundle-sizes.json, written by
 * `npm run bench -- sizes`) and holds no heavy module (the twilio REST client, luxon, the X-Ray
 * SDK, zod's classic build) its manifest entry does not declare in `heavy` (lib/function-spec.ts).
 * Cold init follows
 * bundle size and what the bundle evaluates at load, so this keeps the budget the bench measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, type BuiltBundle } from '../../bench/bundle';
import { bundleAll, recordedSizes } from '../../bench/sizes';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';
import { SIDE_BUNDLES } from '../../lib/constructs/bundling';

const GROWTH_ALLOWED = 1.1;
const specs = FUNCTIONS as readonly FunctionSpec[];
const root = mkdtempSync(join(tmpdir(), 'bundles-'));
let built: Map<string, BuiltBundle>;

beforeAll(async () => {
  built = await bundleAll(root);
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('each function bundle', () => {
  it.each(specs.map((spec) => [spec.id, spec] as const))('%s is within 10 %% of its recorded size', (id) => {
    const recorded = recordedSizes()[id];
    expect(recorded, `${id} has no recorded size: run \`npm run bench -- sizes\``).toBeTypeOf('number');
    expect(built.get(id)!.bytes, `${id} grew over 10 % (recorded ${recorded} bytes)`).toBeLessThanOrEqual(
      Math.floor(recorded! * GROWTH_ALLOWED),
    );
  });

  it.each(specs.map((spec) => [spec.id, spec] as const))(
    '%s holds only the heavy modules its manifest entry declares',
    (id, spec) => {
      const undeclared = built.get(id)!.heavy.filter((name) => !(spec.heavy ?? []).includes(name));
      expect(undeclared, `${id} holds ${undeclared.join(', ')}: declare it in \`heavy\` or keep it out`).toEqual([]);
    },
  );

  it.each(specs.map((spec) => [spec.id, spec] as const))(
    '%s declares only the heavy modules its bundle holds (a stale declaration ships a side bundle for nothing)',
    (id, spec) => {
      const { inlined, loads } = built.get(id)!;
      const stale = (spec.heavy ?? []).filter((name) => !inlined.includes(name) && !loads.includes(name));
      expect(
        stale,
        `${id} declares ${stale.join(', ')} but its bundle holds none of it: drop it from \`heavy\``,
      ).toEqual([]);
    },
  );
});

describe('the guard sees what a bundle holds', () => {
  const webhook = specs.find((spec) => spec.id === 'TwilioWebhook')!;

  it('traces with the light X-Ray client (functions/shared/xray.ts) in every bundle, never the X-Ray SDK', () => {
    for (const [id, bundle] of built) {
      expect(Object.keys(bundle.metafile.inputs), id).toContain('functions/shared/xray.ts');
      expect(bundle.heavy, id).not.toContain('xray-sdk');
    }
  });

  it('keeps every side-bundled module (the twilio REST client, the S3 SDK, luxon) out of every handler file', () => {
    const sideModules = SIDE_BUNDLES.map((side) => side.module);
    for (const [id, bundle] of built)
      expect(
        bundle.inlined.filter((name) => sideModules.includes(name)),
        id,
      ).toEqual([]);
    expect(built.get('CampaignsApi')!.heavy).toContain('s3-sdk');
    expect(built.get('CampaignsApi')!.lazyBytes).toBeGreaterThan(100_000);
  });

  it('sees a side bundle the handler imports even when its entry does not declare it (it would not be shipped)', async () => {
    const campaigns = specs.find((spec) => spec.id === 'CampaignsApi')!;
    const undeclared = await bundleFunction({ ...campaigns, heavy: [] }, join(root, 'campaigns-undeclared'));
    expect(undeclared.heavy).toContain('s3-sdk');
    expect(undeclared.lazyBytes).toBe(0);
  });

  it('finds luxon and the twilio REST client where they are loaded, and neither in the webhooks', () => {
    expect(built.get('ConversationsApi')!.loads).toContain('luxon');
    expect(built.get('Sender')!.loads).toContain('twilio-rest');
    expect(built.get(webhook.id)!.heavy).toEqual([]);
    expect(built.get('StoresApi')!.heavy).toEqual([]);
  });

  it('gives the node:stream/web stand-in to @middy/core only, and it answers instanceof as the real one does', async () => {
    for (const [id, bundle] of built) {
      const importers = Object.entries(bundle.metafile.inputs)
        .filter(([, input]) => input.imports.some((entry) => entry.path === 'functions/shared/stream-web.mts'))
        .map(([path]) => path);
      expect(importers, id).toEqual(['node_modules/@middy/core/index.js']);
    }
    const standIn = await import('../../functions/shared/stream-web.mjs');
    const { Readable } = await import('node:stream');
    expect(new globalThis.ReadableStream() instanceof standIn.ReadableStream).toBe(true);
    expect(Readable.from(['a']) instanceof standIn.ReadableStream).toBe(false);
    expect({ body: 'text' } instanceof standIn.ReadableStream).toBe(false);
  });

  it("finds zod's classic build in a bundle that imports it, and in no handler's", async () => {
    // The API description's answer shapes (functions/*/openapi.ts) are written with classic zod and
    // are built into no handler: bundled as if they were one, the guard names it.
    const stores = specs.find((spec) => spec.id === 'StoresApi')!;
    const docsBundle = await bundleFunction({ ...stores, entry: 'functions/stores/openapi.ts' }, join(root, 'docs'));
    expect(docsBundle.heavy).toContain('zod-classic');
    for (const spec of specs) expect(built.get(spec.id)!.heavy, spec.id).not.toContain('zod-classic');
  });
});
