/**
 * The `data` of each Server-Sent Event in a byte stream, in order (the WHATWG event-stream format:
 * lines end in LF, CRLF or CR; an event ends at a blank line; several `data:` lines join with LF;
 * comments and other fields are skipped). Bytes are decoded as UTF-8 across chunk boundaries, so a
 * Chinese character split between two network reads arrives whole.
 */
export async function* readSseData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let lineEnd: number;
    while ((lineEnd = findLineEnd(buffer)) >= 0) {
      const line = buffer.slice(0, lineEnd);
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk to know.
      if (buffer[lineEnd] === '\r' && lineEnd + 1 === buffer.length) break;
      buffer = buffer.slice(lineEnd + (buffer.startsWith('\r\n', lineEnd) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  }
  buffer += decoder.decode();
  if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
  if (data.length > 0) yield data.join('\n');
}

function findLineEnd(text: string): number {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}
