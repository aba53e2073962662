import { CONSOLE_ASSETS, GatewayModule, GATEWAY_OPERATIONS } from '@rag/gateway';
import { IngestModule, INGEST_OPERATIONS } from '@rag/ingest';
import { runHttpService } from '@rag/wiring';

/**
 * The all-in-one: gateway, ingest API and an index worker in one process over one set of stores.
 * On the embedded profile (the default) it needs nothing but a data folder.
 */
runHttpService({
  name: 'all-in-one',
  title: 'Bank RAG (all-in-one)',
  operations: [...GATEWAY_OPERATIONS, ...INGEST_OPERATIONS],
  features: () => [GatewayModule, IngestModule.register({ runWorker: true })],
  generates: true,
  staticAssets: CONSOLE_ASSETS,
});
