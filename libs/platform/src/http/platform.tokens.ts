export const OPENAPI_DOCUMENT = Symbol('OpenApiDocument');
