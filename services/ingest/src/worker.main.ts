import { runBackgroundService } from '@rag/wiring';
import { IngestModule } from './ingest.module';

/**
 * An index worker on its own, without HTTP: it drains the outbox into the indexes. Run as many as
 * the load needs; they share the work through the outbox claims.
 */
runBackgroundService('worker', () => [IngestModule.register({ runWorker: true })]);
