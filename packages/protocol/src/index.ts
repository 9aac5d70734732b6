export * from './generated/artifacts.js';
export * from './eip712.js';
export * from './orders.js';
export * from './ids.js';
export * from './deploy.js';
export * from './client.js';
