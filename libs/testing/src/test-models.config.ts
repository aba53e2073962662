/** Where the model servers for tests listen, as scripts/models/start-model-servers.sh writes them. */
export interface TestModelUrls {
  readonly embedding: { readonly url: string; readonly model: string; readonly dimensions: number; readonly inputTypeField: string | undefined };
  readonly chat: { readonly url: string; readonly model: string };
}

const VARIABLES = ['MODELS_EMBEDDING_URL', 'MODELS_EMBEDDING_MODEL', 'MODELS_EMBEDDING_DIMENSIONS', 'MODELS_CHAT_URL', 'MODELS_CHAT_MODEL'] as const;

/**
 * The model servers' addresses and model names. Contract suites run against them unless
 * CONTRACT_EMBEDDED_ONLY=1 says explicitly that only the in-process adapters are wanted; a missing
 * address is an error, never a silent skip. Every address must be on loopback.
 */
export function testModelUrls(): TestModelUrls | null {
  const env = process.env;
  if (env.CONTRACT_EMBEDDED_ONLY === '1') return null;
  const missing = VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not set: start the model servers with scripts/models/start-model-servers.sh and source .models/urls.env, or set CONTRACT_EMBEDDED_ONLY=1.`);
  }
  const dimensions = Number(env.MODELS_EMBEDDING_DIMENSIONS);
  if (!Number.isInteger(dimensions) || dimensions <= 0) throw new Error(`MODELS_EMBEDDING_DIMENSIONS must be a positive integer, not "${env.MODELS_EMBEDDING_DIMENSIONS}".`);
  const urls: TestModelUrls = {
    embedding: {
      url: env.MODELS_EMBEDDING_URL as string,
      model: env.MODELS_EMBEDDING_MODEL as string,
      dimensions,
      inputTypeField: env.MODELS_EMBEDDING_INPUT_TYPE_FIELD || undefined,
    },
    chat: { url: env.MODELS_CHAT_URL as string, model: env.MODELS_CHAT_MODEL as string },
  };
  for (const url of [urls.embedding.url, urls.chat.url]) {
    const host = new URL(url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`Refusing to test against ${host}: model servers for tests must be on loopback.`);
  }
  return urls;
}
