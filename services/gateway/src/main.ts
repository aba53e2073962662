import { runHttpService } from '@rag/wiring';
import { CONSOLE_ASSETS } from './console/console.assets';
import { GatewayModule } from './gateway.module';
import { GATEWAY_OPERATIONS } from './gateway.openapi';

/** The query gateway on its own, for deployments that run ingest separately. */
runHttpService({ name: 'gateway', title: 'Bank RAG query gateway', operations: GATEWAY_OPERATIONS, features: () => [GatewayModule], generates: true, staticAssets: CONSOLE_ASSETS });
