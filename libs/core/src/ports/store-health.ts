export interface StoreHealth {
  readonly ok: boolean;
  /** The adapter in use, e.g. `sqlite-fts5` or `elasticsearch`. */
  readonly adapter: string;
  readonly detail?: string;
}

/** What every store adapter can do besides its own job. */
export interface ManagedStore {
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
