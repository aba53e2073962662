/** The other retrievers `--peers` can run beside the product (tools/eval/peers/run-peers.mjs). */
export const PEER_NAMES = ['langchain-bm25', 'langchain-ensemble', 'llamaindex-bm25', 'elasticsearch-bm25'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** Peers that rank with dense vectors need the embedding server (`--embedder model`). */
export const PEERS_NEEDING_EMBEDDINGS: readonly PeerName[] = ['langchain-ensemble'];
