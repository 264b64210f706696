// Printable documents (A4) built from the verdict: 受理通知书, 一次性告知单, 容缺受理信用承诺书,
// 不予受理通知书. Every item, date and legal basis comes from the verdict; the fixed sentences are
// the centre's letterhead wording.
import { h, clear } from './dom';
import { tx, fmtDate, fmtDateTime, getLang } from './i18n';
import type { MatterDef, Verdict } from './types';
import type { Value } from './ui';

export type DocKind = 'acceptance' | 'notice' | 'pledge' | 'refusal';

const W = {
  acceptanceTitle: { zh: '受理通知书', en: 'Notice of acceptance' },
  pledgeTitle: { zh: '容缺受理信用承诺书', en: 'Credit pledge for acceptance with materials outstanding' },
  refusalTitle: { zh: '不予受理通知书', en: 'Notice of non-acceptance' },
  noticeTitle: { zh: '一次性告知单', en: 'One-time notice of corrections' },
  docNo: { zh: '编号', en: 'No.' },
  matter: { zh: '申请事项', en: 'Matter' },
  dept: { zh: '实施机关', en: 'Department' },
  received: { zh: '收件时间', en: 'Received' },
  acceptedOn: { zh: '受理日期', en: 'Accepted on' },
  promised: { zh: '承诺办结日期', en: 'Promised decision date' },
  statutory: { zh: '法定办结期限', en: 'Statutory deadline' },
  extended: { zh: '经批准可延长至', en: 'Extendable with approval to' },
  pledgeDue: { zh: '容缺材料补齐期限', en: 'Pledged materials due' },
  details: { zh: '申请信息', en: 'Application details' },
  materials: { zh: '收取材料', en: 'Materials received' },
  accepted: {
    zh: '你（单位）提交的申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项，本机关决定予以受理。',
    en: 'Your application is complete and in the legal form. Under Article 32(1)(5) of the Administrative Licensing Law it is accepted.',
  },
  acceptedPledge: {
    zh: '你（单位）提交的主要材料齐全、符合法定形式，部分非关键材料已签署信用承诺书容缺后补，本机关决定容缺受理。请于下列期限内补齐材料，逾期未补齐的按承诺书约定处理。',
    en: 'The key materials are complete and in the legal form; the non-key materials below are outstanding on a signed credit pledge, and the application is accepted. Supply them by the dates shown; otherwise the pledge terms apply.',
  },
  noticeIntro: {
    zh: '根据《中华人民共和国行政许可法》第三十二条第一款第（四）项，你（单位）提交的申请材料不齐全或者不符合法定形式，请一次性补正以下内容后重新提交：',
    en: 'Under Article 32(1)(4) of the Administrative Licensing Law the application is incomplete or not in the legal form. Please correct all of the following at once and submit again:',
  },
  refusalIntro: {
    zh: '根据《中华人民共和国行政许可法》第三十二条第一款，你（单位）的申请不予受理，理由如下：',
    en: 'Under Article 32(1) of the Administrative Licensing Law the application is not accepted, for these reasons:',
  },
  refusalRights: {
    zh: '如不服本决定，可以依法申请行政复议或者提起行政诉讼。',
    en: 'You may apply for administrative reconsideration or bring an administrative lawsuit against this decision.',
  },
  pledgeIntro: {
    zh: '本人（单位）申请办理下列事项，主要材料已齐全，现就以下尚未提交或存在瑕疵的非关键材料作出如下承诺：',
    en: 'I (we) apply for the matter below. The key materials are complete. For the following non-key materials not yet supplied or flawed, I (we) pledge as follows:',
  },
  item: { zh: '材料名称', en: 'Material' },
  due: { zh: '补交期限', en: 'Due' },
  basis: { zh: '依据', en: 'Basis' },
  allDue: { zh: '上述材料最迟于以下日期前全部补齐', en: 'All of the above by' },
  terms: { zh: '承诺内容', en: 'Terms' },
  promise: {
    zh: '本人（单位）对所提交材料的真实性负责，如未按期补齐或承诺不实，自愿承担相应责任。',
    en: 'I (we) vouch for the truth of the materials submitted and accept the consequences of missing the dates or a false pledge.',
  },
  pledgor: { zh: '承诺人（签字或盖章）', en: 'Pledgor (signature or seal)' },
  clerk: { zh: '经办人', en: 'Clerk' },
  applicantSign: { zh: '申请人签收', en: 'Received by the applicant' },
  date: { zh: '日期', en: 'Date' },
  seal: { zh: '（受理机关印章）', en: '(seal of the accepting office)' },
  engine: { zh: '规则版本', en: 'Rules' },
  provisional: {
    zh: '注：部分日期所在年份的节假日安排尚未公布，上述日期暂按周一至周五工作日计算，如有调整以公布后为准。',
    en: 'Note: some dates fall in a year whose holidays are not yet published; they assume Monday–Friday working days and may change.',
  },
  matStatus: { zh: '收取情况', en: 'Status' },
  statusProvided: { zh: '已收取', en: 'received' },
  statusFlawed: { zh: '有瑕疵', en: 'flawed' },
  statusMissing: { zh: '未提交', en: 'missing' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
};
const w = (k: keyof typeof W) => tx(W[k]);

export function docForOutcome(v: Verdict): DocKind[] {
  switch (v.outcome) {
    case 'accept': return ['acceptance'];
    case 'accept_with_pledge': return ['pledge', 'acceptance'];
    case 'correction_required': return ['notice'];
    case 'not_accepted': return ['refusal'];
  }
}

function head(title: string, v: Verdict): HTMLElement {
  return h('header', { class: 'doc-head' },
    h('p', { class: 'doc-dept' }, tx(deptOf(v))),
    h('h1', { class: 'doc-title' }, title),
    // The office assigns the number; the page leaves the space for it.
    h('p', { class: 'doc-no' }, `${w('docNo')}：`, h('span', { class: 'sign-line sign-line-short' }, '')));
}

let currentMatter: MatterDef | null = null;
function deptOf(_v: Verdict) { return currentMatter?.department ?? null; }

function facts(rows: [string, string, string?][]): HTMLElement {
  return h('table', { class: 'doc-facts' }, h('tbody', null,
    rows.map(([k, val, key]) => h('tr', key ? { 'data-doc-fact': key } : null, h('th', { scope: 'row' }, k), h('td', null, val)))));
}

function signatures(lines: string[]): HTMLElement {
  return h('div', { class: 'doc-signatures' }, lines.map((l) =>
    h('p', { class: 'doc-sign' }, h('span', null, `${l}：`), h('span', { class: 'sign-line' }, ''),
      h('span', null, `${w('date')}：`), h('span', { class: 'sign-line sign-line-short' }, ''))));
}

function detailsTable(m: MatterDef, v: Verdict, values: Record<string, Value>): HTMLElement | null {
  const applies = new Set(v.checklist.fields.filter((f) => f.applies).map((f) => f.id));
  const rows = (m.fields ?? []).filter((f) => applies.has(f.id) && values[f.id] !== undefined).map((f) => {
    const raw = values[f.id];
    let shown = String(raw);
    if (typeof raw === 'boolean') shown = raw ? w('yes') : w('no');
    const opt = f.options?.find((o) => o.id === raw);
    if (opt) shown = tx(opt.label);
    return [tx(f.label), shown] as [string, string];
  });
  if (!rows.length) return null;
  return h('section', null, h('h2', { class: 'doc-h2' }, w('details')), facts(rows));
}

function materialsTable(m: MatterDef, v: Verdict): HTMLElement {
  const names = new Map(m.materials.map((x) => [x.id, x.name]));
  return h('section', null, h('h2', { class: 'doc-h2' }, w('materials')),
    h('table', { class: 'doc-table' },
      h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, w('item')), h('th', null, w('matStatus')))),
      h('tbody', null, v.checklist.materials.filter((x) => x.applies).map((x, i) => h('tr', null,
        h('td', null, String(i + 1)), h('td', null, tx(names.get(x.id))),
        h('td', null, x.status === 'provided' ? w('statusProvided') : x.status === 'flawed' ? w('statusFlawed') : w('statusMissing')))))));
}

function dateFacts(v: Verdict): [string, string, string?][] {
  const d = v.deadlines;
  const rows: [string, string, string?][] = [
    [w('matter'), `${tx(v.matter_name)}（${v.version}）`],
    [w('received'), fmtDateTime(v.received_at), 'received_at'],
    [w('acceptedOn'), fmtDate(d.accepted_on), 'accepted_on'],
  ];
  if (d.promised_due) rows.push([w('promised'), fmtDate(d.promised_due), 'promised_due']);
  if (d.statutory_due) rows.push([w('statutory'), fmtDate(d.statutory_due), 'statutory_due']);
  if (d.statutory_extended_due) rows.push([w('extended'), fmtDate(d.statutory_extended_due), 'statutory_extended_due']);
  if (v.outcome === 'accept_with_pledge' && d.pledge_due) rows.push([w('pledgeDue'), fmtDate(d.pledge_due), 'pledge_due']);
  return rows;
}

function footer(v: Verdict): HTMLElement {
  return h('footer', { class: 'doc-foot' },
    v.deadlines.provisional ? h('p', { class: 'doc-note' }, w('provisional')) : null,
    h('p', { class: 'doc-engine' }, `${w('engine')}：${v.matter} ${v.version} · ${v.rules_digest.slice(0, 23)}… · qiquan ${v.engine_version}`));
}

function acceptance(m: MatterDef, v: Verdict, values: Record<string, Value>): HTMLElement {
  const pledged = v.outcome === 'accept_with_pledge';
  return h('article', { class: 'doc', 'data-doc': 'acceptance' },
    head(w('acceptanceTitle'), v),
    h('p', { class: 'doc-para' }, pledged ? w('acceptedPledge') : w('accepted')),
    facts(dateFacts(v)),
    pledged ? pledgeItems(v) : null,
    detailsTable(m, v, values),
    materialsTable(m, v),
    h('p', { class: 'doc-seal' }, w('seal')),
    signatures([w('clerk'), w('applicantSign')]),
    footer(v));
}

function pledgeItems(v: Verdict): HTMLElement {
  return h('table', { class: 'doc-table' },
    h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, w('item')), h('th', null, w('due')))),
    h('tbody', null, v.pledge.items.map((i, n) => h('tr', { 'data-pledge-item': i.material },
      h('td', null, String(n + 1)), h('td', null, tx(i.name)), h('td', { class: 'nowrap' }, fmtDate(i.due))))));
}

function pledge(m: MatterDef, v: Verdict, values: Record<string, Value>): HTMLElement {
  return h('article', { class: 'doc', 'data-doc': 'pledge' },
    head(w('pledgeTitle'), v),
    h('p', { class: 'doc-para' }, w('pledgeIntro')),
    facts([[w('matter'), `${tx(v.matter_name)}（${v.version}）`], [w('dept'), tx(m.department)], [w('received'), fmtDateTime(v.received_at), 'received_at']]),
    pledgeItems(v),
    h('p', { class: 'doc-para doc-strong', 'data-doc-fact': 'pledge_due' }, `${w('allDue')}：${fmtDate(v.pledge.pledge_due)}`),
    v.pledge.terms ? h('p', { class: 'doc-para' }, h('strong', null, `${w('terms')}：`), tx(v.pledge.terms)) : null,
    h('p', { class: 'doc-para' }, w('promise')),
    detailsTable(m, v, values),
    signatures([w('pledgor'), w('clerk')]),
    footer(v));
}

function notice(_m: MatterDef, v: Verdict): HTMLElement {
  const title = v.notice ? tx(v.notice.title) : w('noticeTitle');
  return h('article', { class: 'doc', 'data-doc': 'notice' },
    head(title, v),
    facts([[w('matter'), `${tx(v.matter_name)}（${v.version}）`], [w('received'), fmtDateTime(v.received_at), 'received_at']]),
    h('p', { class: 'doc-para' }, w('noticeIntro')),
    h('ol', { class: 'doc-items' }, v.findings.map((f) => h('li', { 'data-finding': `${f.target.kind}:${f.target.id}` },
      h('span', null, tx(f.message)),
      h('span', { class: 'doc-basis' }, `${w('basis')}：${f.basis}`)))),
    h('p', { class: 'doc-seal' }, w('seal')),
    signatures([w('clerk'), w('applicantSign')]),
    footer(v));
}

function refusal(_m: MatterDef, v: Verdict): HTMLElement {
  return h('article', { class: 'doc', 'data-doc': 'refusal' },
    head(w('refusalTitle'), v),
    facts([[w('matter'), `${tx(v.matter_name)}（${v.version}）`], [w('received'), fmtDateTime(v.received_at), 'received_at']]),
    h('p', { class: 'doc-para' }, w('refusalIntro')),
    h('ol', { class: 'doc-items' }, v.findings.map((f) => h('li', null, h('span', null, tx(f.message)),
      h('span', { class: 'doc-basis' }, `${w('basis')}：${f.basis}`)))),
    h('p', { class: 'doc-para' }, w('refusalRights')),
    h('p', { class: 'doc-seal' }, w('seal')),
    signatures([w('clerk'), w('applicantSign')]),
    footer(v));
}

/** Renders the documents into #print-root (shown only in print media) and opens the print dialog. */
export function renderDocs(root: HTMLElement, m: MatterDef, v: Verdict, values: Record<string, Value>, kinds: DocKind[]): void {
  currentMatter = m;
  root.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  clear(root, kinds.map((k) => {
    switch (k) {
      case 'acceptance': return acceptance(m, v, values);
      case 'pledge': return pledge(m, v, values);
      case 'notice': return notice(m, v);
      case 'refusal': return refusal(m, v);
    }
  }));
}

export function printDocs(root: HTMLElement, m: MatterDef, v: Verdict, values: Record<string, Value>): void {
  renderDocs(root, m, v, values, docForOutcome(v));
  window.print();
}
