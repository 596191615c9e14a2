// Types of scripts/typedoc-hide-preamble.mjs, for the test that imports it.
import type { Application } from 'typedoc';

/** The code part's text without the lines up to and including `// ---cut---`. */
export function hidePreamble(text: string): string;

/** Registers the plugin with TypeDoc. */
export function load(app: Application): void;
