import Fastify from 'fastify';
import { Redis } from 'ioredis';

/**
 * The baseline of the cache-hit benchmark: one Fastify route that answers with one Redis GET,
 * nothing else. Run as its own process (`node bare-redis.server.js PORT REDIS_URL KEY`), like the
 * gateway, so the load generator shares neither's event loop. Prints `listening` when ready.
 */
async function main([port, redisUrl, key]: readonly string[]): Promise<void> {
  if (!port || !redisUrl || !key) throw new Error('Usage: bare-redis.server.js PORT REDIS_URL KEY');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const app = Fastify({ logger: false });
  app.post('/bare', async (_request, reply) => {
    const value = await redis.get(key);
    if (value === null) return reply.code(404).send({ error: `no value under ${key}` });
    return reply.type('application/json').send(value);
  });
  const stop = () => void app.close().finally(() => redis.disconnect());
  process.once('SIGTERM', stop).once('SIGINT', stop);
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  process.stdout.write('listening\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`The bare Redis route failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
