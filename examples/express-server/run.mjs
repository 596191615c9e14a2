// Starts the example: `node examples/express-server/run.mjs server|call [args]`.
//
// 1. Bundles the example and bookingkit (from src/) into one file with esbuild, or reuses the
//    bundle of an earlier start when no source it was built from has changed (bundle-cache.mjs;
//    cached in node_modules/.cache/bookingkit-example). Third-party packages stay external.
// 2. Runs the bundle in this process (no TypeScript loader, no second node): it starts fast.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exampleBundle } from './bundle-cache.mjs';

const began = performance.now();
const exampleDir = dirname(fileURLToPath(import.meta.url));
const entries = { server: 'main.ts', call: 'call.ts' };

const [which = 'server', ...args] = process.argv.slice(2);
if (!(which in entries)) {
  console.error(`usage: node ${relative(process.cwd(), fileURLToPath(import.meta.url))} server|call [args]`);
  process.exit(2);
}

const { file, reused } = await exampleBundle(join(exampleDir, 'src', entries[which]));
// The entry reads its arguments from process.argv, as when run as `node <bundle> [args]`.
process.argv = [process.argv[0], file, ...args];
// Stack traces point at src/ (the bundle's source map), as `node --enable-source-maps` would.
process.setSourceMapsEnabled(true);
// For the server's start-up log: how long the launcher took and whether it built.
globalThis.__EXAMPLE_LAUNCH__ = { bundleReused: reused, launcherMs: Math.round(performance.now() - began) };
await import(pathToFileURL(file).href);
