import { createRequire } from 'node:module';
import * as zod from 'zod';

/** What {@link assertZod4} reads of the loaded zod module: zod 4 has `z.core.version`. */
interface ZodModuleLike {
  readonly z?: { readonly core?: { readonly version?: { readonly major?: unknown } } };
}

/** The version of the zod package that `import 'zod'` resolves to from here, as its package.json says. */
function installedZodVersion(): string {
  try {
    return String((createRequire(import.meta.url)('zod/package.json') as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

/**
 * Throws a clear error when the zod that bookingkit loads is not zod 4. zod is a peer
 * dependency (`zod@^4`): npm refuses a zod 3 at install time, but pnpm, yarn and
 * `npm --legacy-peer-deps` only warn, and bookingkit's schemas would then fail at load with an
 * obscure `z.json is not a function`. The built package runs this check before anything else
 * (tsup.config.ts injects zod-version-check.ts into every output file).
 *
 * @throws `Error` with `code: 'ZOD_VERSION'`, naming the installed version and the fix.
 * @internal
 */
export function assertZod4(
  loaded: unknown = zod,
  installedVersion: () => string = installedZodVersion,
): void {
  if ((loaded as ZodModuleLike).z?.core?.version?.major === 4) return;
  const error = new Error(
    `bookingkit needs zod 4 (peer dependency "zod": "^4"), but the installed zod is ${installedVersion()}. ` +
      'Fix: npm install zod@^4 (code that still needs zod 3 can import it from "zod/v3").',
  );
  throw Object.assign(error, { code: 'ZOD_VERSION' as const });
}
