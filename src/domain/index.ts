export * from './common.js';
export * from './time-range.js';
export * from './phone-number.js';
export * from './appointment.js';
export * from './customer.js';
export * from './call.js';
