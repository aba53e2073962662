import { parseArgs } from 'node:util';
import { loadClientConfig } from '@rag/config';

interface ChatReply {
  answer?: string;
  citations?: { marker: number; title: string; sectionPath: string[]; chunkId: string; quote: string }[];
  degraded?: string[];
  error?: { message: string };
}

/**
 * `ask "question"`: asks a running gateway and prints the answer with its citations.
 * With --wait-for-citations it retries for a few seconds until the answer cites something,
 * which is how the quick start waits for freshly ingested documents to be indexed.
 */
async function main(): Promise<void> {
  const client = loadClientConfig(process.env);
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: client.url },
      'api-key': { type: 'string', default: client.apiKey },
      'wait-for-citations': { type: 'boolean', default: false },
    },
  });
  const question = positionals.join(' ').trim();
  if (!question) throw new Error('Usage: ask "your question" [--url http://127.0.0.1:8080] [--api-key KEY (or RAG_API_KEY)] [--wait-for-citations]');
  const apiKey = values['api-key'];
  if (!apiKey) throw new Error('An API key with the query scope is needed: pass --api-key or set RAG_API_KEY.');
  const deadline = Date.now() + (values['wait-for-citations'] ? 15_000 : 0);
  let reply = await ask(values.url, apiKey, question);
  while ((reply.citations?.length ?? 0) === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    reply = await ask(values.url, apiKey, question);
  }
  print(question, reply);
}

async function ask(url: string, apiKey: string, query: string): Promise<ChatReply> {
  const response = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query }) }).catch(
    (error: unknown) => {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new Error(`Cannot reach the gateway at ${url} (--url or RAG_URL): ${cause}`);
    },
  );
  const reply = (await response.json()) as ChatReply;
  if (!response.ok) throw new Error(`The gateway answered ${response.status}: ${reply.error?.message ?? 'no message'}`);
  return reply;
}

function print(question: string, reply: ChatReply): void {
  const lines = [`Question: ${question}`, '', `Answer: ${reply.answer ?? ''}`, ''];
  if (reply.degraded && reply.degraded.length > 0) lines.push(`(degraded: ${reply.degraded.join(', ')} did not answer)`, '');
  lines.push('Citations:');
  for (const citation of reply.citations ?? []) {
    lines.push(`  [${citation.marker}] ${citation.sectionPath.join(' › ')}`, `      chunk ${citation.chunkId}`, `      "${citation.quote}"`);
  }
  if ((reply.citations ?? []).length === 0) lines.push('  (none)');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
