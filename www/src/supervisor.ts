// The supervisor's 电子监察 page: accepted cases by lamp with their dues, working days left,
// step and assignee (GET /v1/supervision/cases, the engine's case clock on `as_of`), the
// figures by matter, channel or month (GET /v1/supervision/figures: 按期办结率 and the rest),
// small bar charts, and the figures' CSV. Every date, lamp, stage and figure name comes from the
// server; the page lays them out.
import { authFetch, signIn } from './auth';
import './styles.css';
import './supervisor.css';
import { h, clear, $ } from './dom';
import { renderHeader } from './ui';
import { initLang, onLangChange, getLang, setLang, t, tx, type Key } from './i18n';
import type { Text } from './types';

interface StepLimit {
  step: string;
  due: string;
  working_days_left: number;
  basis: string;
}

interface CaseLine {
  id: string;
  matter: string;
  matter_name: Text;
  channel: string;
  number: string | null;
  accepted_on: string;
  stage: string;
  stage_label: Text;
  assignee: string | null;
  lamp: string;
  lamp_label: Text;
  due: string;
  working_days_left: number;
  limits: StepLimit[];
}

interface Figures {
  group: string;
  label: Text;
  on_time_rate: number | null;
  [key: string]: string | number | null | Text;
}

interface FigureReport {
  columns: { key: string; label: Text }[];
  groups: Figures[];
  all: Figures;
}

type By = 'matter' | 'channel' | 'window' | 'month';

const params = new URLSearchParams(location.search);
const S = {
  asOf: params.get('as_of') ?? todayInChina(),
  matter: params.get('matter') ?? '',
  channel: params.get('channel') ?? '',
  lamp: params.get('lamp') ?? '',
  month: params.get('month') ?? '',
  by: (['matter', 'channel', 'window', 'month'].includes(params.get('by') ?? '') ? params.get('by') : 'matter') as By,
  cases: [] as CaseLine[],
  figures: null as FigureReport | null,
  failed: false,
};

function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function caseQuery(): string {
  const q = new URLSearchParams({ as_of: S.asOf });
  if (S.matter) q.set('matter', S.matter);
  if (S.channel) q.set('channel', S.channel);
  if (S.month) q.set('month', S.month);
  return q.toString();
}

function figureQuery(): string {
  return new URLSearchParams({ as_of: S.asOf, by: S.by }).toString();
}

/** Which load is the latest: an answer to an earlier one (a slower request for a day since
 * changed) is dropped, so the page never shows one day's lamps under another day. */
let generation = 0;

async function load(): Promise<void> {
  const mine = ++generation;
  const asOf = S.asOf;
  let cases: CaseLine[] = [];
  let figures: FigureReport | null = null;
  let failed = false;
  try {
    const [c, f] = await Promise.all([
      authFetch(`/v1/supervision/cases?${caseQuery()}`),
      authFetch(`/v1/supervision/figures?${figureQuery()}`),
    ]);
    if (!c.ok || !f.ok) throw new Error(`HTTP ${c.status} ${f.status}`);
    cases = (await c.json()) as CaseLine[];
    figures = (await f.json()) as FigureReport;
  } catch (e) {
    console.warn('supervision', e);
    failed = true;
  }
  if (mine !== generation) return;
  S.cases = cases;
  S.figures = figures;
  S.failed = failed;
  renderData();
  document.body.dataset.loaded = asOf;
}

async function downloadCsv(): Promise<void> {
  const r = await authFetch(`/v1/supervision/figures.csv?${figureQuery()}`);
  if (!r.ok) return;
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'figures.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Distinct values of the loaded cases, with the server's words for them. */
function distinct(pick: (c: CaseLine) => [string, string]): [string, string][] {
  const seen = new Map<string, string>();
  for (const c of S.cases) {
    const [k, v] = pick(c);
    if (!seen.has(k)) seen.set(k, v);
  }
  return [...seen.entries()];
}

function bars(title: Key, rows: { key: string; label: string; value: number; shown: string; cls: string }[]) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const summary = rows.map((r) => `${r.label} ${r.shown}`).join('；');
  return h(
    'figure',
    { class: 'sup-chart' },
    h('figcaption', { class: 'label' }, t(title)),
    h(
      'div',
      { role: 'img', 'aria-label': `${t(title)}：${summary}` },
      rows.map((r) =>
        h(
          'div',
          { class: 'bar-row', 'aria-hidden': 'true' },
          h('span', null, r.label),
          bar(r.cls, r.value / max),
          h('span', null, r.shown),
        ),
      ),
    ),
  );
}

/** A bar of `share` (0–1) of the chart's width, set through the CSSOM (the server's CSP allows
 * no inline style attributes). */
function bar(cls: string, share: number): HTMLElement {
  const el = h('span', { class: `bar ${cls}` }) as HTMLElement;
  el.style.width = `${Math.round(share * 100)}%`;
  return el;
}

function percent(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 1000) / 10}%`;
}

function renderData(): void {
  const box = $('#data');
  if (S.failed) {
    clear(box, h('p', { class: 'inset inset-bad', role: 'alert' }, t('supFailed')));
    return;
  }
  const shown = S.cases.filter((c) => !S.lamp || c.lamp === S.lamp);
  const lamps = distinct((c) => [c.lamp, tx(c.lamp_label)]);
  const lampRows = lamps.map(([lamp, label]) => {
    const n = S.cases.filter((c) => c.lamp === lamp).length;
    return { key: lamp, label, value: n, shown: String(n), cls: `bar-${lamp}` };
  });
  const fig = S.figures;
  const rateRows = (fig?.groups ?? []).map((g) => ({
    key: g.group,
    label: tx(g.label),
    value: g.on_time_rate ?? 0,
    shown: percent(g.on_time_rate),
    cls: '',
  }));
  clear(
    box,
    h('div', { class: 'sup-charts' }, bars('supLampChart', lampRows), bars('supRateChart', rateRows)),
    h('h2', { class: 'section-title' }, t('supCases')),
    h(
      'div',
      { class: 'form-group' },
      h('label', { class: 'label', for: 'sup-lamp' }, t('supLamp')),
      h(
        'select',
        {
          id: 'sup-lamp',
          class: 'select',
          onchange: (e: Event) => {
            S.lamp = (e.target as HTMLSelectElement).value;
            renderData();
          },
        },
        h('option', { value: '' }, t('supAny')),
        lamps.map(([lamp, label]) => h('option', { value: lamp, selected: S.lamp === lamp }, label)),
      ),
    ),
    h('p', { id: 'sup-count' }, t('supCount', { n: shown.length })),
    shown.length === 0
      ? h('p', { class: 'inset' }, t('supNone'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table sup-table', id: 'sup-cases' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                (
                  [
                    'supLamp',
                    'supNumber',
                    'supMatter',
                    'supStage',
                    'supAssignee',
                    'supDue',
                    'supDaysLeft',
                    'supStepDue',
                  ] as const
                ).map((c) => h('th', { scope: 'col' }, t(c))),
              ),
            ),
            h(
              'tbody',
              null,
              shown.map((c) =>
                h(
                  'tr',
                  { 'data-case': c.id, 'data-lamp': c.lamp },
                  h('td', null, h('span', { class: `lamp lamp-${c.lamp}` }, tx(c.lamp_label))),
                  h('td', null, c.number ?? ''),
                  h('td', null, tx(c.matter_name)),
                  h('td', null, tx(c.stage_label)),
                  h('td', null, c.assignee ?? ''),
                  h('td', null, c.due),
                  h('td', { class: 'num' }, String(c.working_days_left)),
                  h('td', null, c.limits.map((l) => `${l.due}（${l.working_days_left}）`).join('，')),
                ),
              ),
            ),
          ),
        ),
    h('h2', { class: 'section-title' }, t('supFigures')),
    fig
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table sup-table', id: 'sup-figures' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                fig.columns.map((c) => h('th', { scope: 'col' }, tx(c.label))),
              ),
            ),
            h(
              'tbody',
              null,
              [...fig.groups, fig.all].map((g) =>
                h(
                  'tr',
                  { 'data-group': g.group },
                  fig.columns.map((c) => {
                    if (c.key === 'group') return h('td', null, tx(g.label));
                    const v = g[c.key];
                    const rate = c.key.endsWith('_rate') || c.key === 'instant_share';
                    return h(
                      'td',
                      null,
                      rate ? percent(v as number | null) : v === null ? '—' : String(v as string | number),
                    );
                  }),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

function render(): void {
  renderHeader($('#site-header'), 'supTitle', { langToggle: true });
  const select = (id: string, label: Key, value: string, options: [string, string][], set: (v: string) => void) =>
    h(
      'div',
      { class: 'form-group' },
      h('label', { class: 'label', for: id }, t(label)),
      h(
        'select',
        { id, class: 'select', onchange: (e: Event) => set((e.target as HTMLSelectElement).value) },
        h('option', { value: '' }, t('supAny')),
        options.map(([k, v]) => h('option', { value: k, selected: value === k }, v)),
      ),
    );
  const reload = () => {
    render();
  };
  clear(
    $('#main'),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, t('supTitle')),
      h('p', { class: 'lead' }, t('supLead')),
    ),
    h(
      'div',
      { class: 'form-row sup-filters', role: 'group', 'aria-label': t('supFilters') },
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'sup-as-of' }, t('supAsOf')),
        h('input', {
          type: 'date',
          class: 'input',
          id: 'sup-as-of',
          value: S.asOf,
          onchange: (e: Event) => {
            S.asOf = (e.target as HTMLInputElement).value || todayInChina();
            reload();
          },
        }),
      ),
      select(
        'sup-matter',
        'supMatter',
        S.matter,
        distinct((c) => [c.matter, tx(c.matter_name)]),
        (v) => {
          S.matter = v;
          reload();
        },
      ),
      select(
        'sup-channel',
        'supChannel',
        S.channel,
        distinct((c) => [c.channel, c.channel]),
        (v) => {
          S.channel = v;
          reload();
        },
      ),
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'sup-month' }, t('supMonth')),
        h('input', {
          type: 'month',
          class: 'input',
          id: 'sup-month',
          value: S.month,
          onchange: (e: Event) => {
            S.month = (e.target as HTMLInputElement).value;
            reload();
          },
        }),
      ),
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'sup-by' }, t('supGroupBy')),
        h(
          'select',
          {
            id: 'sup-by',
            class: 'select',
            onchange: (e: Event) => {
              S.by = (e.target as HTMLSelectElement).value as By;
              reload();
            },
          },
          (
            [
              ['matter', 'supByMatter'],
              ['channel', 'supByChannel'],
              ['window', 'supByWindow'],
              ['month', 'supByMonth'],
            ] as const
          ).map(([k, label]) => h('option', { value: k, selected: S.by === k }, t(label))),
        ),
      ),
      h(
        'div',
        { class: 'form-group' },
        h(
          'a',
          {
            class: 'button button-secondary',
            id: 'sup-csv',
            href: `/v1/supervision/figures.csv?${figureQuery()}`,
            download: 'figures.csv',
            onclick: (e: Event) => {
              e.preventDefault();
              void downloadCsv();
            },
          },
          t('supCsv'),
        ),
      ),
    ),
    h('div', { id: 'data', 'aria-live': 'polite' }),
  );
  void load();
}

async function main(): Promise<void> {
  initLang(true);
  await signIn('supervisor');
  onLangChange(render);
  render();
  document.body.dataset.ready = 'true';
}

void main();
