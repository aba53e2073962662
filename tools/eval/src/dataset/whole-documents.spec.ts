import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.loader.js';
import { documentsFor, loadWholeDocuments } from './whole-documents.js';

const folder = mkdtempSync(join(tmpdir(), 'whole-documents-'));
const lines = (rows: object[]) => rows.map((row) => JSON.stringify(row)).join('\n');
writeFileSync(
  join(folder, 'documents.jsonl'),
  lines([
    { id: '民法典', title: '中华人民共和国民法典', text: '# 民法典\n\n## 第一章\n\n第一条 为了保护民事主体的合法权益，制定本法。\n\n第二条 民法调整平等主体之间的关系。\n\n本条第二款。' },
    { id: '票据法', title: '票据法', text: '# 票据法\n\n第一条 为了规范票据行为，制定本法。' },
  ]),
);
writeFileSync(
  join(folder, 'corpus.jsonl'),
  lines([
    { id: '民法典#第一条', doc_id: '民法典', text: '第一条 为了保护民事主体的合法权益，制定本法。' },
    { id: '民法典#第二条', doc_id: '民法典', text: '第二条 民法调整平等主体之间的关系。\n本条第二款。' },
    { id: '票据法#第一条', doc_id: '票据法', text: '第一条 为了规范票据行为，制定本法。' },
  ]),
);
const dataset = { name: 'laws', folder, corpus: [], queries: [{ id: 'q1', text: '?', answers: [] }], relevant: new Map([['q1', new Set(['票据法#第一条'])]]) } satisfies Dataset;

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('whole documents scored by article', () => {
  const whole = loadWholeDocuments(dataset);

  it('finds every article a hit’s text holds, in reading order, including an article’s later paragraphs', () => {
    expect(whole.articlesOf('民法典', '第一条 为了保护民事主体的合法权益，制定本法。\n第二条 民法调整平等主体之间的关系。')).toEqual(['民法典#第一条', '民法典#第二条']);
    expect(whole.articlesOf('民法典', '本条第二款。')).toEqual(['民法典#第二条']);
  });

  it('finds the article of a part cut from a long paragraph, and none in another document', () => {
    expect(whole.articlesOf('民法典', '民法调整平等主体之间的关系')).toEqual(['民法典#第二条']);
    expect(whole.articlesOf('票据法', '第二条 民法调整平等主体之间的关系。')).toEqual([]);
  });

  it('keeps the documents that hold a relevant article, then others up to the size asked', () => {
    expect(documentsFor(whole, dataset, 1).map((d) => d.id)).toEqual(['票据法']);
    expect(documentsFor(whole, dataset, 2).map((d) => d.id)).toEqual(['民法典', '票据法']);
  });
});
