export * from './local-deployment.js';
export { ENTRY, PROJECT_ROOT } from './service.process.js';
