export * from './local-deployment.js';
export { ENTRY, freePort, PROJECT_ROOT, type StartedProcess } from './service.process.js';
export { hasMilvusCollection } from './store-namespace.js';
