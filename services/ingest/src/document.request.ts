import { CONTENT_TYPES, isBinaryContentType } from '@rag/core';
import { z } from 'zod';

/** The fields every way of submitting a document shares (JSON, batch item, upload form). */
const documentFields = {
  collection: z.string().trim().min(1).max(128).default('default'),
  externalId: z.string().trim().min(1).max(256),
  title: z.string().trim().min(1).max(512),
  contentType: z.enum(CONTENT_TYPES).default('text/plain'),
  acl: z
    .strictObject({ groups: z.array(z.string().trim().min(1).max(128)).max(256) })
    .default({ groups: [] }),
  metadata: z.record(z.string(), z.unknown()).default({}),
};

/** Text as `content`, or any file (PDF, DOCX, text in any bytes) as `contentBase64`: exactly one of the two. */
export const submitDocumentSchema = z
  .strictObject({
    ...documentFields,
    content: z.string().optional().describe('The text of a text/plain, text/markdown or text/html document.'),
    contentBase64: z.base64().optional().describe('The file, base64-encoded: required for application/pdf and DOCX, allowed for text formats (decoded as UTF-8).'),
  })
  .superRefine((body, ctx) => {
    if ((body.content === undefined) === (body.contentBase64 === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'exactly one of content (text) or contentBase64 (a base64-encoded file) is required' });
    } else if (body.content !== undefined && isBinaryContentType(body.contentType)) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: `${body.contentType} is a binary format: send the file as contentBase64, or upload it to POST /v1/documents/upload` });
    }
  });

export type SubmitDocumentRequest = z.infer<typeof submitDocumentSchema>;

export const submitDocumentExample = {
  collection: 'policies',
  externalId: 'credit-card-faq',
  title: '信用卡常见问题',
  contentType: 'text/markdown',
  content: '# 信用卡常见问题\n\n## 年费\n\n金卡年费为 300 元。',
  acl: { groups: ['retail-staff'] },
  metadata: { owner: 'cards-team' },
};

/** Items are validated one by one, so that one bad document fails alone with its reason. */
export const batchRequestSchema = z.strictObject({ documents: z.array(z.unknown()).min(1) });

/** What the OpenAPI document shows: a list of the same bodies `POST /v1/documents` takes. */
export const batchRequestDocSchema = z.strictObject({ documents: z.array(submitDocumentSchema).min(1) });

export const batchRequestExample = {
  documents: [
    submitDocumentExample,
    { collection: 'policies', externalId: 'wire-fees', title: 'Wire transfer fees', contentType: 'text/plain', content: 'An outgoing international wire costs 150 yuan.' },
  ],
};

/**
 * The text fields of a multipart upload beside its one `file` part. The file's name is the
 * externalId and title unless they are given; groups may repeat; metadata is a JSON object.
 */
export const uploadFieldsSchema = z.strictObject({
  collection: documentFields.collection,
  externalId: documentFields.externalId.optional(),
  title: documentFields.title.optional(),
  contentType: z.enum(CONTENT_TYPES).optional(),
  groups: z.array(z.string().trim().min(1).max(128)).max(256).default([]),
  metadata: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }),
});

export type UploadFields = z.infer<typeof uploadFieldsSchema>;

/** What the OpenAPI document shows for the upload form. */
export const uploadFormDocSchema = z.object({
  file: z.string().meta({ format: 'binary' }).describe('The document: .pdf, .docx, .md, .html or .txt.'),
  collection: z.string().optional(),
  externalId: z.string().optional().describe('Defaults to the file name.'),
  title: z.string().optional().describe('Defaults to the file name without its extension.'),
  contentType: z.enum(CONTENT_TYPES).optional().describe("Defaults to the file part's media type, then to its extension."),
  groups: z.array(z.string()).optional().describe('ACL groups; repeat the field for several.'),
  metadata: z.string().optional().describe('A JSON object.'),
});
