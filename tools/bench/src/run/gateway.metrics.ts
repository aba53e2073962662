const RSS_METRIC = /^rag_process_resident_memory_bytes\s+(\d+(?:\.\d+)?(?:e\+?\d+)?)$/m;

/** A service's resident memory as its own /metrics reports it, so it works for any running gateway. */
export async function residentBytes(serviceUrl: string): Promise<number> {
  const response = await fetch(`${serviceUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${serviceUrl}/metrics answered ${response.status}; the resident memory could not be read.`);
  const match = RSS_METRIC.exec(await response.text());
  if (!match) throw new Error(`${serviceUrl}/metrics has no rag_process_resident_memory_bytes: is this the product's gateway?`);
  return Number(match[1]);
}
