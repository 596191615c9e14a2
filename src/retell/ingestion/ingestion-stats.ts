import type { RetellUnresolvedTenant } from './call-tenant.js';

/** What a Retell webhook endpoint did since it was created, by outcome. */
export interface RetellWebhookStats {
  /** Webhooks merged into their call for the first time. */
  readonly recorded: number;
  /** Webhooks recorded before (Retell resends): nothing changed. */
  readonly duplicates: number;
  /** Webhooks acknowledged without a tenant, nothing stored: by why no tenant owns the call. */
  readonly noTenant: Readonly<Record<RetellUnresolvedTenant, number>>;
  /** Events bookingkit does not record, acknowledged. */
  readonly ignored: number;
}

/** Counters behind {@link RetellWebhookStats}. @internal */
export function createIngestionCounters() {
  let recorded = 0;
  let duplicates = 0;
  let ignored = 0;
  const noTenant: Record<RetellUnresolvedTenant, number> = {
    no_number: 0,
    unknown_number: 0,
    tenant_suspended: 0,
    other_workspace: 0,
  };
  return {
    count(action: 'recorded' | 'duplicate' | 'no_tenant' | 'ignored'): void {
      if (action === 'recorded') recorded += 1;
      else if (action === 'duplicate') duplicates += 1;
      else if (action === 'ignored') ignored += 1;
    },
    noTenant(reason: RetellUnresolvedTenant): void {
      noTenant[reason] += 1;
    },
    snapshot(): RetellWebhookStats {
      return { recorded, duplicates, noTenant: { ...noTenant }, ignored };
    },
  };
}

/** What a Retell inbound-call endpoint did since it was created. */
export interface RetellInboundStats {
  /** Inbound calls answered with their tenant's data. */
  readonly answered: number;
  /** Inbound calls answered without tenant data: by why no tenant owns the called number. */
  readonly noTenant: Readonly<Record<RetellUnresolvedTenant, number>>;
  /**
   * Answers sent without a part (the tenant itself, the caller or the services) because its
   * look-up did not answer within the time budget.
   */
  readonly overBudget: number;
  /** Look-ups that failed; the answer went without their part. */
  readonly lookupFailures: number;
}

/** Counters behind {@link RetellInboundStats}. @internal */
export function createInboundCounters() {
  const counts = { answered: 0, overBudget: 0, lookupFailures: 0 };
  const noTenant: Record<RetellUnresolvedTenant, number> = {
    no_number: 0,
    unknown_number: 0,
    tenant_suspended: 0,
    other_workspace: 0,
  };
  return {
    count(what: keyof typeof counts): void {
      counts[what] += 1;
    },
    noTenant(reason: RetellUnresolvedTenant): void {
      noTenant[reason] += 1;
    },
    snapshot(): RetellInboundStats {
      return { ...counts, noTenant: { ...noTenant } };
    },
  };
}
