import { describe, expect, it } from 'vitest';
import { readSseData } from './sse.parser';

async function parse(...chunks: (string | Uint8Array)[]): Promise<string[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
  const events: string[] = [];
  for await (const data of readSseData(source())) events.push(data);
  return events;
}

describe('Server-Sent Events parser', () => {
  it('yields the data of each event, joining multi-line data and skipping comments and other fields', async () => {
    expect(await parse(': keep-alive\n\nevent: message\nid: 1\ndata: {"a":1}\n\ndata: line one\ndata: line two\n\n')).toEqual(['{"a":1}', 'line one\nline two']);
  });

  it('handles CRLF and CR line ends, even split across chunks', async () => {
    expect(await parse('data: one\r', '\n\r\ndata: two\r\r', 'data:three\n\n')).toEqual(['one', 'two', 'three']);
  });

  it('reassembles events and UTF-8 characters split across network reads', async () => {
    const bytes = new TextEncoder().encode('data: 金卡年费\n\n');
    expect(await parse(bytes.slice(0, 9), bytes.slice(9, 11), bytes.slice(11))).toEqual(['金卡年费']);
  });

  it('yields a last event that lacks its closing blank line', async () => {
    expect(await parse('data: [DONE]')).toEqual(['[DONE]']);
  });
});
