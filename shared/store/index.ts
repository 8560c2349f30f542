export * from './errors.js';
export { keys, taskIdFor } from './keys.js';
export * from './store.js';
export * from './table.js';
export * from './types.js';
