export * from './bulk.js';
export * from './client.js';
export * from './deploy.js';
export * from './eip712.js';
export * from './generated/artifacts.js';
export * from './ids.js';
export * from './orders.js';
export * from './params.js';
