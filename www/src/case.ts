// The clerk's work queue and case view: online applications waiting, newest first, filtered;
// one application opened by its 文号 (or a kiosk's hand-over code, which the window form loads)
// with its answers, its uploaded files previewed in the page, the verdict, the audit trail;
// marking a file flawed (with the reason) and printing each document. Everything is the case
// register's (GET /v1/applications…); reading answers and files needs a reason and is audited.
import { authFetch, signIn } from './auth';
import './styles.css';
import './case.css';
import { h, clear, $ } from './dom';
import { initLang, onLangChange, t, tx, engineLabels, fmtDateTime } from './i18n';
import { loadEngine, type Engine } from './engine';
import { renderHeader, renderOutcome } from './ui';
import { docsFor, printDocs, type DocPart } from './print';
import type { MatterDef, Submission, Text, Verdict } from './types';

interface QueueItem {
  id: string;
  matter: string;
  channel: string;
  status: string;
  created_at: string;
  decided_at: string | null;
  outcome: string | null;
  number: string | null;
  case_state: string | null;
  case_state_label: Text;
  files: number;
  flawed: number;
}

interface Received {
  material: string;
  sha256: string;
  bytes: number;
  content_type: string;
  received_at: string;
  flawed: boolean;
  note: string | null;
}

interface CaseView {
  id: string;
  matter: string;
  channel: string;
  status: string;
  number: string | null;
  case_state_label: Text;
  decided_at: string | null;
  verdict: Verdict | null;
  materials: Received[];
}

interface TrailEvent {
  at: string;
  actor: string;
  kind: string;
  label: Text;
  detail: Record<string, unknown> | null;
}

const params = new URLSearchParams(location.search);
const S = {
  engine: null as Engine | null,
  state: params.get('state') === 'all' ? 'all' : 'waiting',
  channel: params.get('channel') === 'all' ? 'all' : 'online',
  matter: params.get('matter') ?? '',
  openId: params.get('application'),
  queue: [] as QueueItem[],
  app: null as CaseView | null,
  def: null as MatterDef | null,
  answers: null as Submission | null,
  trail: [] as TrailEvent[],
  message: '',
  bad: false,
  flawing: null as string | null,
  previews: {} as Record<string, string>,
};

/** The kiosk's hand-over codes: 6 of the letters and digits without 0, O, 1, I, L. */
const HANDOVER = /^[A-HJKMNP-Z2-9]{6}$/;

async function failureText(r: Response): Promise<string> {
  const body = await r.json().catch(() => null);
  return body?.error?.message ? tx(body.error.message as Text) : `HTTP ${r.status}`;
}

function say(message: string, bad = false): void {
  S.message = message;
  S.bad = bad;
  const el = document.getElementById('case-message');
  if (el) {
    el.textContent = message;
    el.className = bad ? 'inset inset-bad' : 'inset';
    el.hidden = !message;
  }
}

function reason(): string | null {
  const input = document.getElementById('case-reason') as HTMLInputElement | null;
  const why = input?.value.trim() ?? '';
  if (!why) {
    say(t('caseReasonMissing'), true);
    input?.focus();
    return null;
  }
  return why;
}

/* ---------- the queue ---------- */

async function loadQueue(): Promise<void> {
  const q = new URLSearchParams({ state: S.state, channel: S.channel });
  if (S.matter) q.set('matter', S.matter);
  const box = $('#queue-rows');
  try {
    const r = await authFetch(`/v1/applications?${q}`);
    if (!r.ok) throw new Error(await failureText(r));
    S.queue = (await r.json()).applications as QueueItem[];
  } catch (e) {
    console.warn('queue', e);
    clear(box, h('p', { class: 'inset inset-bad', role: 'alert' }, t('caseFailed')));
    return;
  }
  renderQueueRows();
}

function matterName(id: string): string {
  const m = S.engine?.matters().find((x) => x.id === id);
  return m ? tx(m.name) : id;
}

function channelName(id: string): string {
  const labels = engineLabels().channels as Record<string, Text>;
  return labels[id] ? tx(labels[id]) : id;
}

function renderQueueRows(): void {
  const rows = S.queue;
  clear(
    $('#queue-rows'),
    h('p', { class: 'ledger-count', id: 'queue-count' }, t('caseCount', { n: rows.length })),
    rows.length === 0
      ? h('p', { class: 'inset' }, t('caseNone'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table case-table', id: 'queue-table' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                (
                  ['caseDocNumber', 'caseMatter', 'caseChannel', 'caseState', 'caseFiles', 'caseDecidedAt'] as const
                ).map((c) => h('th', { scope: 'col' }, t(c))),
              ),
            ),
            h(
              'tbody',
              null,
              rows.map((a) =>
                h(
                  'tr',
                  { 'data-application': a.id },
                  h(
                    'td',
                    null,
                    h(
                      'a',
                      { href: `/case.html?application=${encodeURIComponent(a.id)}`, 'data-open': a.id },
                      a.number ?? a.id,
                    ),
                  ),
                  h('td', null, matterName(a.matter)),
                  h('td', null, channelName(a.channel)),
                  h('td', null, tx(a.case_state_label)),
                  h(
                    'td',
                    null,
                    t('caseFilesCount', { n: a.files }),
                    a.flawed ? h('span', { class: 'case-flawed' }, t('caseFlawedCount', { n: a.flawed })) : null,
                  ),
                  h('td', null, fmtDateTime(a.decided_at ?? a.created_at)),
                ),
              ),
            ),
          ),
        ),
  );
}

/** 打开: a hand-over code goes to the window form (which loads the kiosk's answers); a 文号 opens its case. */
async function openBy(raw: string): Promise<void> {
  const value = raw.trim();
  if (!value) return;
  const code = value.toUpperCase().replace(/[\s-]/g, '');
  if (HANDOVER.test(code)) {
    location.assign(`/clerk.html?handover=${encodeURIComponent(code)}`);
    return;
  }
  const r = await authFetch(`/v1/applications?${new URLSearchParams({ number: value })}`);
  if (!r.ok) {
    say(t('caseActionFailed', { why: await failureText(r) }), true);
    return;
  }
  const found = (await r.json()).applications as QueueItem[];
  if (found.length === 0) {
    say(t('caseNotFound'), true);
    return;
  }
  history.pushState(null, '', `/case.html?application=${encodeURIComponent(found[0].id)}`);
  S.openId = found[0].id;
  await openCase();
}

function renderQueue(): void {
  const select = (id: string, label: string, value: string, options: [string, string][], set: (v: string) => void) =>
    h(
      'div',
      { class: 'form-group' },
      h('label', { class: 'label', for: id }, label),
      h(
        'select',
        {
          id,
          class: 'select',
          onchange: (e: Event) => {
            set((e.target as HTMLSelectElement).value);
            void loadQueue();
          },
        },
        options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
      ),
    );
  clear(
    $('#main'),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, t('caseTitle')),
      h('p', { class: 'lead' }, t('caseLead')),
    ),
    h(
      'form',
      {
        class: 'form-group case-open',
        id: 'open-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void openBy(($('#open-input') as HTMLInputElement).value);
        },
      },
      h('label', { class: 'label', for: 'open-input' }, t('caseOpenLabel')),
      h('p', { class: 'hint', id: 'open-hint' }, t('caseOpenHint')),
      h(
        'div',
        { class: 'form-row' },
        h('input', {
          type: 'text',
          class: 'input',
          id: 'open-input',
          autocomplete: 'off',
          spellcheck: 'false',
          'aria-describedby': 'open-hint case-message',
        }),
        h('button', { type: 'submit', class: 'button', id: 'open-go' }, t('caseOpen')),
      ),
    ),
    h(
      'p',
      { id: 'case-message', role: 'status', class: S.bad ? 'inset inset-bad' : 'inset', hidden: !S.message },
      S.message,
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'queue-h' },
      h('h2', { class: 'section-title', id: 'queue-h' }, t('caseQueue')),
      h(
        'div',
        { class: 'form-row ledger-filters', role: 'group', 'aria-label': t('caseFilter') },
        select(
          'q-state',
          t('caseShow'),
          S.state,
          [
            ['waiting', t('caseWaiting')],
            ['all', t('caseAll')],
          ],
          (v) => (S.state = v),
        ),
        select(
          'q-channel',
          t('caseChannel'),
          S.channel,
          [
            ['online', t('caseOnline')],
            ['all', t('caseAnyChannel')],
          ],
          (v) => (S.channel = v),
        ),
        select(
          'q-matter',
          t('caseMatter'),
          S.matter,
          [['', t('caseAnyMatter')], ...(S.engine?.matters() ?? []).map((m): [string, string] => [m.id, tx(m.name)])],
          (v) => (S.matter = v),
        ),
      ),
      h('div', { id: 'queue-rows', 'aria-live': 'polite' }),
    ),
  );
  void loadQueue();
}

/* ---------- one case ---------- */

async function openCase(): Promise<void> {
  const id = S.openId;
  if (!id) return;
  S.answers = null;
  S.flawing = null;
  for (const url of Object.values(S.previews)) URL.revokeObjectURL(url);
  S.previews = {};
  const r = await authFetch(`/v1/applications/${encodeURIComponent(id)}`);
  if (!r.ok) {
    S.openId = null;
    say(r.status === 404 ? t('caseNotFound') : t('caseActionFailed', { why: await failureText(r) }), true);
    renderQueue();
    return;
  }
  S.app = (await r.json()) as CaseView;
  if (S.engine && !S.engine.has(S.app.matter)) await S.engine.prepare(S.app.matter);
  S.def = S.engine?.matter(S.app.matter) ?? null;
  await loadTrail();
  renderCase();
}

async function refreshCase(): Promise<void> {
  if (!S.app) return;
  const r = await authFetch(`/v1/applications/${encodeURIComponent(S.app.id)}`);
  if (r.ok) S.app = (await r.json()) as CaseView;
  await loadTrail();
  renderCase();
}

async function loadTrail(): Promise<void> {
  if (!S.app) return;
  const r = await authFetch(`/v1/applications/${encodeURIComponent(S.app.id)}/events`);
  S.trail = r.ok ? ((await r.json()).events as TrailEvent[]) : [];
}

async function showAnswers(): Promise<void> {
  const why = reason();
  if (!why || !S.app) return;
  const r = await authFetch(
    `/v1/applications/${encodeURIComponent(S.app.id)}/answers?${new URLSearchParams({ reason: why })}`,
  );
  if (!r.ok) {
    say(t('caseActionFailed', { why: await failureText(r) }), true);
    return;
  }
  S.answers = (await r.json()).submission as Submission;
  say('');
  await loadTrail();
  renderCase();
}

async function preview(material: string): Promise<void> {
  const why = reason();
  if (!why || !S.app) return;
  const r = await authFetch(
    `/v1/applications/${encodeURIComponent(S.app.id)}/materials/${encodeURIComponent(material)}?${new URLSearchParams({ reason: why })}`,
  );
  if (!r.ok) {
    say(t('caseActionFailed', { why: await failureText(r) }), true);
    return;
  }
  // Shown from memory (the request needed the bearer token, which a plain src cannot send).
  if (S.previews[material]) URL.revokeObjectURL(S.previews[material]);
  S.previews[material] = URL.createObjectURL(await r.blob());
  say('');
  await loadTrail();
  renderCase();
  document.getElementById(`pv-${material}`)?.scrollIntoView({ block: 'nearest' });
}

async function markFlawed(material: string, name: string): Promise<void> {
  if (!S.app) return;
  const input = document.getElementById(`flaw-note-${material}`) as HTMLTextAreaElement | null;
  const note = input?.value.trim() ?? '';
  const r = await authFetch(
    `/v1/applications/${encodeURIComponent(S.app.id)}/materials/${encodeURIComponent(material)}/flaw`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note }) },
  );
  if (!r.ok) {
    say(t('caseActionFailed', { why: await failureText(r) }), true);
    input?.focus();
    return;
  }
  S.flawing = null;
  say(t('caseFlawDone', { m: name }));
  await refreshCase();
}

async function printPart(part: DocPart): Promise<void> {
  if (!S.app) return;
  const r = await authFetch(`/v1/applications/${encodeURIComponent(S.app.id)}/document`);
  if (!r.ok) {
    say(t('caseActionFailed', { why: await failureText(r) }), true);
    return;
  }
  const doc = (await r.json()).verdict as Verdict;
  printDocs($('#print-root'), doc, [part]);
  await loadTrail();
  renderTrail();
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function typeName(contentType: string): string {
  return (
    ({ 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG' } as Record<string, string>)[contentType] ??
    contentType
  );
}

function answerText(value: unknown, field: NonNullable<MatterDef['fields']>[number] | undefined): string {
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  const option = field?.options?.find((o) => o.id === value);
  return option ? tx(option.label) : String(value);
}

function renderAnswers(): HTMLElement {
  const fields = S.def?.fields ?? [];
  const order = (id: string) => {
    const i = fields.findIndex((f) => f.id === id);
    return i < 0 ? fields.length : i;
  };
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'answers-h' },
    h('h2', { class: 'section-title', id: 'answers-h' }, t('caseAnswers')),
    S.answers
      ? h(
          'dl',
          { class: 'case-answers', id: 'case-answers' },
          // In the form's order; anything the form no longer asks, after.
          Object.entries(S.answers.fields ?? {})
            .sort(([a], [b]) => order(a) - order(b))
            .flatMap(([id, value]) => {
              const field = fields.find((f) => f.id === id);
              return [
                h('dt', null, field ? tx(field.label) : id),
                h('dd', { 'data-field': id }, answerText(value, field)),
              ];
            }),
        )
      : h(
          'button',
          { type: 'button', class: 'button button-secondary', id: 'show-answers', onclick: () => void showAnswers() },
          t('caseShowAnswers'),
        ),
  );
}

function renderFile(x: MatterDef['materials'][number]): HTMLElement {
  const got = S.app?.materials.find((m) => m.material === x.id);
  const name = tx(x.name);
  const url = S.previews[x.id];
  return h(
    'li',
    { class: 'case-file', 'data-material': x.id, 'data-flawed': got?.flawed ? 'true' : 'false' },
    h('h3', { class: 'case-file-name' }, name),
    got
      ? h(
          'p',
          { class: 'hint' },
          t('caseFileMeta', {
            type: typeName(got.content_type),
            size: size(got.bytes),
            at: fmtDateTime(got.received_at),
          }),
        )
      : h('p', { class: 'hint' }, t('caseNoFile')),
    got?.flawed
      ? h('p', { class: 'inset inset-warn case-flaw-note' }, t('caseFlawed', { note: got.note ?? '' }))
      : null,
    got
      ? h(
          'div',
          { class: 'form-row case-file-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary button-small',
              id: `preview-${x.id}`,
              'aria-label': t('casePreviewOf', { m: name }),
              onclick: () => void preview(x.id),
            },
            t('casePreview'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary button-small',
              id: `flaw-${x.id}`,
              'aria-expanded': S.flawing === x.id ? 'true' : 'false',
              onclick: () => {
                S.flawing = S.flawing === x.id ? null : x.id;
                renderCase();
                document.getElementById(`flaw-note-${x.id}`)?.focus();
              },
            },
            t('caseFlaw'),
          ),
        )
      : null,
    got && S.flawing === x.id
      ? h(
          'form',
          {
            class: 'form-group case-flaw-form',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void markFlawed(x.id, name);
            },
          },
          h('label', { class: 'label label-small', for: `flaw-note-${x.id}` }, t('caseFlawReason')),
          h('p', { class: 'hint', id: `flaw-hint-${x.id}` }, t('flawNoteHint')),
          h('textarea', {
            class: 'input textarea',
            id: `flaw-note-${x.id}`,
            rows: '2',
            maxlength: '200',
            required: true,
            'aria-describedby': `flaw-hint-${x.id}`,
          }),
          h('button', { type: 'submit', class: 'button button-small', id: `flaw-save-${x.id}` }, t('caseFlawSave')),
        )
      : null,
    url && got
      ? h(
          'div',
          { class: 'case-preview', id: `pv-${x.id}` },
          got.content_type === 'application/pdf'
            ? h('iframe', { src: url, title: t('casePreviewOf', { m: name }), class: 'case-preview-frame' })
            : h('img', { src: url, alt: t('casePreviewOf', { m: name }), class: 'case-preview-image' }),
        )
      : null,
  );
}

function renderDocuments(): HTMLElement {
  const v = S.app?.verdict;
  const title = (p: DocPart) => (p === 'pledge' && v?.notice.pledge ? tx(v.notice.pledge.title) : tx(v?.notice.title));
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'docs-h' },
    h('h2', { class: 'section-title', id: 'docs-h' }, t('caseDocuments')),
    v && S.app?.number
      ? h(
          'div',
          { class: 'form-row' },
          docsFor(v).map((p) =>
            h(
              'button',
              { type: 'button', class: 'button', id: `print-${p}`, onclick: () => void printPart(p) },
              t('casePrint', { title: title(p) }),
            ),
          ),
        )
      : h('p', { class: 'inset' }, t('caseNoDocument')),
  );
}

function detailText(d: Record<string, unknown> | null): string {
  if (!d) return '';
  const parts: string[] = [];
  for (const key of ['number', 'material', 'note', 'reason']) {
    const v = d[key];
    if (typeof v !== 'string' || !v) continue;
    const material = key === 'material' ? S.def?.materials.find((m) => m.id === v) : undefined;
    parts.push(material ? tx(material.name) : v);
  }
  return parts.join(' · ');
}

function renderTrail(): void {
  const el = document.getElementById('case-trail');
  if (!el) return;
  clear(
    el,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table case-table', id: 'trail-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            (['caseTrailAt', 'caseTrailActor', 'caseTrailWhat', 'caseTrailDetail'] as const).map((c) =>
              h('th', { scope: 'col' }, t(c)),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          S.trail.map((e) =>
            h(
              'tr',
              { 'data-kind': e.kind },
              h('td', null, fmtDateTime(e.at)),
              h('td', null, e.actor),
              h('td', null, tx(e.label)),
              h('td', null, detailText(e.detail)),
            ),
          ),
        ),
      ),
    ),
  );
}

function renderCase(): void {
  const app = S.app;
  if (!app) return;
  const heading = app.number ?? app.id;
  clear(
    $('#main'),
    h(
      'p',
      null,
      h(
        'a',
        {
          href: '/case.html',
          id: 'case-back',
          onclick: (e: Event) => {
            e.preventDefault();
            history.pushState(null, '', '/case.html');
            S.openId = null;
            S.app = null;
            say('');
            renderQueue();
          },
        },
        t('caseBack'),
      ),
    ),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title', id: 'case-title', 'data-application': app.id }, heading),
      h(
        'p',
        { class: 'lead' },
        `${matterName(app.matter)} · ${channelName(app.channel)} · ${tx(app.case_state_label)}`,
      ),
    ),
    h(
      'p',
      { id: 'case-message', role: 'status', class: S.bad ? 'inset inset-bad' : 'inset', hidden: !S.message },
      S.message,
    ),
    h('div', { id: 'case-outcome' }),
    h(
      'div',
      { class: 'form-group' },
      h('label', { class: 'label', for: 'case-reason' }, t('caseReason')),
      h('input', { type: 'text', class: 'input', id: 'case-reason', value: t('caseReasonDefault'), maxlength: '200' }),
    ),
    renderAnswers(),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'files-h' },
      h('h2', { class: 'section-title', id: 'files-h' }, t('caseFilesHeading')),
      h('ul', { class: 'case-files', id: 'case-files' }, (S.def?.materials ?? []).map(renderFile)),
    ),
    renderDocuments(),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'trail-h' },
      h('h2', { class: 'section-title', id: 'trail-h' }, t('caseTrail')),
      h('div', { id: 'case-trail' }),
    ),
  );
  renderOutcome($('#case-outcome'), app.verdict, 'caseOutcome');
  renderTrail();
}

function render(): void {
  renderHeader($('#site-header'), 'caseTitle', { langToggle: true });
  if (S.app) renderCase();
  else renderQueue();
}

async function main(): Promise<void> {
  initLang(true);
  await signIn('clerk');
  renderHeader($('#site-header'), 'caseTitle', { langToggle: true });
  clear($('#main'), h('p', { class: 'loading' }, t('loading')));
  try {
    S.engine = await loadEngine(null);
  } catch (e) {
    console.error(e);
    clear($('#main'), h('div', { class: 'inset inset-bad', role: 'alert' }, t('engineFailed')));
    return;
  }
  onLangChange(render);
  window.addEventListener('popstate', () => {
    S.openId = new URLSearchParams(location.search).get('application');
    S.app = null;
    if (S.openId) void openCase();
    else renderQueue();
  });
  if (S.openId) await openCase();
  else renderQueue();
  document.body.dataset.ready = 'true';
}

void main();
