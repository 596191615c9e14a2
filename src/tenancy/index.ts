export * from './tenant.js';
export * from './api-key.js';
export * from './errors.js';
export * from './resolve-tenant.js';
export * from './tenant-directory.js';
