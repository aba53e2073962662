import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving a request carries. */
export interface RequestLogFields {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestLogFields>();

export function runWithRequestFields<T>(fields: RequestLogFields, work: () => T): T {
  return storage.run(fields, work);
}

export function currentRequestFields(): RequestLogFields | undefined {
  return storage.getStore();
}
