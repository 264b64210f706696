// The clerk's 容缺台账: what applicants accepted on a pledge still owe — 今日到期, 即将到期 (a
// reminder is due), 已逾期 — with a CSV export, and supply / waive at the window. Everything here
// comes from the case register (GET /v1/ledger); dates and states are the server's.
import { authFetch, signIn } from './auth';
import './styles.css';
import './ledger.css';
import { h, clear, $ } from './dom';
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
}

type Due = 'today' | 'soon' | 'overdue' | '';

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
    const r = await authFetch(`/v1/ledger?${query()}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    S.entries = (await r.json()).entries as Entry[];
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

async function act(entry: Entry, what: 'supply' | 'waive'): Promise<void> {
  const r = await authFetch(`/v1/ledger/${encodeURIComponent(entry.id)}/${what}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  S.message = r.ok
    ? t('ledgerDone', { m: tx(entry.name), n: entry.number ?? '' })
    : ((await r.json().catch(() => null))?.error?.message?.[getLang()] ?? t('ledgerFailed'));
  await load();
}

function renderEntries(): void {
  const rows = S.entries;
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
                (
                  [
                    'ledgerNumber',
                    'ledgerMaterial',
                    'ledgerDue',
                    'ledgerRemind',
                    'ledgerState',
                    'ledgerCaseState',
                    'ledgerResume',
                    'ledgerActions',
                  ] as const
                ).map((c) => h('th', { scope: 'col' }, t(c))),
              ),
            ),
            h(
              'tbody',
              null,
              rows.map((e) =>
                h(
                  'tr',
                  { 'data-entry': e.id, 'data-status': e.status },
                  h('td', null, e.number ?? ''),
                  h('td', null, tx(e.name)),
                  h('td', null, e.due),
                  h('td', null, e.remind_on),
                  h('td', null, tx(e.status_label)),
                  h('td', null, tx(e.case_state_label)),
                  h('td', null, e.resume_until ?? ''),
                  h(
                    'td',
                    null,
                    e.status === 'owed' || e.status === 'overdue'
                      ? [
                          h(
                            'button',
                            {
                              type: 'button',
                              class: 'button button-small',
                              'data-action': 'supply',
                              onclick: () => act(e, 'supply'),
                            },
                            t('ledgerSupply'),
                          ),
                          ' ',
                          h(
                            'button',
                            {
                              type: 'button',
                              class: 'button button-secondary button-small',
                              'data-action': 'waive',
                              onclick: () => act(e, 'waive'),
                            },
                            t('ledgerWaive'),
                          ),
                        ]
                      : null,
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

function render(): void {
  const header = $('#site-header');
  clear(
    header,
    h('a', { href: '#main', class: 'skip-link' }, t('skip')),
    h(
      'div',
      { class: 'header-inner' },
      h(
        'div',
        { class: 'brand' },
        h('span', { class: 'emblem', 'aria-hidden': 'true' }, '政'),
        h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t('site'))),
      ),
      h('span', { class: 'header-title' }, t('ledgerTitle')),
      h(
        'button',
        {
          type: 'button',
          class: 'lang-toggle',
          id: 'lang-toggle',
          onclick: () => setLang(getLang() === 'zh' ? 'en' : 'zh'),
        },
        t('langToggle'),
      ),
    ),
  );
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
          render();
        },
      },
      t(label),
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
