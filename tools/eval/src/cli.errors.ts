/** node:util parseArgs reports an unknown or malformed option as a TypeError with an ERR_PARSE_ARGS_* code. */
export function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
