/** The other retrievers `--peers` can run beside the product (tools/eval/peers/run-peers.mjs). */
export const PEER_NAMES = ['langchain-bm25', 'langchain-ensemble', 'llamaindex-bm25', 'elasticsearch-bm25'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** Peers that re-score every document per query (LangChain.js and LlamaIndex.TS BM25): `--slow-peer-queries` samples their queries. */
export const SLOW_PEERS: readonly PeerName[] = ['langchain-bm25', 'langchain-ensemble', 'llamaindex-bm25'];

/** Peers that rank with dense vectors need the embedding server (`--embedder model`). */
export const PEERS_NEEDING_EMBEDDINGS: readonly PeerName[] = ['langchain-ensemble'];
