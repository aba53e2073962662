import { type PipeTransform } from '@nestjs/common';
import { AppError } from '@rag/core';
import type { z } from 'zod';

/** Validates a request part against its schema; the error names the first offending field. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const issues = result.error.issues.map((issue) => ({ field: fieldOf(issue), message: messageOf(issue) }));
    const first = issues[0] ?? { field: '(body)', message: 'is invalid' };
    throw new AppError('VALIDATION_FAILED', `${first.field}: ${first.message}`, { field: first.field, issues });
  }
}

function fieldOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return [...issue.path, issue.keys[0]].join('.');
  return issue.path.length > 0 ? issue.path.join('.') : '(body)';
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
