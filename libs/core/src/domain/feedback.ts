import type { TenantId } from './tenant';

export const FEEDBACK_RATINGS = ['up', 'down'] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];

/** A reader's verdict on one answer or search, tied to the request's ledger row. */
export interface Feedback {
  readonly tenantId: TenantId;
  readonly requestId: string;
  readonly subject: string;
  readonly rating: FeedbackRating;
  readonly comment: string | null;
  readonly createdAt: number;
}
