/**
 * Bundles one manifest entry exactly as CDK deploys it (lib/constructs/bundling.ts: BUNDLING, its
 * side bundles) and reads what the bundle holds. Shared by the
 * bundle bench (bench/bundles.ts), the size record (bench/sizes.ts) and the bundle guard
 * (test/infra/bundles.test.ts), so all three see the same bytes.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLING, esbuildOptions, SIDE_BUNDLES, sideBundlesOf } from '../lib/constructs/bundling';
import type { FunctionSpec, HeavyModule } from '../lib/function-spec';

export interface BuiltBundle {
  /** The handler's bundle (index.mjs). */
  readonly outfile: string;
  readonly bytes: number;
  readonly metafile: Metafile;
  /** Side bundles beside it (the twilio REST client, the S3 SDK), loaded on first use; 0 when none. */
  readonly lazyBytes: number;
  /**
   * The heavy modules (lib/function-spec.ts, HeavyModule) the bundle or its side bundles hold, and
   * the side bundles the handler imports (shipped only when declared: without the declaration
   * the import would fail on AWS).
   */
  readonly heavy: readonly HeavyModule[];
  /** The heavy modules evaluated at cold start: those inside the handler's file itself. */
  readonly inlined: readonly HeavyModule[];
  /** The side bundles the handler's file imports (on first use). */
  readonly loads: readonly HeavyModule[];
}

/** Where each heavy module's files live: an input path under one of these means the bundle holds it. */
const HEAVY_INPUTS: Record<HeavyModule, RegExp> = {
  'twilio-rest': /node_modules\/twilio\/lib\/rest\//,
  's3-sdk': /node_modules\/@aws-sdk\/client-s3\//,
  luxon: /node_modules\/luxon\//,
  'xray-sdk': /node_modules\/aws-xray-sdk-core\//,
  'zod-classic': /node_modules\/zod\/v4\/classic\//,
};

/** The heavy modules among a build's inputs. */
function heavyIn(metafile: Metafile): HeavyModule[] {
  const inputs = Object.keys(metafile.inputs);
  return (Object.keys(HEAVY_INPUTS) as HeavyModule[]).filter((name) =>
    inputs.some((input) => HEAVY_INPUTS[name].test(input)),
  );
}

/** The side bundles a build imports (its external `./<outfile>` imports). */
function sideBundlesImported(metafile: Metafile): HeavyModule[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  return SIDE_BUNDLES.filter((side) =>
    imports.some((imported) => imported.external && imported.path.endsWith(`/${side.outfile}`)),
  ).map((side) => side.module);
}

/** Bundles `spec` into `outdir` (emptied first), its side bundles beside it. Throws esbuild's errors. */
export async function bundleFunction(spec: FunctionSpec, outdir: string): Promise<BuiltBundle> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, BUNDLING.outfile);
  const { metafile } = await build({
    ...esbuildOptions(spec.entry, outdir, BUNDLING.outfile),
    metafile: true,
  });
  const inlined = heavyIn(metafile);
  const loads = sideBundlesImported(metafile);
  const heavy = new Set([...inlined, ...loads]);
  let lazyBytes = 0;
  for (const side of sideBundlesOf(spec)) {
    const sideBuild = await build({ ...esbuildOptions(side.entry, outdir, side.outfile), metafile: true });
    for (const name of heavyIn(sideBuild.metafile)) heavy.add(name);
    lazyBytes += statSync(join(outdir, side.outfile)).size;
  }
  return { outfile, bytes: statSync(outfile).size, metafile, lazyBytes, heavy: [...heavy].sort(), inlined, loads };
}
