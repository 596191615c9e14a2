export * from './idempotency-store.js';
export * from './errors.js';
export { IdempotencyKey, IdempotencyScope, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-scope.js';
export * from './canonical-json.js';
export * from './fingerprint.js';
export * from './idempotent.js';
export * from './calcom-webhook-key.js';
export * from './retell-keys.js';
