import { afterEach, beforeEach, describe, it } from 'vitest';
import { createMemoryAuditLog } from './memory-audit-log.js';
import { auditLogContract } from '../../testing/contracts/audit-log.contract.js';

auditLogContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryAuditLog());
