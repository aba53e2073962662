import type { ActiveVersionInfo, RetrievedChunk, RouteDecision } from '@rag/core';

export interface RouterSettings {
  /** A document with at least this many chunks is long: flat chunks lose where they sit in it. */
  readonly longDocumentChunks: number;
}

/** How many of hybrid's best hits the router looks at. */
const LOOK_AT = 10;

/**
 * `auto`: navigate when hybrid's best hits come from a long document and spread over several of
 * its sections (the question needs more than one part of it, and the tree tells which); otherwise
 * hybrid's answer stands. The signals go to the trace with the reason.
 */
export function routeQuery(hits: readonly RetrievedChunk[], documents: readonly ActiveVersionInfo[], settings: RouterSettings): RouteDecision {
  const top = hits.slice(0, LOOK_AT);
  const lead = documents.find((document) => document.documentId === top[0]?.documentId);
  const inLead = top.filter((hit) => hit.documentId === lead?.documentId);
  const sections = new Set(inLead.map((hit) => hit.chunk.sectionPath.join('\u0000')));
  const signals = {
    hits: top.length,
    leadDocumentChunks: lead?.chunkCount ?? 0,
    leadDocumentShare: top.length > 0 ? Math.round((inLead.length / top.length) * 100) / 100 : 0,
    leadDocumentSections: sections.size,
  };
  if (!lead) return { chosen: 'hybrid', reason: 'Hybrid found no readable document to walk; its result stands.', signals };
  if (lead.chunkCount < settings.longDocumentChunks) {
    return { chosen: 'hybrid', reason: `The best document has ${lead.chunkCount} chunks, under the ${settings.longDocumentChunks} that make a document long; flat retrieval sees it whole.`, signals };
  }
  if (sections.size < 2) {
    return { chosen: 'hybrid', reason: `The best document is long (${lead.chunkCount} chunks) but hybrid's hits in it sit in one section; flat retrieval already found the place.`, signals };
  }
  return { chosen: 'navigate', reason: `The best document is long (${lead.chunkCount} chunks) and hybrid's hits in it spread over ${sections.size} sections: walking its structure picks the parts.`, signals };
}
