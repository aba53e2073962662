import { type ActiveVersionInfo, type Chunk, chunkIdOf, type SqlStore, toTenantId } from '@rag/core';

export const TENANT = toTenantId('bank-a');

/** [node id, section path below the title, text] */
type Row = readonly [string, readonly string[], string];

const LAW: Row[] = [
  ['0.0.0.0', ['第一编 总则', '第一章 基本规定'], '第一条 为了保护民事主体的合法权益，调整民事关系，制定本法。'],
  ['0.0.0.1', ['第一编 总则', '第一章 基本规定'], '第二条 民事主体在民事活动中的法律地位一律平等。'],
  ['0.1.0.0', ['第二编 合同', '第一章 借款合同'], '第六百六十七条 借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。'],
  ['0.1.0.1', ['第二编 合同', '第一章 借款合同'], '第六百八十条 禁止高利放贷，借款的利率不得违反国家有关规定。借款合同对支付利息没有约定的，视为没有利息。'],
  ['0.1.1.0', ['第二编 合同', '第二章 租赁合同'], '第七百零三条 租赁合同是出租人将租赁物交付承租人使用、收益，承租人支付租金的合同。'],
  ['0.2.0.0', ['第三编 继承', '第一章 法定继承'], '第一千一百二十七条 遗产按照下列顺序继承：第一顺序：配偶、子女、父母。'],
];

const HANDBOOK: Row[] = [
  ['0.0.0.0', ['Cards', 'Annual fees'], 'The annual fee of a gold card is waived when the card is used six times in a year.'],
  ['0.0.1.0', ['Cards', 'Lost cards'], 'Report a lost card by phone at once; the card is frozen within minutes.'],
  ['0.1.0.0', ['Loans', 'Mortgage rates'], 'Mortgage interest follows the loan prime rate plus a margin set at signing.'],
  ['0.1.1.0', ['Loans', 'Early repayment'], 'Early repayment of a mortgage costs one month of interest on the amount repaid.'],
];

export const LAW_DOCUMENT = { documentId: 'doc_law', version: 2, title: '中华人民共和国示例法', rows: LAW };
export const HANDBOOK_DOCUMENT = { documentId: 'doc_handbook', version: 1, title: 'Retail Banking Handbook', rows: HANDBOOK };
type FixtureDocument = typeof LAW_DOCUMENT;

export function chunksOf(document: FixtureDocument): Chunk[] {
  return document.rows.map(([nodeId, path, text], ordinal) => ({
    id: chunkIdOf(document.documentId, document.version, nodeId),
    tenantId: TENANT,
    collection: 'policies',
    documentId: document.documentId,
    version: document.version,
    nodeId,
    ordinal,
    title: document.title,
    sectionPath: [document.title, ...path],
    text,
    contentHash: `h-${nodeId}`,
    aclGroups: ['*'],
  }));
}

/** The two reads navigation makes of the SQL store, over the fixture documents; counts tree loads. */
export function fakeSqlStore(documents: readonly FixtureDocument[] = [LAW_DOCUMENT, HANDBOOK_DOCUMENT]): SqlStore & { treeLoads: number } {
  const store = {
    treeLoads: 0,
    readableActiveVersions: (_scope: unknown, ids: readonly string[]): Promise<ActiveVersionInfo[]> =>
      Promise.resolve(documents.filter((d) => ids.includes(d.documentId)).map((d) => ({ documentId: d.documentId, version: d.version, title: d.title, chunkCount: d.rows.length }))),
    chunksOfVersion: (_tenant: unknown, documentId: string): Promise<Chunk[]> => {
      store.treeLoads++;
      const document = documents.find((d) => d.documentId === documentId);
      return Promise.resolve(document ? chunksOf(document) : []);
    },
  };
  return store as unknown as SqlStore & { treeLoads: number };
}
