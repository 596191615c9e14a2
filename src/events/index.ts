export * from './catalog.js';
export * from './envelope.js';
export * from './errors.js';
export * from './event-bus.js';
export * from './listener.js';
export * from './outbox-admin.js';
export * from './outbox-relay.js';
export * from './publish-result.js';
export { serializeEvent, deserializeEvent, validateEvent } from './serialization.js';
