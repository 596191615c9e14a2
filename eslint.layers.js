/**
 * The layers of `src/`, lowest first, and the lint rule that keeps imports pointing down.
 *
 * A folder may import its own files and the folders of lower layers, never a folder of its own
 * layer or of a higher one. Tests (`*.test.ts`, `*.test-d.ts`) are exempt: they may use the memory
 * adapters and `testing/` wherever they sit. DESIGN.md ("Source layout") explains the order.
 */
export const layers = [
  ['errors'],
  ['util'],
  // Metrics and spans through @opentelemetry/api: every block above records to it.
  ['observability'],
  ['domain'],
  ['ports'],
  ['events', 'resilience', 'idempotency', 'tenancy'],
  ['saga'],
  ['booking'],
  // Reconciliation acts through BookingService and publishes its events: it stands on booking.
  ['reconcile'],
  ['http'],
  ['adapters', 'calcom', 'retell'],
  ['testing'],
  ['kit'],
];

/**
 * One ESLint config block per folder of `src/`, each forbidding imports of the folders at its own
 * layer and above. Relative specifiers name the folder they reach (`../booking/model/x.js`), so a
 * gitignore-style pattern per folder catches them at any depth.
 *
 * @returns {import('eslint').Linter.Config[]}
 */
export function layerRules() {
  return layers.flatMap((layer, index) =>
    layer.map((folder) => {
      const above = layers
        .slice(index)
        .flat()
        .filter((other) => other !== folder);
      return {
        files: [`src/${folder}/**/*.ts`],
        ignores: ['**/*.test.ts', '**/*.test-d.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: above.map((other) => ({
                group: [`**/${other}/**`, `**/${other}`],
                message: `src/${folder}/ sits below src/${other}/ (or beside it): imports point down only. Move the shared code down a layer instead.`,
              })),
            },
          ],
        },
      };
    }),
  );
}
