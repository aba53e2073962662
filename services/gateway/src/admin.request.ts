import { SCOPES } from '@rag/core';
import { z } from 'zod';

export const issueKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  tenantId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, "_" or "-"').optional(),
  scopes: z.array(z.enum(SCOPES)).min(1),
  groups: z.array(z.string().trim().min(1).max(128)).max(256).default([]),
  subject: z.string().trim().min(1).max(256).optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export type IssueKeyRequest = z.infer<typeof issueKeyRequestSchema>;

export const issueKeyExample = { name: 'branch tellers', scopes: ['query'], groups: ['tellers'], expiresInDays: 90 };
