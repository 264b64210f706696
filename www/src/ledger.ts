// The clerk's 容缺台账: what applicants accepted on a pledge still owe — 今日到期, 即将到期 (a
// reminder is due), 已逾期 — with a CSV export, and supply / waive at the window. Everything here
// comes from the case register (GET /v1/ledger); dates and states are the server's.
import './styles.css';
import './ledger.css';
import { h, clear, $ } from './dom';
import { initLang, onLangChange, getLang, setLang, tx } from './i18n';
import type { Text } from './types';

interface Entry {
  id: string; application: string; number: string | null; matter: string; material: string;
  name: Text; due: string; remind_on: string; status: string; status_label: Text;
  reminded_on: string | null; overdue_on: string | null; closed_on: string | null;
  case_state: string | null; case_state_label: Text; resume_until: string | null;
}

type Due = 'today' | 'soon' | 'overdue' | '';

/** This page's words (the chrome; statuses and names come from the server). */
const W = {
  title: { zh: '容缺台账', en: 'Pledge ledger' },
  lead: {
    zh: '容缺受理后尚欠的材料：今日到期、即将到期（已到提醒日）、已逾期。补交或免予补交后，台账与案件状态随即更新。',
    en: 'What applicants accepted on a pledge still owe: due today, due soon (reminder due), overdue. Supplying or waiving updates the ledger and the case at once.',
  },
  today: { zh: '今日到期', en: 'Due today' },
  soon: { zh: '即将到期', en: 'Due soon' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  all: { zh: '全部', en: 'All' },
  filters: { zh: '筛选', en: 'Filters' },
  status: { zh: '条目状态', en: 'Entry status' },
  anyStatus: { zh: '任意', en: 'Any' },
  asOf: { zh: '基准日期', en: 'As of' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  number: { zh: '文号', en: 'Number' },
  material: { zh: '材料', en: 'Material' },
  due: { zh: '补交期限', en: 'Due' },
  remind: { zh: '提醒日', en: 'Remind on' },
  state: { zh: '状态', en: 'Status' },
  caseState: { zh: '案件状态', en: 'Case' },
  resume: { zh: '恢复办理期限', en: 'Resume until' },
  actions: { zh: '办理', en: 'Action' },
  supply: { zh: '登记补交', en: 'Record supplied' },
  waive: { zh: '免予补交', en: 'Waive' },
  none: { zh: '没有符合条件的条目。', en: 'No entries match.' },
  count: { zh: '共 {n} 条', en: '{n} entries' },
  failed: { zh: '无法读取台账，请稍后重试。', en: 'Cannot read the ledger; please retry.' },
  done: { zh: '已登记：{m}（{n}）', en: 'Recorded: {m} ({n})' },
  langToggle: { zh: 'English', en: '中文' },
};

const STATUSES = [
  ['owed', { zh: '待补交', en: 'Owed' }], ['overdue', { zh: '已逾期', en: 'Overdue' }],
  ['supplied', { zh: '已补交', en: 'Supplied' }], ['waived', { zh: '免予补交', en: 'Waived' }],
] as const;

const params = new URLSearchParams(location.search);
const S = {
  due: (['today', 'soon', 'overdue', ''].includes(params.get('due') ?? '') ? params.get('due') : 'today') as Due,
  status: params.get('status') ?? '',
  asOf: params.get('as_of') ?? todayInChina(),
  entries: [] as Entry[],
  message: '',
};

function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function query(): string {
  const q = new URLSearchParams();
  if (S.due) q.set('due', S.due);
  if (S.status) q.set('status', S.status);
  q.set('as_of', S.asOf);
  return q.toString();
}

async function load(): Promise<void> {
  const box = $('#entries');
  try {
    const r = await fetch(`/v1/ledger?${query()}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    S.entries = (await r.json()).entries as Entry[];
  } catch (e) {
    console.warn('ledger', e);
    clear(box, h('p', { class: 'inset inset-bad', role: 'alert' }, tx(W.failed)));
    return;
  }
  renderEntries();
}

async function act(entry: Entry, what: 'supply' | 'waive'): Promise<void> {
  const r = await fetch(`/v1/ledger/${encodeURIComponent(entry.id)}/${what}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
  });
  S.message = r.ok
    ? tx(W.done).replace('{m}', tx(entry.name)).replace('{n}', entry.number ?? '')
    : ((await r.json().catch(() => null))?.error?.message?.[getLang()] ?? tx(W.failed));
  await load();
}

function renderEntries(): void {
  const rows = S.entries;
  clear($('#entries'),
    S.message ? h('p', { class: 'inset', role: 'status', id: 'ledger-message' }, S.message) : null,
    h('p', { class: 'ledger-count', id: 'ledger-count' }, tx(W.count).replace('{n}', String(rows.length))),
    rows.length === 0 ? h('p', { class: 'inset' }, tx(W.none)) : h('div', { class: 'table-wrap' },
      h('table', { class: 'table ledger-table', id: 'ledger-table' },
        h('thead', null, h('tr', null, [W.number, W.material, W.due, W.remind, W.state, W.caseState, W.resume, W.actions]
          .map((c) => h('th', { scope: 'col' }, tx(c))))),
        h('tbody', null, rows.map((e) => h('tr', { 'data-entry': e.id, 'data-status': e.status },
          h('td', null, e.number ?? ''),
          h('td', null, tx(e.name)),
          h('td', null, e.due),
          h('td', null, e.remind_on),
          h('td', null, tx(e.status_label)),
          h('td', null, tx(e.case_state_label)),
          h('td', null, e.resume_until ?? ''),
          h('td', null, e.status === 'owed' || e.status === 'overdue' ? [
            h('button', { type: 'button', class: 'button button-small', 'data-action': 'supply', onclick: () => act(e, 'supply') }, tx(W.supply)),
            ' ',
            h('button', { type: 'button', class: 'button button-secondary button-small', 'data-action': 'waive', onclick: () => act(e, 'waive') }, tx(W.waive)),
          ] : null)))))));
}

function render(): void {
  const header = $('#site-header');
  clear(header,
    h('a', { href: '#main', class: 'skip-link' }, getLang() === 'zh' ? '跳到主要内容' : 'Skip to content'),
    h('div', { class: 'header-inner' },
      h('div', { class: 'brand' },
        h('span', { class: 'emblem', 'aria-hidden': 'true' }, '政'),
        h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, getLang() === 'zh' ? '政务服务中心' : 'Government Service Centre'))),
      h('span', { class: 'header-title' }, tx(W.title)),
      h('button', { type: 'button', class: 'lang-toggle', id: 'lang-toggle', onclick: () => setLang(getLang() === 'zh' ? 'en' : 'zh') }, tx(W.langToggle))));
  const tab = (due: Due, label: Text) => h('button', {
    type: 'button', class: `button ${S.due === due ? '' : 'button-secondary'}`, id: `tab-${due || 'all'}`,
    'aria-pressed': S.due === due ? 'true' : 'false',
    onclick: () => { S.due = due; S.message = ''; render(); },
  }, tx(label));
  clear($('#main'),
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title' }, tx(W.title)),
      h('p', { class: 'lead' }, tx(W.lead))),
    h('div', { class: 'ledger-tabs', role: 'group', 'aria-label': tx(W.filters) },
      tab('today', W.today), tab('soon', W.soon), tab('overdue', W.overdue), tab('', W.all)),
    h('div', { class: 'form-row ledger-filters' },
      h('div', { class: 'form-group' },
        h('label', { class: 'label', for: 'ledger-status' }, tx(W.status)),
        h('select', { id: 'ledger-status', class: 'select', onchange: (e: Event) => { S.status = (e.target as HTMLSelectElement).value; S.message = ''; render(); } },
          h('option', { value: '' }, tx(W.anyStatus)),
          STATUSES.map(([id, label]) => h('option', { value: id, selected: S.status === id }, tx(label))))),
      h('div', { class: 'form-group' },
        h('label', { class: 'label', for: 'ledger-as-of' }, tx(W.asOf)),
        h('input', { type: 'date', class: 'input', id: 'ledger-as-of', value: S.asOf, onchange: (e: Event) => { S.asOf = (e.target as HTMLInputElement).value || todayInChina(); S.message = ''; render(); } })),
      h('div', { class: 'form-group' },
        h('a', { class: 'button button-secondary', id: 'ledger-csv', href: `/v1/ledger.csv?${query()}`, download: 'ledger.csv' }, tx(W.csv)))),
    h('div', { id: 'entries', 'aria-live': 'polite' }));
  void load();
}

function main(): void {
  initLang(true);
  onLangChange(render);
  render();
  document.body.dataset.ready = 'true';
}

main();
