/**
 * How every function is bundled: the esbuild options (BUNDLING) CDK's NodejsFunction uses, the
 * side bundles some functions ship beside their handler, and the same options for a plain esbuild
 * run, so that bench/bundles.ts bundles exactly what CDK deploys.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, type LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import type { FunctionSpec, HeavyModule } from '../function-spec';

/** Repository root: entries in the manifest are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The newest Node.js runtime aws-cdk-lib 2.276 knows (cdk-nag L1 checks that it is the latest). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** A heavy module kept out of the handler's file: built from `entry` into `outfile` beside `index.mjs`. */
export interface SideBundle {
  readonly module: HeavyModule;
  readonly entry: string;
  readonly outfile: string;
}

/**
 * Modules kept out of a handler's bundle and built into files of their own beside it, loaded
 * with a dynamic import (`import('./<outfile>')`, external in every bundle: BUNDLING.external)
 * by the first request that needs them, so a cold start never parses them (README, "Measured"):
 * the twilio REST client (the first real send, functions/conversations/messenger.ts), the S3
 * SDK (the first request that touches a bucket, functions/shared/s3.ts) and luxon (the first
 * time-zone computation, functions/shared/zones.ts). A function ships the
 * side bundles of the heavy modules its manifest entry declares (`heavy`); the bundle guard
 * (test/infra/bundles.test.ts) fails on a handler that imports one it does not declare.
 */
export const SIDE_BUNDLES: readonly SideBundle[] = [
  { module: 'twilio-rest', entry: 'functions/conversations/twilio-rest.mts', outfile: 'twilio-rest.mjs' },
  { module: 's3-sdk', entry: 'functions/shared/s3-sdk.mts', outfile: 's3-sdk.mjs' },
  { module: 'luxon', entry: 'functions/shared/luxon.mts', outfile: 'luxon.mjs' },
];

/**
 * esbuild options shared by CDK and the bundle benchmark. ESM output: Powertools and the AWS SDK
 * ship ESM (better tree shaking), and the banner gives CommonJS dependencies (twilio, csv-parser)
 * the `require` they call for Node built-ins inside an ES module.
 */
export const BUNDLING = {
  format: 'esm',
  target: 'node24',
  platform: 'node',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // Off: handlers tell errors apart with instanceof and the SDK's explicit `name`, never by a
  // constructor's name, and keeping names costs ~5% of every bundle (measured by bench/bundles.ts).
  keepNames: false,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // The pinned SDK v3 is bundled rather than taken from the runtime: same version as the tests,
  // and a minified bundle initializes faster than resolving the runtime's copy. The externals are
  // the side bundles (SIDE_BUNDLES), each bundled into a file of its own.
  external: SIDE_BUNDLES.map((side) => `*/${side.outfile}`),
  // Imports replaced in every handler bundle: @middy/core's `node:stream/web`, only ever used for
  // streamed responses, by a stand-in that loads Node's web streams on first use
  // (functions/shared/stream-web.mts; ~2 ms of every cold start, README "Measured").
  alias: { 'node:stream/web': 'functions/shared/stream-web.mts' },
  outfile: 'index.mjs',
  // Failures only: a synth bundles a dozen functions and their size table is bench/bundles.ts's job.
  logLevel: 'error',
} as const;

/** BUNDLING.alias with each stand-in's absolute path (esbuild resolves an alias in its working directory). */
const aliasesFromRoot = (): Record<string, string> =>
  Object.fromEntries(Object.entries(BUNDLING.alias).map(([from, to]) => [from, join(REPO_ROOT, to)]));

/** The side bundles a function ships: those of the heavy modules it declares. */
export const sideBundlesOf = (spec: Pick<FunctionSpec, 'heavy'>): readonly SideBundle[] =>
  SIDE_BUNDLES.filter((side) => spec.heavy?.includes(side.module));

/** BUNDLING as the esbuild JS API takes it (bench/bundles.ts). */
export function esbuildOptions(entry: string, outdir: string, outfile: string = BUNDLING.outfile): BuildOptions {
  return {
    entryPoints: [join(REPO_ROOT, entry)],
    outfile: join(outdir, outfile),
    bundle: true,
    format: BUNDLING.format,
    target: BUNDLING.target,
    platform: BUNDLING.platform,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    sourcesContent: BUNDLING.sourcesContent,
    keepNames: BUNDLING.keepNames,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.external],
    alias: aliasesFromRoot(),
    logLevel: BUNDLING.logLevel,
  };
}

/** The esbuild CLI line that builds one side bundle into `outputDir` (CDK's after-bundling hook). */
function sideBundleCommand(inputDir: string, outputDir: string, side: SideBundle): string {
  const flags = [
    '--bundle',
    `--format=${BUNDLING.format}`,
    `--target=${BUNDLING.target}`,
    `--platform=${BUNDLING.platform}`,
    BUNDLING.minify ? '--minify' : '',
    `--main-fields=${BUNDLING.mainFields.join(',')}`,
    `--banner:js="${BUNDLING.banner}"`,
    `--log-level=${BUNDLING.logLevel}`,
  ].filter(Boolean);
  return `"${join(inputDir, 'node_modules/.bin/esbuild')}" "${join(inputDir, side.entry)}" ${flags.join(' ')} --outfile="${join(outputDir, side.outfile)}"`;
}

/** BUNDLING as NodejsFunction takes it: local esbuild (a devDependency), never Docker; `sideBundles` built after the handler. */
export function cdkBundlingOptions(sideBundles: readonly SideBundle[] = []): BundlingOptions {
  return {
    ...(sideBundles.length > 0
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir: string, outputDir: string) =>
              sideBundles.map((side) => sideBundleCommand(inputDir, outputDir, side)),
          },
        }
      : {}),
    format: OutputFormat.ESM,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourceMap: BUNDLING.sourcemap,
    sourcesContent: BUNDLING.sourcesContent,
    keepNames: BUNDLING.keepNames,
    mainFields: [...BUNDLING.mainFields],
    banner: BUNDLING.banner,
    externalModules: [...BUNDLING.external],
    // Relative to the project root, where CDK runs esbuild: an absolute path would vary by machine.
    esbuildArgs: Object.fromEntries(Object.entries(BUNDLING.alias).map(([from, to]) => [`--alias:${from}`, `./${to}`])),
    bundleAwsSDK: true,
    logLevel: BUNDLING.logLevel as LogLevel,
    forceDockerBundling: false,
  };
}
