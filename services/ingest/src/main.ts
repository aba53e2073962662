import { runHttpService } from '@rag/wiring';
import { IngestModule } from './ingest.module';
import { INGEST_OPERATIONS } from './ingest.openapi';

/** The ingest service on its own: the document API, with an index worker unless INGEST_RUN_WORKER=false. */
runHttpService({
  name: 'ingest',
  title: 'Bank RAG ingest service',
  operations: INGEST_OPERATIONS,
  features: (config) => [IngestModule.register({ runWorker: config.ingest.runWorker })],
  generates: false,
});
