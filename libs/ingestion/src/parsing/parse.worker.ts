import type { ContentType } from '@rag/core';
import { type ContentBlock, UnparsableDocumentError } from './content-block';
import { parseDocument } from './document.parser';
import type { ParseLimits } from './parse-limits';

export interface ParseTask {
  readonly content: string;
  readonly contentType: ContentType;
  readonly limits: ParseLimits;
}

/** Errors do not keep their class across threads, so the reason travels as data. */
export type ParseOutcome = { readonly blocks: ContentBlock[] } | { readonly reason: string };

/** Runs in a worker thread of the parse pool (see isolated.parser.ts). */
export default async function parseTask(task: ParseTask): Promise<ParseOutcome> {
  try {
    return { blocks: await parseDocument(task.content, task.contentType, task.limits) };
  } catch (error) {
    if (error instanceof UnparsableDocumentError) return { reason: error.message };
    throw error;
  }
}
