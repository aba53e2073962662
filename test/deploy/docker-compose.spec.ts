import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { environmentSchema } from '@rag/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** No Docker engine runs here, so the compose file is checked by parsing it. */
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}

const ROOT = resolve(import.meta.dirname, '../..');
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const STATEFUL = ['redis', 'mysql', 'etcd', 'minio', 'milvus', 'elasticsearch'];

describe('docker-compose.yml', () => {
  it('runs the four stores, Milvus’s etcd and MinIO, the three services and both model servers', () => {
    expect(Object.keys(services).sort()).toEqual(['elasticsearch', 'embeddings', 'etcd', 'gateway', 'ingest', 'llm', 'milvus', 'minio', 'mysql', 'redis', 'worker'].sort());
  });

  it('gives every container a health check and resource limits, and every store a volume', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(0);
      expect(service.deploy?.resources?.limits?.memory, `${name} memory limit`).toMatch(/^\d+[MG]$/);
      if (STATEFUL.includes(name)) expect(service.volumes?.length, `${name} volume`).toBeGreaterThan(0);
    }
  });

  it('uses the store versions the test suite runs against', () => {
    const storesLib = readFileSync(resolve(ROOT, 'scripts/stores/lib.sh'), 'utf8');
    const testedElasticsearch = /ES_VERSION="\$\{STORES_ES_VERSION:-([\d.]+)\}"/.exec(storesLib)?.[1];
    expect(services.elasticsearch?.image).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${testedElasticsearch}`);
    expect(services.mysql?.image).toBe('mysql:8.4');
    expect(services.redis?.image).toMatch(/^redis:7\.0\./);
  });

  it('configures the services only with settings the configuration schema knows', () => {
    const known = new Set(Object.keys(environmentSchema.shape));
    for (const name of ['gateway', 'ingest', 'worker']) {
      const environment = services[name]?.environment ?? {};
      expect(environment.PROFILE, name).toBe('full');
      for (const setting of Object.keys(environment)) expect(known.has(setting), `${name}: ${setting}`).toBe(true);
      expect(services[name]?.command?.join(' ')).toMatch(/^node services\/.+\/dist\/.+\.js$/);
    }
  });
});
