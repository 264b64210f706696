// Clerk's window form: record what was received, see the verdict live, print the fitting document.
import { authFetch, signIn } from './auth';
import './styles.css';
import { h, clear, $ } from './dom';
import { engineMessage, loadEngine, nowInChina, type Engine } from './engine';
import { initLang, onLangChange, t, tx, engineLabels, getLang } from './i18n';
import {
  renderHeader,
  renderField,
  materialTags,
  requirementText,
  buildSubmission,
  applyChecklist,
  renderErrorSummary,
  renderOutcome,
  renderDates,
  renderPledge,
  matterIntro,
  flushChecks,
  type Value,
} from './ui';
import { Rechecker } from './recheck';
import { printDocs, docsFor, type DocPart } from './print';
import type { ApplicantKind, MaterialSubmission, MatterDef, MatterSummary, Submission, Text, Verdict } from './types';
import { createApplication, numberedVerdict, newKey, RegisterFailure, type Application } from './register';

type Received = 'original' | 'copy' | 'original_and_copy' | 'flawed' | 'missing' | 'shared' | 'committed';

interface State {
  engine: Engine;
  /** Per keystroke the compact check; the full verdict when its words would change. */
  checker: Rechecker;
  matters: MatterSummary[];
  matterId: string;
  def: MatterDef | null;
  kind: ApplicantKind;
  badCredit: boolean;
  values: Record<string, Value>;
  received: Record<string, Received>;
  notes: Record<string, string>;
  /** The licence number or shared-record reference of a material obtained by sharing. */
  refs: Record<string, string>;
  /** Copies the clerk counted, where the rule asks for copies. */
  copies: Record<string, number>;
  pledgeSigned: boolean;
  verdict: Verdict | null;
  touched: Set<string>;
  /** The submission behind `verdict`. */
  submission: Submission | null;
  /** The Idempotency-Key of the body last recorded, and what the register answered. */
  recorded: {
    body: string;
    key: string;
    app: Application | null;
    document: Verdict | null;
    error: string | null;
  } | null;
}

let S: State;

/**
 * Records the application in the case register (channel window: the clerk's record of the paper
 * received stands) and shows the number it got. The same answers again give the same record.
 */
async function recordApplication(): Promise<void> {
  if (!S.def || !S.submission) return;
  const { received_at: _pageClock, ...submission } = S.submission;
  const body = JSON.stringify({ matter: S.matterId, submission });
  if (S.recorded?.body !== body) S.recorded = { body, key: newKey(), app: null, document: null, error: null };
  const rec = S.recorded;
  try {
    rec.app = await createApplication(body, rec.key);
    rec.document = await numberedVerdict(rec.app.id);
    rec.error = null;
  } catch (e) {
    console.warn('register', e);
    rec.error = e instanceof RegisterFailure && e.text ? tx(e.text) : t('unreachable');
  }
  update();
}

/** The record made of exactly the answers now on the page, if any. */
function currentRecord(): NonNullable<State['recorded']> | null {
  const rec = S.recorded;
  if (!rec || !S.submission) return null;
  const { received_at: _pageClock, ...submission } = S.submission;
  return rec.body === JSON.stringify({ matter: S.matterId, submission }) ? rec : null;
}

function recordPanel(): HTMLElement | null {
  const rec = currentRecord();
  if (!rec) return null;
  if (rec.error)
    return h(
      'p',
      { class: 'inset inset-bad', role: 'alert', id: 'record-error' },
      t('recordFailed', { why: rec.error }),
    );
  const app = rec.app;
  if (!app?.number || !app.verdict) return null;
  return h(
    'div',
    { id: 'recorded', 'data-number': app.number },
    h(
      'p',
      { class: 'inset inset-ok', role: 'status' },
      t('recorded', { number: app.number, outcome: tx(app.verdict.outcome_label) }),
    ),
    app.verdict.outcome !== S.verdict?.outcome ? h('p', { class: 'inset inset-warn' }, t('recordDiffers')) : null,
  );
}

/** The receipt options a material admits: the usual five, plus sharing and 告知承诺 where the rule allows them. */
function receivedOptions(x: MatterDef['materials'][number]): { id: Received; label: Text }[] {
  const base = RECEIVED.map((r) => ({ id: r.id, label: r.label() }));
  const statuses = engineLabels().material_statuses;
  if (x.sharing && x.sharing.by !== 'none') base.push({ id: 'shared', label: statuses.shared });
  if (x.commitment) base.push({ id: 'committed', label: statuses.committed });
  return base;
}

/** The register keeps a flaw note of at most 200 characters: the field says so and stops there. */
const NOTE_MAX = 200;

function noteCount(id: string, val: string): void {
  const el = $(`#mnc-${id}`);
  const n = [...val].length;
  el.classList.toggle('char-count-full', n >= NOTE_MAX);
  el.textContent = n >= NOTE_MAX ? t('maxLengthReached', { n: NOTE_MAX }) : t('charCount', { n, max: NOTE_MAX });
}

/** The clerk's choices for a material, each captioned by the engine's label. */
const RECEIVED: { id: Received; label: () => Text }[] = [
  { id: 'original', label: () => engineLabels().submitted_forms.original },
  { id: 'copy', label: () => engineLabels().submitted_forms.copy },
  { id: 'original_and_copy', label: () => engineLabels().submitted_forms.original_and_copy },
  { id: 'flawed', label: () => engineLabels().material_statuses.flawed },
  { id: 'missing', label: () => engineLabels().material_statuses.missing },
];

async function main(): Promise<void> {
  initLang(true);
  // A clerk signs in (the centre's identity provider; `--dev-issuer` on one machine).
  await signIn('clerk');
  const header = $('#site-header');
  renderHeader(header, 'clerkTitle', { langToggle: true });
  const main = $('#main');
  clear(main, h('p', { class: 'loading' }, t('loading')));
  let engine: Engine;
  try {
    engine = await loadEngine(new URLSearchParams(location.search).get('matter'));
  } catch (e) {
    const why = engineMessage(e);
    clear(
      main,
      h(
        'div',
        { class: 'inset inset-bad', role: 'alert', id: 'engine-failed' },
        t('engineFailed'),
        why ? h('p', { class: 'engine-error' }, why) : null,
      ),
    );
    console.error(e);
    return;
  }
  S = {
    engine,
    checker: new Rechecker(engine),
    matters: engine.matters(),
    matterId: '',
    def: null,
    kind: 'enterprise_legal_person',
    badCredit: false,
    values: {},
    received: {},
    notes: {},
    refs: {},
    copies: {},
    pledgeSigned: false,
    verdict: null,
    touched: new Set(),
    submission: null,
    recorded: null,
  };
  onLangChange(() => {
    renderHeader(header, 'clerkTitle', { langToggle: true });
    renderAll();
  });
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('matter');
  if (fromUrl && S.matters.some((m) => m.id === fromUrl)) selectMatter(fromUrl);
  else renderAll();
  const code = params.get('handover');
  if (code) await loadHandover(code);
  document.body.dataset.ready = 'true';
}

/** The material as the applicant said they brought it, in the clerk's terms. */
function receivedFrom(m: MatterDef['materials'][number], given: MaterialSubmission): Received {
  if (given.status === 'flawed') return 'flawed';
  if (given.status !== 'provided') return 'missing';
  if (given.form) return given.form;
  return m.form === 'copy' || m.form === 'original_and_copy' ? m.form : 'original';
}

/** Loads the answers stored under a hand-over code, so the window starts from exactly them. */
async function loadHandover(raw: string): Promise<void> {
  const code = raw.trim().toUpperCase();
  const say = (text: string, bad = false) => {
    const el = document.getElementById('handover-status');
    if (el) {
      el.textContent = text;
      el.className = bad ? 'inset inset-bad' : 'inset';
      el.hidden = false;
    }
  };
  say(t('handoverLoading'));
  let data: { matter: string; submission: Submission };
  try {
    const r = await authFetch(`/v1/handover/${encodeURIComponent(code)}`);
    if (r.status === 404) {
      say(t('handoverNotFound'), true);
      return;
    }
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    data = await r.json();
  } catch (e) {
    console.warn('hand-over', e);
    say(t('handoverLoadFailed'), true);
    return;
  }
  if (!S.matters.some((m) => m.id === data.matter)) {
    say(t('handoverNotFound'), true);
    return;
  }
  await selectMatter(data.matter);
  const sub = data.submission;
  S.kind = sub.applicant.kind;
  S.badCredit = sub.applicant.bad_credit === true;
  S.values = { ...(sub.fields ?? {}) } as Record<string, Value>;
  for (const m of S.def!.materials) {
    const given = sub.materials?.[m.id];
    if (given) S.received[m.id] = receivedFrom(m, given);
    if (given?.note) S.notes[m.id] = given.note;
  }
  S.pledgeSigned = sub.pledge_signed === true;
  for (const id of Object.keys(S.values)) S.touched.add(id);
  runCheck();
  renderAll();
  const input = document.getElementById('handover-input') as HTMLInputElement | null;
  if (input) input.value = code;
  say(t('handoverLoaded', { code }));
}

async function selectMatter(id: string): Promise<void> {
  if (id && !S.engine.has(id)) await S.engine.prepare(id); // its rules' files, verified, on first use
  S.matterId = id;
  S.def = id ? S.engine.matter(id) : null;
  S.kind = S.def?.applicant_kinds[0] ?? 'enterprise_legal_person';
  S.badCredit = false;
  S.values = {};
  S.received = {};
  S.notes = {};
  S.refs = {};
  S.copies = {};
  S.pledgeSigned = false;
  S.verdict = null;
  S.touched = new Set();
  S.checker.reset();
  if (S.def) runCheck();
  renderAll();
}

function materialsSubmission(): Record<string, MaterialSubmission> {
  const out: Record<string, MaterialSubmission> = {};
  for (const [id, r] of Object.entries(S.received)) {
    if (r === 'missing') continue;
    if (r === 'flawed')
      out[id] = S.notes[id]?.trim() ? { status: 'flawed', note: S.notes[id].trim() } : { status: 'flawed' };
    else if (r === 'shared')
      out[id] = S.refs[id]?.trim() ? { status: 'shared', reference: S.refs[id].trim() } : { status: 'shared' };
    else if (r === 'committed') out[id] = { status: 'committed' };
    else {
      const copies = r === 'original' ? undefined : S.copies[id];
      out[id] =
        copies === undefined
          ? { status: 'provided', form: r, medium: 'paper' }
          : { status: 'provided', form: r, medium: 'paper', copies };
    }
  }
  return out;
}

/**
 * Re-checks what was recorded. `typed`: a keystroke into that field or material's note, number
 * of copies or reference (the compact check first; the full verdict only when its words would
 * change); otherwise the full check.
 */
function runCheck(typed: string | null = null): void {
  if (!S.def) return;
  const receivedAt = nowInChina();
  const r = S.checker.run({
    matterId: S.matterId,
    signed: S.pledgeSigned,
    previous: S.verdict,
    typed,
    build: (hidden, signed) =>
      buildSubmission({
        kind: S.kind,
        badCredit: S.badCredit,
        channel: 'window',
        receivedAt,
        values: S.values,
        materials: materialsSubmission(),
        pledgeSigned: signed,
        hiddenFields: hidden.fields,
        hiddenMaterials: hidden.materials,
      }),
  });
  S.submission = r.submission;
  S.pledgeSigned = r.signed;
  S.verdict = r.verdict;
}

function onChange(id?: string, _settled = true, keystroke = false): void {
  if (id) S.touched.add(id);
  runCheck(keystroke && id ? id : null);
  update();
}

/**
 * A character typed into a material's note, copies or reference: the compact check first (at
 * once, as before issue 17; the fields' keystrokes wait for the painted frame, see afterPaint).
 */
function typedInMaterial(id: string): void {
  runCheck(id);
  update();
}

/** Before a document is printed or the answers recorded: the full verdict for exactly them. */
function fullCheck(): void {
  flushChecks();
  runCheck();
  update();
}

function renderAll(): void {
  const m = S.def;
  clear(
    $('#main'),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, t('clerkTitle')),
      h('p', { class: 'lead' }, t('clerkLead')),
    ),
    h(
      'div',
      { class: 'layout' },
      h(
        'div',
        { class: 'layout-main' },
        h(
          'section',
          { class: 'section', 'aria-labelledby': 'matter-h' },
          h('h2', { class: 'section-title', id: 'matter-h' }, t('matter')),
          h(
            'div',
            { class: 'form-group' },
            h('label', { class: 'label', for: 'matter-select' }, t('chooseMatter')),
            h(
              'select',
              {
                id: 'matter-select',
                class: 'select',
                onchange: (e: Event) => selectMatter((e.target as HTMLSelectElement).value),
              },
              h('option', { value: '' }, `— ${t('chooseMatter')} —`),
              S.matters.map((x) => h('option', { value: x.id, selected: x.id === S.matterId }, tx(x.name))),
            ),
          ),
          handoverForm(),
          m ? matterIntro(m) : null,
        ),
        m ? renderForm(m) : null,
      ),
      m
        ? h(
            'aside',
            { class: 'layout-side', 'aria-label': t('result') },
            h(
              'div',
              { class: 'sticky' },
              h('div', { id: 'outcome' }),
              h('div', { class: 'print-actions', id: 'print-actions' }),
              h('div', {
                class: 'error-summary error-summary-compact',
                id: 'error-summary',
                tabindex: '-1',
                hidden: true,
              }),
              h('div', { class: 'panel', id: 'dates' }),
            ),
          )
        : null,
    ),
  );
  update();
}

function handoverForm(): HTMLElement {
  const go = (e: Event) => {
    e.preventDefault();
    const input = document.getElementById('handover-input') as HTMLInputElement | null;
    if (input?.value.trim()) void loadHandover(input.value);
  };
  return h(
    'form',
    { class: 'form-group handover-form', id: 'handover-form', onsubmit: go },
    h('label', { class: 'label', for: 'handover-input' }, t('handoverLabel')),
    h(
      'div',
      { class: 'form-row' },
      h('input', {
        type: 'text',
        class: 'input',
        id: 'handover-input',
        autocomplete: 'off',
        maxlength: '8',
        spellcheck: 'false',
        'aria-describedby': 'handover-status',
      }),
      h('button', { type: 'submit', class: 'button button-secondary', id: 'handover-load' }, t('handoverLoad')),
    ),
    h('p', { id: 'handover-status', role: 'status', hidden: true }),
  );
}

function renderForm(m: MatterDef): HTMLElement[] {
  return [
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'kind-h' },
      h('h2', { class: 'section-title', id: 'kind-h' }, t('applicantKind')),
      h(
        'div',
        { class: 'form-row' },
        h(
          'div',
          { class: 'form-group' },
          h('label', { class: 'label', for: 'applicant-kind' }, t('applicantKind')),
          h(
            'select',
            {
              id: 'applicant-kind',
              class: 'select',
              onchange: (e: Event) => {
                S.kind = (e.target as HTMLSelectElement).value as ApplicantKind;
                onChange();
              },
            },
            Object.entries(engineLabels().applicant_kinds).map(([k, l]) =>
              h('option', { value: k, selected: k === S.kind }, tx(l)),
            ),
          ),
        ),
        h(
          'fieldset',
          { class: 'fieldset form-group' },
          h('legend', { class: 'label' }, t('creditStanding')),
          h(
            'div',
            { class: 'checkbox' },
            h('input', {
              type: 'checkbox',
              id: 'bad-credit',
              checked: S.badCredit,
              onchange: (e: Event) => {
                S.badCredit = (e.target as HTMLInputElement).checked;
                onChange();
              },
            }),
            h('label', { for: 'bad-credit' }, t('badCredit')),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'materials-h' },
      h('h2', { class: 'section-title', id: 'materials-h' }, t('materials')),
      h(
        'ul',
        { class: 'materials materials-clerk' },
        m.materials.map((x) => {
          const cur = S.received[x.id] ?? 'missing';
          const noteId = `mn-${x.id}`;
          return h(
            'li',
            { class: 'material', id: `mg-${x.id}`, 'data-material': x.id },
            h(
              'fieldset',
              { class: 'fieldset', 'aria-describedby': `me-${x.id}` },
              h(
                'legend',
                { class: 'material-head' },
                h('span', { class: 'material-name' }, tx(x.name)),
                materialTags(x),
              ),
              h(
                'p',
                { class: 'material-meta' },
                `${t('requirement')}：${requirementText(x)}`,
                x.acceptance_standard ? `；${t('acceptanceStandard')}：${tx(x.acceptance_standard)}` : '',
              ),
              h('p', { class: 'field-error', id: `me-${x.id}`, hidden: true }),
              h(
                'div',
                { class: 'segmented', role: 'radiogroup', 'aria-label': `${tx(x.name)} ${t('received')}` },
                receivedOptions(x).map((r, i) => {
                  const rid = i === 0 ? `m-${x.id}` : `m-${x.id}-${r.id}`;
                  return h(
                    'span',
                    { class: 'segment' },
                    h('input', {
                      type: 'radio',
                      name: `m-${x.id}`,
                      id: rid,
                      value: r.id,
                      checked: cur === r.id,
                      onchange: () => {
                        S.received[x.id] = r.id;
                        $(`#mnw-${x.id}`).hidden = r.id !== 'flawed';
                        const ref = document.getElementById(`mrw-${x.id}`);
                        if (ref) ref.hidden = r.id !== 'shared';
                        onChange();
                      },
                    }),
                    h('label', { for: rid }, tx(r.label)),
                  );
                }),
              ),
              x.copies
                ? h(
                    'div',
                    { class: 'form-group note-group' },
                    h('label', { class: 'label label-small', for: `mcp-${x.id}` }, tx(engineLabels().window.copies)),
                    h('input', {
                      type: 'text',
                      inputmode: 'numeric',
                      class: 'input input-short',
                      id: `mcp-${x.id}`,
                      value: S.copies[x.id] === undefined ? '' : String(S.copies[x.id]),
                      oninput: (e: Event) => {
                        const raw = (e.target as HTMLInputElement).value.trim();
                        if (/^\d{1,3}$/.test(raw)) S.copies[x.id] = Number(raw);
                        else delete S.copies[x.id];
                        typedInMaterial(x.id);
                      },
                      onchange: fullCheck,
                    }),
                  )
                : null,
              x.sharing && x.sharing.by !== 'none'
                ? h(
                    'div',
                    { class: 'form-group note-group', id: `mrw-${x.id}`, hidden: cur !== 'shared' },
                    h(
                      'label',
                      { class: 'label label-small', for: `mr-${x.id}` },
                      tx(engineLabels().window.reference),
                      x.sharing.system ? `（${tx(x.sharing.system)}）` : '',
                    ),
                    h('input', {
                      type: 'text',
                      class: 'input input-code',
                      id: `mr-${x.id}`,
                      value: S.refs[x.id] ?? '',
                      oninput: (e: Event) => {
                        S.refs[x.id] = (e.target as HTMLInputElement).value;
                        typedInMaterial(x.id);
                      },
                      onchange: fullCheck,
                    }),
                  )
                : null,
              h(
                'div',
                { class: 'form-group note-group', id: `mnw-${x.id}`, hidden: cur !== 'flawed' },
                h('label', { class: 'label label-small', for: noteId }, t('flawNote')),
                h('input', {
                  type: 'text',
                  class: 'input',
                  id: noteId,
                  placeholder: t('flawNoteHint'),
                  value: S.notes[x.id] ?? '',
                  maxlength: NOTE_MAX,
                  'aria-describedby': `mnc-${x.id}`,
                  oninput: (e: Event) => {
                    const val = (e.target as HTMLInputElement).value;
                    S.notes[x.id] = val;
                    noteCount(x.id, val);
                    typedInMaterial(x.id);
                  },
                  onchange: fullCheck,
                }),
                h('p', { class: 'hint char-count', id: `mnc-${x.id}` }, t('maxLength', { n: NOTE_MAX })),
              ),
            ),
          );
        }),
      ),
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'fields-h' },
      h('h2', { class: 'section-title', id: 'fields-h' }, t('formInfo')),
      h(
        'div',
        { class: 'fields-grid' },
        (m.fields ?? []).map((f) => renderField(f, { values: S.values, onChange })),
      ),
    ),
    h('section', { class: 'panel panel-pledge', id: 'pledge-panel', tabindex: '-1', hidden: true }),
  ];
}

function update(): void {
  const v = S.verdict;
  if (!S.def || !v) return;
  applyChecklist(
    $('#main'),
    v,
    (f) => f.target.kind !== 'field' || S.values[f.target.id] !== undefined || S.touched.has(f.target.id),
  );
  renderOutcome($('#outcome'), v);
  renderErrorSummary($('#error-summary'), v);
  renderDates($('#dates'), v, { heading: 'datesIfToday' });
  renderPledge(
    $('#pledge-panel'),
    v,
    S.pledgeSigned,
    (signed) => {
      S.pledgeSigned = signed;
      onChange();
    },
    'pledgeSignedClerk',
  );
  renderPrintActions(v);
}

/**
 * Register first, then print: 登记并取号 records these answers (the server refuses an
 * application that does not yet say who applies — nothing is numbered for nobody), and only the
 * recorded, numbered document prints. The button names the document by its title from the engine
 * (受理通知书, 补正材料通知书…); when several fit (容缺受理: the notice and the 信用承诺书), each may
 * also be printed alone.
 */
function renderPrintActions(v: Verdict): void {
  const el = $('#print-actions');
  const rec = currentRecord();
  const doc = rec?.document ?? null;
  const parts = doc ? docsFor(doc) : [];
  const recKey = rec
    ? `${rec.app?.number ?? ''}|${rec.error ?? ''}|${rec.app?.verdict?.outcome ?? ''}|${rec.document ? 'doc' : ''}`
    : '';
  const key = `${getLang()}|${v.notice.kind}|${v.outcome}|${parts.join(' ')}|${recKey}`;
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  const title = (p: DocPart) =>
    p === 'pledge' && doc?.notice.pledge ? tx(doc.notice.pledge.title) : tx(doc?.notice.title);
  clear(
    el,
    h(
      'button',
      {
        type: 'button',
        class: doc ? 'button button-secondary' : 'button',
        id: 'record',
        onclick: () => {
          fullCheck();
          void recordApplication();
        },
      },
      t('record'),
    ),
    recordPanel(),
    doc
      ? [
          h(
            'button',
            {
              type: 'button',
              class: 'button',
              id: 'print',
              'data-docs': parts.join(' '),
              'data-doc-kind': doc.notice.kind,
              onclick: () => printDocs($('#print-root'), doc),
            },
            parts.length > 1
              ? `${t('printAll')}（${parts.map(title).join('、')}）`
              : `${t('print')}${getLang() === 'en' ? ' ' : ''}${title(parts[0])}`,
          ),
          parts.length > 1
            ? h(
                'div',
                { class: 'print-one' },
                parts.map((p) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button-secondary',
                      id: `print-${p}`,
                      onclick: () => printDocs($('#print-root'), doc, [p]),
                    },
                    `${t('printOnly')}${title(p)}`,
                  ),
                ),
              )
            : null,
        ]
      : h('p', { class: 'hint', id: 'print-after-record' }, t('printAfterRecord')),
  );
}

main();
