export * from './local-deployment.js';
export { ENTRY, PROJECT_ROOT, type StartedProcess } from './service.process.js';
