// Writes the PDF and DOCX samples of samples/corpus with the test fixture builders (pdf-lib, docx),
// so the files can be regenerated and reviewed as source. Run after `npm run build`:
//   node scripts/samples/build-binary-samples.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { buildDocx, buildPdf } = require('@rag/testing');
const corpus = join(import.meta.dirname, '../../samples/corpus');

const pdf = await buildPdf([
  [
    { heading: 'Lanting Bank Safe Deposit Box Terms', size: 20 },
    { lines: ['Safe deposit boxes are offered at the Harbour Road and Riverside branches.', 'A box is rented for one year at a time and the rent is paid in advance.'] },
    { heading: 'Rental fees', size: 15 },
    { table: [['Box size', 'Yearly rent', 'Key deposit'], ['Small (5 x 25 x 50 cm)', 'CNY 300', 'CNY 200'], ['Medium (10 x 25 x 50 cm)', 'CNY 500', 'CNY 200'], ['Large (20 x 25 x 50 cm)', 'CNY 900', 'CNY 400']] },
    { heading: '保管箱使用规定', size: 15 },
    { lines: ['开箱须由租用人本人持有效身份证件和钥匙办理，', '每次开箱时间不超过三十分钟。'] },
    { lines: ['保管箱钥匙遗失的，应立即到租箱网点办理挂失，', '换锁费用为每次人民币八百元。'] },
  ],
  [
    { heading: 'Access hours', size: 15 },
    { lines: ['The vault opens from 09:30 to 16:00 on working days.', 'It is closed on public holidays and on the last working day of each quarter.'] },
  ],
]);
writeFileSync(join(corpus, 'safe-deposit-box-terms.en-zh.pdf'), pdf);

const docx = await buildDocx([
  { heading: '蓝汀银行借记卡业务指南', level: 1 },
  { paragraph: '本指南说明借记卡的补卡、取现限额和短信通知服务。' },
  { heading: '借记卡收费一览', level: 2 },
  { table: [['项目', '收费标准', '说明'], ['补办借记卡', '每张人民币十元', '卡片损坏或遗失时收取'], ['短信通知服务', '每月人民币二元', '代发工资账户免收'], ['境内他行 ATM 取现', '每笔人民币四元', '每月前三笔免收']] },
  { heading: '取现限额', level: 2 },
  { paragraph: '借记卡在 ATM 单日累计取现上限为人民币二万元，单笔上限为人民币三千元。' },
  { heading: '如何补办借记卡', level: 2 },
  { bullets: ['携带本人有效身份证件到任一网点办理。', '在手机银行提交补卡申请，新卡将邮寄到预留地址。'] },
]);
writeFileSync(join(corpus, 'debit-card-guide.zh.docx'), docx);
