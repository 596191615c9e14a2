import type { Linter } from 'eslint';

/** The layers of `src/`, lowest first (see eslint.layers.js). */
export declare const layers: readonly (readonly string[])[];
/** One ESLint config block per folder of `src/`, forbidding imports of its own layer and above. */
export declare function layerRules(): Linter.Config[];
