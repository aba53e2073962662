import { DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { submissionFromJson, submissionFromUpload } from './document-submission.mapper';
import { submitDocumentSchema, uploadFieldsSchema } from './document.request';

const fields = (raw: Record<string, unknown>) => uploadFieldsSchema.parse(raw);

describe('submissions from requests', () => {
  it('keeps text as text and files as base64, and decodes base64 text as UTF-8', () => {
    const text = submissionFromJson(submitDocumentSchema.parse({ externalId: 'a', title: 'A', content: '年费 300 元' }));
    expect(text).toMatchObject({ content: '年费 300 元', contentType: 'text/plain', aclGroups: [] });
    const pdf = submissionFromJson(submitDocumentSchema.parse({ externalId: 'b', title: 'B', contentType: PDF_CONTENT_TYPE, contentBase64: 'JVBERi0xLjc=' }));
    expect(pdf.content).toBe('JVBERi0xLjc=');
    const encodedText = submissionFromJson(submitDocumentSchema.parse({ externalId: 'c', title: 'C', contentType: 'text/markdown', contentBase64: Buffer.from('# 标题').toString('base64') }));
    expect(encodedText.content).toBe('# 标题');
  });

  it('refuses JSON with both or neither content field, or a binary format as text, naming content', () => {
    for (const body of [{ content: 'a', contentBase64: 'YQ==' }, {}, { contentType: DOCX_CONTENT_TYPE, content: 'PK' }]) {
      const result = submitDocumentSchema.safeParse({ externalId: 'a', title: 'A', ...body });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['content']);
    }
  });

  it('names an upload after its file and tells its format from the media type, then the extension', () => {
    const file = { fileName: '借记卡指南.docx', mediaType: 'application/octet-stream', bytes: Buffer.from('PK\u0003\u0004') };
    expect(submissionFromUpload(fields({ groups: ['tellers'] }), file)).toMatchObject({
      externalId: '借记卡指南.docx',
      title: '借记卡指南',
      contentType: DOCX_CONTENT_TYPE,
      content: Buffer.from('PK\u0003\u0004').toString('base64'),
      aclGroups: ['tellers'],
      collection: 'default',
    });
    const markdown = { fileName: 'notes', mediaType: 'text/x-markdown; charset=utf-8', bytes: Buffer.from('# Notes') };
    expect(submissionFromUpload(fields({ externalId: 'n-1', title: 'Notes' }), markdown)).toMatchObject({ contentType: 'text/markdown', content: '# Notes', externalId: 'n-1' });
    expect(() => submissionFromUpload(fields({}), { fileName: 'data.bin', mediaType: 'application/octet-stream', bytes: Buffer.from('x') })).toThrow(/^contentType: cannot tell the format of "data\.bin"/);
  });

  it('reads upload metadata as a JSON object and refuses anything else', () => {
    expect(fields({ metadata: '{"owner":"cards"}' }).metadata).toEqual({ owner: 'cards' });
    expect(uploadFieldsSchema.safeParse({ metadata: '[1]' }).error?.issues[0]).toMatchObject({ path: ['metadata'], message: 'must be a JSON object' });
  });
});
