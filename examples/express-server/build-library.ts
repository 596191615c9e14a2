import { defineConfig } from 'tsup';
import { esmModulesBuild } from '../../tsup.config.js';

/**
 * The library's ESM modules only (no declarations, no CommonJS): what `npm run example` needs
 * from dist/, built in seconds. `npm run build` builds everything.
 */
export default defineConfig(esmModulesBuild('dist', false));
