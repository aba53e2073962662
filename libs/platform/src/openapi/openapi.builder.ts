import { z } from 'zod';

export interface OperationSpec {
  readonly method: 'get' | 'post' | 'delete';
  /** OpenAPI path syntax, e.g. `/v1/documents/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly body?: z.ZodType;
  /** How the body is sent; JSON unless said otherwise. */
  readonly bodyMediaType?: 'application/json' | 'multipart/form-data';
  readonly example?: unknown;
  readonly pathParams?: readonly string[];
  readonly responses: Readonly<Record<string, string>>;
}

export const OPENAPI_OPERATIONS = Symbol('OpenApiOperations');

/** An OpenAPI 3.1 document whose request schemas are the same zod schemas that validate requests. */
export function buildOpenApiDocument(title: string, version: string, operations: readonly OperationSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = operationObject(op);
  }
  return { openapi: '3.1.0', info: { title, version }, paths };
}

function operationObject(op: OperationSpec): Record<string, unknown> {
  const responses = Object.fromEntries(Object.entries(op.responses).map(([status, description]) => [status, { description }]));
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(op.pathParams ? { parameters: op.pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { [op.bodyMediaType ?? 'application/json']: { schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }), ...(op.example ? { example: op.example } : {}) } } } }
      : {}),
    responses,
  };
}
