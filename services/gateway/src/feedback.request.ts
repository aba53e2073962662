import { FEEDBACK_RATINGS } from '@rag/core';
import { z } from 'zod';

export const feedbackRequestSchema = z.strictObject({
  requestId: z.string().trim().min(1).max(64),
  rating: z.enum(FEEDBACK_RATINGS),
  comment: z.string().trim().max(2_000).optional(),
});

export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

export const feedbackExample = { requestId: '3f1c2a9e-6a55-4f1e-9c1e-2b7d0c4e8a11', rating: 'down', comment: '没有回答金卡年费的问题 / did not answer the gold card fee question' };
