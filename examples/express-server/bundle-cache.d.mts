/** Where bundles (and the PGlite template, see src/pglite-template.ts) are cached. */
export declare const CACHE_DIR: string;

/** Options of {@link exampleBundle}. */
export interface ExampleBundleOptions {
  /** Where bundles and their manifests are kept. @default CACHE_DIR */
  readonly cacheDir?: string;
  /** The tsconfig whose `paths` map bookingkit to src/. @default examples/tsconfig.json */
  readonly tsconfig?: string;
}

/**
 * Resolves to the bundle of `entryPoint` (a .ts file) and whether an earlier build was reused
 * (every input unchanged by content).
 *
 * @example
 * ```ts
 * const { file, reused } = await exampleBundle('examples/express-server/src/main.ts');
 * ```
 */
export declare function exampleBundle(
  entryPoint: string,
  options?: ExampleBundleOptions,
): Promise<{ readonly file: string; readonly reused: boolean }>;
