import { resolve } from 'node:path';
import type { StaticAssets } from '@rag/platform';

/**
 * The operations console, a Vite app in services/gateway/console, built into its dist folder by
 * `npm run build`. The files are public (they hold no data); every figure they show comes from the
 * /v1/admin/ops endpoints, which need an admin key.
 */
export const CONSOLE_ASSETS: StaticAssets = { root: resolve(__dirname, '../../console/dist'), prefix: '/console/' };
