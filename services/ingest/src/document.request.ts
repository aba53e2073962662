import { CONTENT_TYPES } from '@rag/core';
import { z } from 'zod';

export const submitDocumentSchema = z.strictObject({
  collection: z.string().trim().min(1).max(128).default('default'),
  externalId: z.string().trim().min(1).max(256),
  title: z.string().trim().min(1).max(512),
  content: z.string(),
  contentType: z.enum(CONTENT_TYPES).default('text/plain'),
  acl: z
    .strictObject({ groups: z.array(z.string().trim().min(1).max(128)).max(256) })
    .default({ groups: [] }),
  metadata: z.record(z.string(), z.unknown()).default({}),
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
