/** A JSON string literal (escapes included) or a JSON number, whichever starts first. */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/gu;
/** Only literals holding a digit, an `@` or non-ASCII (full-width digits) can hold personal data. */
const MAYBE_PERSONAL = /[0-9@]|[^\x00-\x7f]/u;

/**
 * Redacts serialized JSON without parsing it into values: each string literal (keys too) is
 * decoded, redacted and re-encoded, and an integer token that is personal data as a whole (a
 * mobile logged as a number) becomes a redacted string. Other bytes are kept, so the result is
 * JSON whenever the input was, and large integers keep their digits (no round trip through doubles).
 */
export function redactJsonText(json: string, redactText: (text: string) => string): string {
  return json.replace(TOKEN, (token) => {
    if (token.startsWith('"')) return redactStringLiteral(token, redactText);
    if (!/^\d{11,}$/u.test(token)) return token;
    const redacted = redactText(token);
    return redacted === token ? token : JSON.stringify(redacted);
  });
}

function redactStringLiteral(literal: string, redactText: (text: string) => string): string {
  if (!MAYBE_PERSONAL.test(literal)) return literal;
  const decoded = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
  const redacted = redactText(decoded);
  return redacted === decoded ? literal : JSON.stringify(redacted);
}
