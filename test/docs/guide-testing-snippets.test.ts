// Runs the test files that docs/guides/testing.md shows, as the guide shows them: each snippet
// registers its tests with vitest when it is imported.
import { importGuideSnippet } from './guide-snippet-module.js';

await importGuideSnippet('testing.md', 'lost-response.test.ts');
await importGuideSnippet('testing.md', 'outbox-store.contract.test.ts');
await importGuideSnippet('testing.md', 'calcom-simulator.test.ts');
