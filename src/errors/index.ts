export * from './booking-kit-error.js';
export * from './invalid-option-error.js';
export * from './validation-error.js';
export * from './store-errors.js';
