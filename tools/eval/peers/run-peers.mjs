// Ranks a dataset's queries with other retrievers, as their documentation shows them, so that the
// evaluation can put them beside the product's modes in one table. Runs as a child process of
// `npm run eval` (tools/eval/src/peers/peer.runner.ts) because these libraries live in their own
// dependency tree here. Input: the path of a JSON job file. Output: one JSON line per peer on
// stdout; progress on stderr.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const PEERS = {
  'langchain-bm25': langchainBm25,
  'langchain-ensemble': langchainEnsemble,
  'llamaindex-bm25': llamaindexBm25,
  'elasticsearch-bm25': elasticsearchBm25,
};

for (const name of job.peers) {
  const build = PEERS[name];
  if (!build) throw new Error(`Unknown peer ${name}; known: ${Object.keys(PEERS).join(', ')}`);
  const started = performance.now();
  const peer = await build(job.corpus, job.topK);
  const indexSeconds = (performance.now() - started) / 1000;
  // A slow peer (it re-scores every document per query) may be given an evenly spaced sample.
  const sampled = new Set(job.sampledQueryIds ?? []);
  const queries = (job.sampledPeers ?? []).includes(name) ? job.queries.filter((query) => sampled.has(query.id)) : job.queries;
  try {
    process.stdout.write(`${JSON.stringify({ name, indexSeconds, ...(await rankAll(name, peer, queries)) })}\n`);
  } finally {
    await peer.close?.();
  }
}

/** Every query once, one at a time; a query the peer throws on ranks nothing and is counted. */
async function rankAll(name, peer, queries) {
  const rankings = {};
  const latencies = [];
  let errors = 0;
  let firstError = null;
  const started = performance.now();
  for (const [i, query] of queries.entries()) {
    const sent = performance.now();
    try {
      rankings[query.id] = unique(await peer.search(query.text));
      latencies.push(performance.now() - sent);
    } catch (error) {
      errors++;
      firstError ??= `${query.id}: ${error instanceof Error ? error.message : String(error)}`;
      rankings[query.id] = [];
    }
    if ((i + 1) % Math.max(1, Math.floor(queries.length / 10)) === 0) process.stderr.write(`Queries (${name}): ${i + 1}/${queries.length} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  return { rankings, latencies, seconds: (performance.now() - started) / 1000, errors, firstError };
}

function unique(ids) {
  return [...new Set(ids)];
}

/** The text each peer indexes: title and text, as the product's document has both. */
function contentOf(entry) {
  return entry.title ? `${entry.title}\n${entry.text}` : entry.text;
}

async function langchainDocuments(corpus) {
  const { Document } = await import('@langchain/core/documents');
  return corpus.map((entry) => new Document({ pageContent: contentOf(entry), metadata: { id: entry.id } }));
}

/** LangChain.js BM25Retriever as documented: fromDocuments, k results. */
async function langchainBm25(corpus, topK) {
  const { BM25Retriever } = await import('@langchain/community/retrievers/bm25');
  const retriever = BM25Retriever.fromDocuments(await langchainDocuments(corpus), { k: topK });
  return { search: async (text) => (await retriever.invoke(text)).map((doc) => doc.metadata.id) };
}

/**
 * LangChain.js EnsembleRetriever as documented: BM25Retriever and a MemoryVectorStore retriever,
 * weights 0.5 / 0.5 (weighted RRF, c = 60). The vectors come from the same embedding server the
 * product uses, so the two differ only in how they index, search and fuse.
 */
async function langchainEnsemble(corpus, topK) {
  if (!job.embedding) throw new Error('langchain-ensemble needs an embedding server (npm run eval -- ... --embedder model).');
  const { BM25Retriever } = await import('@langchain/community/retrievers/bm25');
  const { EnsembleRetriever } = await import('@langchain/classic/retrievers/ensemble');
  const { MemoryVectorStore } = await import('@langchain/classic/vectorstores/memory');
  const documents = await langchainDocuments(corpus);
  const store = await MemoryVectorStore.fromDocuments(documents, await serverEmbeddings(job.embedding));
  const retriever = new EnsembleRetriever({ retrievers: [BM25Retriever.fromDocuments(documents, { k: topK }), store.asRetriever(topK)], weights: [0.5, 0.5] });
  return { search: async (text) => (await retriever.invoke(text)).map((doc) => doc.metadata.id) };
}

/** LangChain's Embeddings over the OpenAI-compatible server, sending e5's query/passage field. */
async function serverEmbeddings({ url, model, inputTypeField }) {
  const { Embeddings } = await import('@langchain/core/embeddings');
  const call = async (input, inputType) => {
    const body = { model, input, ...(inputTypeField ? { [inputTypeField]: inputType } : {}) };
    const response = await fetch(`${url}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`The embedding server answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return (await response.json()).data.sort((a, b) => a.index - b.index).map((item) => item.embedding);
  };
  let embedded = 0;
  return new (class extends Embeddings {
    async embedDocuments(texts) {
      const vectors = [];
      for (let i = 0; i < texts.length; i += 16) {
        vectors.push(...(await call(texts.slice(i, i + 16), 'passage')));
        embedded += Math.min(16, texts.length - i);
        if (embedded % 160 === 0 || embedded === texts.length) process.stderr.write(`Embedding (langchain-ensemble): ${embedded}/${texts.length}\n`);
      }
      return vectors;
    }
    async embedQuery(text) {
      return (await call([text], 'query'))[0];
    }
  })({});
}

/**
 * LlamaIndex.TS Bm25Retriever as documented: over a document store, topK results. Its CommonJS
 * build: the ES module build imports okapibm25's default export, which Node's ESM loader does not
 * unwrap ("BM25 is not a function" on every query).
 */
async function llamaindexBm25(corpus, topK) {
  // Everything of LlamaIndex from the one (CommonJS) build: it refuses to be loaded twice.
  const require = createRequire(import.meta.url);
  const { Bm25Retriever } = require('@llamaindex/bm25-retriever');
  const { Document } = require('@llamaindex/core/schema');
  const { KVDocumentStore } = require('@llamaindex/core/storage/doc-store');
  const { SimpleKVStore } = require('@llamaindex/core/storage/kv-store');
  const docStore = new KVDocumentStore(new SimpleKVStore());
  await docStore.addDocuments(corpus.map((entry) => new Document({ id_: entry.id, text: contentOf(entry) })), true);
  const retriever = new Bm25Retriever({ docStore, topK });
  return { search: async (text) => (await retriever.retrieve({ query: text })).map((result) => result.node.id_) };
}

/**
 * Elasticsearch's own BM25 with its standard analyzer, called over its REST API: one text field
 * holding title and text, a match query. The index is made for this run and dropped after it.
 */
async function elasticsearchBm25(corpus, topK) {
  if (!job.elasticsearchUrl) throw new Error('elasticsearch-bm25 needs the test Elasticsearch (STORES_ELASTICSEARCH_URL from .stores/urls.env).');
  const base = job.elasticsearchUrl.replace(/\/$/, '');
  const index = `rag-test-eval-peer-${randomBytes(4).toString('hex')}`;
  const es = async (method, path, body, contentType = 'application/json') => {
    const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': contentType }, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`Elasticsearch ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  await es('PUT', `/${index}`, JSON.stringify({ settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { content: { type: 'text', analyzer: 'standard' } } } }));
  try {
    for (let i = 0; i < corpus.length; i += 500) {
      const lines = corpus.slice(i, i + 500).flatMap((entry) => [JSON.stringify({ index: { _id: entry.id } }), JSON.stringify({ content: contentOf(entry) })]);
      const result = await es('POST', `/${index}/_bulk`, `${lines.join('\n')}\n`, 'application/x-ndjson');
      if (result.errors) throw new Error(`Elasticsearch refused part of a bulk request: ${JSON.stringify(result.items.find((item) => item.index?.error))}`);
    }
    await es('POST', `/${index}/_refresh`);
  } catch (error) {
    await es('DELETE', `/${index}`).catch(() => undefined);
    throw error;
  }
  return {
    search: async (text) => {
      const result = await es('POST', `/${index}/_search`, JSON.stringify({ size: topK, _source: false, query: { match: { content: text } } }));
      return result.hits.hits.map((hit) => hit._id);
    },
    close: () => es('DELETE', `/${index}`),
  };
}
