/**
 * Debian's Chromium, headless, for the tests that drive a real page (the cart page, the API
 * reference). The flags keep it quiet on a machine without internet: no background networking,
 * component updates, sync or first-run requests.
 */
import { chromium, type Browser } from 'playwright-core';

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
