// Injected by tsup.config.ts at the top of every built file, so that a wrong zod is reported
// before any schema is built (see assertZod4).
import { assertZod4 } from './zod-version.js';

assertZod4();
