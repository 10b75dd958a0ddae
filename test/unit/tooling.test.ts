/** The habits' configuration stays true to the code: knip's entry points cover every deployed handler. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';

const HANDLER_GLOB = 'functions/**/*.handler.ts';
const knip = JSON.parse(readFileSync(new URL('../../knip.json', import.meta.url), 'utf8')) as { entry: string[] };

describe('knip', () => {
  it('treats every handler the manifest deploys as an entry point, so none is reported unused', () => {
    expect(knip.entry).toContain(HANDLER_GLOB);
    for (const spec of FUNCTIONS as readonly FunctionSpec[]) {
      expect(spec.entry, `${spec.id}'s entry must match ${HANDLER_GLOB}`).toMatch(/^functions\/.+\.handler\.ts$/);
    }
  });
});
