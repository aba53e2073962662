export * from './local-deployment.js';
export { ENTRY, freePort, PROJECT_ROOT } from './service.process.js';
