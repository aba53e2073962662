/** Dependency-injection tokens, one per port. Consumers are typed by the port, never the adapter. */
export const ANSWER_CACHE = Symbol('AnswerCache');
export const VECTOR_INDEX = Symbol('VectorIndex');
export const KEYWORD_INDEX = Symbol('KeywordIndex');
export const SQL_STORE = Symbol('SqlStore');
export const EMBEDDER = Symbol('Embedder');
export const GENERATOR = Symbol('Generator');
/** The extractive generator, always available: the answer of last resort when verification fails. */
export const FALLBACK_GENERATOR = Symbol('FallbackGenerator');
export const AUTHENTICATOR = Symbol('Authenticator');
export const RATE_LIMITER = Symbol('RateLimiter');
/** A model that rewrites follow-up questions; absent when no model server is configured. */
export const QUERY_REWRITER = Symbol('QueryRewriter');
/** A chat model that picks the sections worth reading for `navigate`; absent without a model server. */
export const SECTION_CHOOSER = Symbol('SectionChooser');
