import { z } from 'zod';

const clientSchema = z.object({
  RAG_API_KEY: z.string().min(1).optional(),
  RAG_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
});

/** Settings of the command-line clients (`ingest`, `ask`): where the service is and the key to use. */
export interface ClientConfig {
  readonly apiKey: string | undefined;
  readonly url: string;
}

export function loadClientConfig(env: Readonly<Record<string, string | undefined>>): ClientConfig {
  const parsed = clientSchema.parse(env);
  return { apiKey: parsed.RAG_API_KEY, url: parsed.RAG_URL };
}
