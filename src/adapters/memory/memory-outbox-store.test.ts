import { afterEach, beforeEach, describe, it } from 'vitest';
import { createMemoryOutboxStore } from './memory-outbox-store.js';
import { outboxStoreContract } from '../../testing/contracts/outbox-store.contract.js';

outboxStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryOutboxStore());
