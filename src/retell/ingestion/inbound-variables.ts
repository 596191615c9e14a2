import type { Tenant } from '../../tenancy/tenant.js';
import { localDateKey } from '../functions/local-time.js';
import { createSpeech } from '../speech/speech.js';

/** What the inbound answer knows about a call, within its time budget. */
export interface InboundFacts {
  readonly tenant: Pick<Tenant, 'name' | 'timeZone' | 'locale'>;
  /** When the webhook arrived, epoch ms. */
  readonly now: number;
  /** The caller as a known customer; `null` when not one; `undefined` when the look-up did not answer. */
  readonly caller?: { readonly name: string | null } | null;
  /** The titles of the tenant's services; `undefined` when the calendar did not answer. */
  readonly services?: readonly string[];
}

/**
 * The dynamic variables of an inbound call, every value a string (Retell's
 * `retell_llm_dynamic_variables` is `Record<string, string>`), in the tenant's language and time
 * zone. What is not known is left out rather than sent empty, so the agent's default values
 * (`default_dynamic_variables`) apply:
 *
 * | variable | example (de / en) |
 * | --- | --- |
 * | `business_name` | `Salon Lumen` |
 * | `language` | `de` / `en` |
 * | `time_zone` | `Europe/Berlin` |
 * | `today` | `Dienstag, 3. März` / `Tuesday, March 3` |
 * | `current_date` | `3. März 2026` / `March 3, 2026` |
 * | `current_date_iso` | `2026-03-03` (the form the voice functions take dates in) |
 * | `current_time` | `14:30` / `2:30 PM` |
 * | `caller_known` | `true` / `false` (left out when the look-up did not answer) |
 * | `caller_name` | `Ana Schmidt` (a known customer with a name only) |
 * | `services` | `Haarschnitt, Färben und Beratung` / `Haircut, Colour and Consultation` |
 *
 * @example
 * ```ts
 * declare const tenant: Tenant;
 * // ---cut---
 * const variables = inboundDynamicVariables({ tenant, now: Date.now(), caller: { name: 'Ana' }, services: ['Haircut'] });
 * variables.current_time; // '2:30 PM' for an English tenant in Berlin at 13:30 UTC
 * ```
 */
export function inboundDynamicVariables(facts: InboundFacts): Record<string, string> {
  const { tenant, now } = facts;
  const speech = createSpeech(tenant.locale, tenant.timeZone);
  const variables: Record<string, string> = {
    business_name: tenant.name,
    language: tenant.locale,
    time_zone: tenant.timeZone,
    today: speech.day(now),
    current_date: speech.date(now),
    current_date_iso: localDateKey(now, tenant.timeZone),
    current_time: speech.time(now),
  };
  if (facts.caller !== undefined) {
    variables.caller_known = facts.caller === null ? 'false' : 'true';
    if (facts.caller?.name) variables.caller_name = facts.caller.name;
  }
  if (facts.services !== undefined && facts.services.length > 0) {
    variables.services = speech.list(facts.services, 'and');
  }
  return variables;
}
