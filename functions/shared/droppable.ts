/**
 * A module-level value (a zod schema) that the bundler drops from every function that does not
 * use it. Call it marked pure: `/* @__PURE__ *\/ droppable(() => z.string().check(…))`.
 *
 * esbuild keeps any module-level call it cannot prove free of side effects, and zod/mini's own
 * `@__NO_SIDE_EFFECTS__` marks do not carry across files, nor does a pure mark in front of a
 * chain like `z.string().check(…)` (it covers the inner call). Without this every function
 * importing a schema module built all of its schemas at cold start, ~20 µs each (README,
 * "Measured"); the pure call around the whole definition lets the unused ones go.
 *
 * A dropped schema is not registered in `z.globalRegistry` either: nothing reads the registry at
 * run time; the API description (lib/openapi/document.ts) is built from the sources, not bundles.
 */
export const droppable = <T>(make: () => T): T => make();
