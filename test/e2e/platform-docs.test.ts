/** The rendered API reference that `npm start` serves at /docs, as a developer opens it in a browser. */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { OPENAPI_FILE } from '../../lib/openapi/files';
import { baseUrl } from '../support/e2e';
import { launchChromium } from '../support/browser';

type Document = { paths: Record<string, Record<string, { summary: string }>> };
const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the API reference at /docs', () => {
  it('renders every operation of GET /openapi.json, and fetches nothing from outside the stack', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // What the page tries to load from elsewhere, and what stopped it ('ok' when it was fetched).
    const outside: string[] = [];
    const isOutside = (url: string) =>
      !url.startsWith(baseUrl()) && !url.startsWith('blob:') && !url.startsWith('data:');
    page.on('requestfinished', (request) => {
      if (isOutside(request.url())) outside.push(`${request.url()} ok`);
    });
    page.on('requestfailed', (request) => {
      if (isOutside(request.url())) outside.push(`${request.url()} ${request.failure()?.errorText}`);
    });
    try {
      const answer = await page.goto(`${baseUrl()}/docs`);
      expect(answer?.status()).toBe(200);
      await page
        .getByRole('heading', { name: /Clienteling API/ })
        .first()
        .waitFor({ timeout: 30_000 });

      const text = await page.locator('body').innerText();
      const summaries = Object.values(document.paths).flatMap((methods) =>
        Object.values(methods).map((operation) => operation.summary),
      );
      expect(summaries.length).toBeGreaterThan(30);
      expect(summaries.filter((summary) => !text.includes(summary))).toEqual([]);
      for (const path of [
        '/stores/{storeId}',
        '/conversations/{conversationId}/messages',
        '/webhooks/payments',
        '/openapi.json',
      ]) {
        expect(await page.getByText(path, { exact: true }).count()).toBeGreaterThan(0);
      }
      // The page's content security policy stops the bundle's one outside reference (Redocly's footer logo) before it goes out.
      expect(outside.filter((attempt) => !attempt.endsWith(' csp'))).toEqual([]);
    } catch (error) {
      mkdirSync('test-results', { recursive: true });
      await page
        .screenshot({ path: `test-results/api-reference-${Date.now()}.png`, fullPage: false })
        .catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
  });
});
