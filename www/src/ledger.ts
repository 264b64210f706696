// The clerk's 容缺台账: what applicants accepted on a pledge still owe — 今日到期, 即将到期 (a
// reminder is due), 已逾期 — with a CSV export, and supply / waive at the window. Everything here
// comes from the case register (GET /v1/ledger); dates and states are the server's.
import { authFetch, signIn } from './auth';
import './styles.css';
import './ledger.css';
import { h, clear, $ } from './dom';
import { renderHeader } from './ui';
import { initLang, onLangChange, getLang, setLang, t, tx, engineLabels, type Key } from './i18n';
import { loadLabels } from './engine';
import type { LedgerStatus, Text } from './types';

interface Entry {
  id: string;
  application: string;
  number: string | null;
  matter: string;
  material: string;
  name: Text;
  due: string;
  remind_on: string;
  status: string;
  status_label: Text;
  reminded_on: string | null;
  overdue_on: string | null;
  closed_on: string | null;
  case_state: string | null;
  case_state_label: Text;
  resume_until: string | null;
  /** Whom to call (the server's, read with a reason and audited). */
  applicant: string | null;
  matter_name: Text | null;
  /** Masked: 139****5678. */
  phone: string | null;
}

interface Counts {
  today: number;
  soon: number;
  overdue: number;
  all: number;
}

type Due = 'today' | 'soon' | 'overdue' | '';

const params = new URLSearchParams(location.search);
const S = {
  due: (['today', 'soon', 'overdue', ''].includes(params.get('due') ?? '') ? params.get('due') : 'today') as Due,
  status: params.get('status') ?? '',
  asOf: params.get('as_of') ?? todayInChina(),
  entries: [] as Entry[],
  counts: null as Counts | null,
  message: '',
  /** The entry whose waiver reason is being written. */
  waiving: null as string | null,
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
    const r = await authFetch(`/v1/ledger?${query()}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = await r.json();
    S.entries = body.entries as Entry[];
    S.counts = (body.counts as Counts) ?? null;
  } catch (e) {
    console.warn('ledger', e);
    clear(box, h('p', { class: 'inset inset-bad', role: 'alert' }, t('ledgerFailed')));
    return;
  }
  renderEntries();
}

/** The CSV export, fetched with the token and saved through a temporary link. */
async function downloadCsv(): Promise<void> {
  const r = await authFetch(`/v1/ledger.csv?${query()}`);
  if (!r.ok) {
    S.message = t('ledgerFailed');
    render();
    return;
  }
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'ledger.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function act(entry: Entry, what: 'supply' | 'waive', note?: string): Promise<void> {
  const r = await authFetch(`/v1/ledger/${encodeURIComponent(entry.id)}/${what}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(note ? { note } : {}),
  });
  const done = what === 'waive' ? 'ledgerWaived' : 'ledgerDone';
  S.message = r.ok
    ? t(done, { m: tx(entry.name), n: entry.number ?? '' })
    : ((await r.json().catch(() => null))?.error?.message?.[getLang()] ?? t('ledgerFailed'));
  if (r.ok) S.waiving = null;
  await load();
}

/** The tabs' counts, once the server has said them. */
function renderCounts(): void {
  const c = S.counts;
  for (const [due, key] of [
    ['today', 'today'],
    ['soon', 'soon'],
    ['overdue', 'overdue'],
    ['all', 'all'],
  ] as const) {
    const el = document.getElementById(`count-${due}`);
    if (el) el.textContent = c ? String(c[key]) : '';
  }
}

function actions(e: Entry): HTMLElement | null {
  if (e.status !== 'owed' && e.status !== 'overdue') return null;
  if (S.waiving === e.id) {
    const noteId = `waive-note-${e.id}`;
    return h(
      'form',
      {
        class: 'ledger-waive',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          const note = (document.getElementById(noteId) as HTMLTextAreaElement).value.trim();
          if (note) void act(e, 'waive', note);
          else (document.getElementById(noteId) as HTMLTextAreaElement).focus();
        },
      },
      h('label', { class: 'label label-small', for: noteId }, t('ledgerWaiveReason')),
      h('textarea', { class: 'input', id: noteId, rows: '2', maxlength: '200', required: true }),
      h(
        'div',
        { class: 'form-row' },
        h(
          'button',
          { type: 'submit', class: 'button button-small', 'data-action': 'waive-confirm' },
          t('ledgerWaiveConfirm'),
        ),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary button-small',
            onclick: () => {
              S.waiving = null;
              renderEntries();
            },
          },
          t('ledgerWaiveCancel'),
        ),
      ),
    );
  }
  return h(
    'div',
    { class: 'ledger-actions' },
    h(
      'button',
      { type: 'button', class: 'button button-small', 'data-action': 'supply', onclick: () => act(e, 'supply') },
      t('ledgerSupply'),
    ),
    ' ',
    h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary button-small',
        'data-action': 'waive',
        onclick: () => {
          S.waiving = e.id;
          renderEntries();
          document.getElementById(`waive-note-${e.id}`)?.focus();
        },
      },
      t('ledgerWaive'),
    ),
  );
}

/** The entries grouped by case (one row group per application, in the server's work order). */
function groups(rows: Entry[]): Entry[][] {
  const out: Entry[][] = [];
  for (const e of rows) {
    const last = out[out.length - 1];
    if (last && last[0].application === e.application) last.push(e);
    else out.push([e]);
  }
  return out;
}

const COLUMNS = [
  'ledgerMaterial',
  'ledgerMatterName',
  'ledgerPhone',
  'ledgerDue',
  'ledgerReminded',
  'ledgerState',
  'ledgerCaseState',
  'ledgerResume',
  'ledgerActions',
] as const;

function renderEntries(): void {
  const rows = S.entries;
  renderCounts();
  clear(
    $('#entries'),
    S.message ? h('p', { class: 'inset', role: 'status', id: 'ledger-message' }, S.message) : null,
    h('p', { class: 'ledger-count', id: 'ledger-count' }, t('ledgerCount', { n: rows.length })),
    rows.length === 0
      ? h('p', { class: 'inset' }, t('ledgerNone'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table ledger-table', id: 'ledger-table' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                COLUMNS.map((c) => h('th', { scope: 'col' }, t(c))),
              ),
            ),
            groups(rows).map((group) => {
              const first = group[0];
              const number = first.number ?? first.application;
              return h(
                'tbody',
                { 'data-application': first.application },
                h(
                  'tr',
                  { class: 'ledger-case' },
                  h(
                    'th',
                    { scope: 'rowgroup', colspan: String(COLUMNS.length) },
                    // The 文号 opens the case.
                    h(
                      'a',
                      {
                        href: `/case.html?application=${encodeURIComponent(first.application)}`,
                        'data-open-case': first.application,
                        'aria-label': t('ledgerOpenCase', { n: number }),
                      },
                      number,
                    ),
                    '　',
                    h('span', { class: 'ledger-applicant' }, first.applicant ?? t('ledgerNoName')),
                  ),
                ),
                group.map((e) =>
                  h(
                    'tr',
                    {
                      'data-entry': e.id,
                      'data-status': e.status,
                      class: e.status === 'overdue' ? 'ledger-overdue' : null,
                    },
                    h('td', null, tx(e.name)),
                    h('td', null, e.matter_name ? tx(e.matter_name) : e.matter),
                    h('td', { class: 'ledger-phone' }, e.phone ?? ''),
                    h('td', null, e.due),
                    h(
                      'td',
                      null,
                      e.reminded_on
                        ? t('ledgerRemindedOn', { d: e.reminded_on })
                        : t('ledgerNotReminded', { d: e.remind_on }),
                    ),
                    h('td', { class: 'ledger-status' }, tx(e.status_label)),
                    h('td', null, tx(e.case_state_label)),
                    h('td', null, e.resume_until ?? ''),
                    h('td', null, actions(e)),
                  ),
                ),
              );
            }),
          ),
        ),
  );
}

function render(): void {
  renderHeader($('#site-header'), 'ledgerTitle', { langToggle: true });
  const tab = (due: Due, label: Key) =>
    h(
      'button',
      {
        type: 'button',
        class: `button ${S.due === due ? '' : 'button-secondary'}`,
        id: `tab-${due || 'all'}`,
        'aria-pressed': S.due === due ? 'true' : 'false',
        onclick: () => {
          S.due = due;
          S.message = '';
          S.waiving = null;
          render();
        },
      },
      t(label),
      ' ',
      // Every tab says how many it holds ("今日到期 2 · 即将到期 3 · 已逾期 1").
      h('span', { class: 'ledger-tab-count', id: `count-${due || 'all'}` }),
    );
  clear(
    $('#main'),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, t('ledgerTitle')),
      h('p', { class: 'lead' }, t('ledgerLead')),
    ),
    h(
      'div',
      { class: 'ledger-tabs', role: 'group', 'aria-label': t('ledgerFilters') },
      tab('today', 'ledgerToday'),
      tab('soon', 'ledgerSoon'),
      tab('overdue', 'ledgerOverdue'),
      tab('', 'ledgerAll'),
    ),
    h(
      'div',
      { class: 'form-row ledger-filters' },
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'ledger-status' }, t('ledgerStatus')),
        h(
          'select',
          {
            id: 'ledger-status',
            class: 'select',
            onchange: (e: Event) => {
              S.status = (e.target as HTMLSelectElement).value;
              S.message = '';
              render();
            },
          },
          h('option', { value: '' }, t('ledgerAnyStatus')),
          statusOptions().map(([id, label]) => h('option', { value: id, selected: S.status === id }, tx(label))),
        ),
      ),
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'ledger-as-of' }, t('ledgerAsOf')),
        h('input', {
          type: 'date',
          class: 'input',
          id: 'ledger-as-of',
          value: S.asOf,
          onchange: (e: Event) => {
            S.asOf = (e.target as HTMLInputElement).value || todayInChina();
            S.message = '';
            render();
          },
        }),
      ),
      h(
        'div',
        { class: 'form-group' },
        h(
          'a',
          {
            class: 'button button-secondary',
            id: 'ledger-csv',
            href: `/v1/ledger.csv?${query()}`,
            download: 'ledger.csv',
            // The export needs the bearer token, which a plain link cannot send.
            onclick: (e: Event) => {
              e.preventDefault();
              void downloadCsv();
            },
          },
          t('ledgerCsv'),
        ),
      ),
    ),
    h('div', { id: 'entries', 'aria-live': 'polite' }),
  );
  void load();
}

/** The entry statuses to filter by, in the engine's words (none if its module did not load). */
function statusOptions(): [LedgerStatus, Text][] {
  try {
    return Object.entries(engineLabels().ledger_statuses) as [LedgerStatus, Text][];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  initLang(true);
  // The supervisor signs in (the centre's identity provider; `--dev-issuer` on one machine).
  await signIn('supervisor');
  onLangChange(render);
  // The status words are the engine's (labels()); the page works without them, filtering by all.
  await loadLabels().catch((e) => console.warn('labels', e));
  render();
  document.body.dataset.ready = 'true';
}

void main();
