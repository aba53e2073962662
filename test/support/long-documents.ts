/**
 * Long structured documents for the navigation suites: a Chinese rulebook and an English manual,
 * each with chapters, sections and many routine articles, and a few facts a question can ask for.
 * Generated, so each is long without a large file in the repository.
 */

const ZH_TOPICS = ['账户开立', '身份核验', '档案保管', '柜面服务', '网点营业', '员工培训', '系统维护', '数据备份', '印章管理', '现金押运', '凭证管理', '投诉处理'];
const ZH_DEPARTMENTS = ['运营管理部', '合规部', '科技部', '个人金融部', '风险管理部'];
const EN_TOPICS = ['branch opening hours', 'record keeping', 'staff training', 'system upkeep', 'data backups', 'seal custody', 'cash transport', 'complaint handling', 'vault checks', 'form archiving'];
const EN_TEAMS = ['Operations', 'Compliance', 'Technology', 'Retail Banking', 'Risk'];

/** Facts the questions ask for, by chapter and section index. */
const ZH_FACTS: Record<string, string> = {
  '2.1': '借款人提前偿还住房贷款的，应当提前三十日书面申请，提前还款违约金为提前还款本金的百分之一。',
  '4.0': '信用卡账单分期的手续费率为每期百分之零点六，按月收取，分期期间不计利息。',
};
const EN_FACTS: Record<string, string> = {
  '2.1': 'A borrower who repays a mortgage early pays a fee of one percent of the amount repaid, after thirty days of written notice.',
  '3.0': 'Card instalment plans carry a monthly fee of 0.6 percent, and no interest is charged during the plan.',
};

const ZH_CHAPTERS = [
  ['第一章 总则', ['第一节 目的与范围', '第二节 职责分工', '第三节 基本要求']],
  ['第二章 个人消费贷款', ['第一节 申请条件', '第二节 审批流程', '第三节 贷后检查']],
  ['第三章 个人住房贷款', ['第一节 首付比例', '第二节 提前还款', '第三节 抵押登记']],
  ['第四章 个人经营贷款', ['第一节 授信额度', '第二节 资金用途', '第三节 风险分类']],
  ['第五章 信用卡分期', ['第一节 分期手续费', '第二节 分期额度', '第三节 提前结清']],
  ['第六章 附则', ['第一节 解释权', '第二节 施行日期', '第三节 过渡安排']],
] as const;

const EN_CHAPTERS = [
  ['Accounts', ['Opening an account', 'Dormant accounts', 'Closing an account']],
  ['Payments', ['Domestic transfers', 'Cross-border payments', 'Standing orders']],
  ['Lending', ['Mortgage applications', 'Early repayment', 'Arrears']],
  ['Cards', ['Instalment plans', 'Card limits', 'Lost and stolen cards']],
  ['Compliance', ['Record retention', 'Sanctions screening', 'Internal audit']],
] as const;

export function chineseRulebook(edition = 1): string {
  let article = 0;
  const lines = ['# 蓝汀银行个人信贷业务管理办法', '', `第${edition}版。`, ''];
  ZH_CHAPTERS.forEach(([chapter, sections], c) => {
    lines.push(`## ${chapter}`, '');
    sections.forEach((section, s) => {
      lines.push(`### ${section}`, '');
      const fact = ZH_FACTS[`${c}.${s}`];
      for (let i = 0; i < 6; i++) {
        article++;
        const topic = ZH_TOPICS[(article * 7) % ZH_TOPICS.length] as string;
        const department = ZH_DEPARTMENTS[article % ZH_DEPARTMENTS.length] as string;
        const text = i === 2 && fact ? fact : `${topic}应当遵守本行${topic}操作规程，由${department}牵头负责，每${(article % 11) + 1}个月检查一次，检查记录保存${(article % 7) + 3}年。`;
        lines.push(`第${article}条 ${text}`, '');
      }
    });
  });
  return lines.join('\n');
}

export function englishManual(): string {
  let paragraph = 0;
  const lines = ['# Blue Harbour Bank Operations Manual', ''];
  EN_CHAPTERS.forEach(([chapter, sections], c) => {
    lines.push(`## ${chapter}`, '');
    sections.forEach((section, s) => {
      lines.push(`### ${section}`, '');
      const fact = EN_FACTS[`${c}.${s}`];
      for (let i = 0; i < 6; i++) {
        paragraph++;
        const topic = EN_TOPICS[(paragraph * 3) % EN_TOPICS.length] as string;
        const team = EN_TEAMS[paragraph % EN_TEAMS.length] as string;
        const text = i === 2 && fact ? fact : `Rule ${paragraph}: ${topic} follow the ${topic} procedure owned by the ${team} team, reviewed every ${(paragraph % 11) + 1} months, with records kept for ${(paragraph % 7) + 3} years.`;
        lines.push(text, '');
      }
    });
  });
  return lines.join('\n');
}

export const SHORT_FAQ = ['# Savings FAQ', '', '## Interest', '', 'Savings interest is paid on the last day of each quarter.', '', '## Withdrawals', '', 'Up to three free withdrawals are allowed each month.', ''].join('\n');
