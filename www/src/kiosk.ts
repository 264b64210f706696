// Kiosk (自助终端): full screen, large touch targets, zh-CN, idle reset, works offline once loaded.
import { authFetch, signIn } from './auth';
import './styles.css';
import './kiosk.css';
import { h, clear, $ } from './dom';
import { engineMessage, loadEngine, nowInChina, type Engine } from './engine';
import { initLang, t, tx, engineLabels, fmtDateTime } from './i18n';
import { pinyinInitials, sortedByName } from './finder';
import {
  renderField,
  materialTags,
  requirementText,
  buildSubmission,
  applyChecklist,
  renderOutcome,
  renderDates,
  renderPledge,
  renderFindingsList,
  flushChecks,
  careToggle,
  type Value,
} from './ui';
import { Rechecker } from './recheck';
import type {
  ApplicantKind,
  FieldDef,
  MaterialSubmission,
  MatterDef,
  MatterSummary,
  Submission,
  Verdict,
} from './types';

interface State {
  engine: Engine;
  /** Per keystroke the compact check; the full verdict when its words would change. */
  checker: Rechecker;
  matters: MatterSummary[];
  screen: 'home' | 'form' | 'result';
  matterId: string;
  def: MatterDef | null;
  kind: ApplicantKind;
  values: Record<string, Value>;
  materials: Record<string, MaterialSubmission>;
  pledgeSigned: boolean;
  verdict: Verdict | null;
  /** The submission behind `verdict`: what a hand-over code stores. */
  submission: Submission | null;
  /** The code issued for `submission` (JSON), so re-rendering does not ask again. */
  handover: { key: string; code: string } | null;
}

let S: State;
const params = new URLSearchParams(location.search);
const IDLE_MS = Math.max(1, Number(params.get('idle') ?? 120)) * 1000;
const WARN_MS = Math.min(10_000, IDLE_MS / 2);

async function main(): Promise<void> {
  initLang(false);
  // 关怀模式 on the kiosk too (its header is static HTML).
  document.querySelector('#site-header .header-inner')?.append(careToggle());
  // The kiosk is a registered device: it signs in as one (`--dev-issuer`: the dev device).
  await signIn('kiosk');
  document.body.classList.add('kiosk');
  registerServiceWorker();
  const main = $('#main');
  clear(main, h('p', { class: 'loading' }, t('loading')));
  let engine: Engine;
  try {
    engine = await loadEngine();
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
    screen: 'home',
    matterId: '',
    def: null,
    kind: 'natural_person',
    values: {},
    materials: {},
    pledgeSigned: false,
    verdict: null,
    submission: null,
    handover: null,
  };
  render();
  startIdleWatch();
  window.addEventListener('online', renderOfflineBanner);
  window.addEventListener('offline', renderOfflineBanner);
  renderOfflineBanner();
  document.body.dataset.ready = 'true';
}

function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.body.dataset.sw = 'ready';
    })
    .catch((e) => console.warn('service worker', e));
}

function renderOfflineBanner(): void {
  const el = $('#offline-banner');
  el.hidden = navigator.onLine;
  el.textContent = t('kioskOffline');
}

/* ---------- state ---------- */

function resetAll(): void {
  (document.getElementById('leave-dialog') as HTMLDialogElement | null)?.close();
  S.screen = 'home';
  S.matterId = '';
  S.def = null;
  S.values = {};
  S.materials = {};
  S.pledgeSigned = false;
  S.verdict = null;
  S.submission = null;
  S.handover = null;
  S.checker.reset();
  render();
  window.scrollTo(0, 0);
}

async function selectMatter(id: string): Promise<void> {
  if (id && !S.engine.has(id)) await S.engine.prepare(id); // its rules' files, verified, on first use
  S.matterId = id;
  S.def = S.engine.matter(id);
  S.kind = S.def.applicant_kinds[0];
  S.values = {};
  S.materials = {};
  S.pledgeSigned = false;
  S.verdict = null;
  S.checker.reset();
  S.screen = 'form';
  runCheck();
  render();
  window.scrollTo(0, 0);
  poke();
}

/**
 * Re-checks the answers. `typed`: a keystroke into that field (the compact check first; the full
 * verdict only when its words would change); otherwise the full check.
 */
function runCheck(typed: string | null = null): void {
  if (!S.def) return;
  const receivedAt = nowInChina();
  const r = S.checker.run({
    matterId: S.matterId,
    signed: S.pledgeSigned,
    previous: S.verdict,
    typed,
    build: (hd, signed) =>
      buildSubmission({
        kind: S.kind,
        channel: 'kiosk',
        receivedAt,
        values: S.values,
        materials: S.materials,
        pledgeSigned: signed,
        hiddenFields: hd.fields,
        hiddenMaterials: hd.materials,
      }),
  });
  S.submission = r.submission;
  S.pledgeSigned = r.signed;
  S.verdict = r.verdict;
}

function onChange(id?: string, _settled = true, keystroke = false): void {
  runCheck(keystroke && id ? id : null);
  update();
}

/* ---------- screens ---------- */

function render(): void {
  const main = $('#main');
  if (S.screen === 'home') {
    const tiles = h(
      'div',
      { class: 'tiles', id: 'tiles' },
      sortedByName(S.matters).map((m) =>
        h(
          'button',
          {
            type: 'button',
            class: 'tile',
            'data-matter': m.id,
            onclick: () => selectMatter(m.id),
            'data-search': `${m.id} ${m.name.zh} ${m.department.zh} ${pinyinInitials(m.name.zh)}`.toLowerCase(),
          },
          h('span', { class: 'tile-name' }, tx(m.name)),
          h('span', { class: 'tile-sub' }, tx(m.department)),
        ),
      ),
    );
    const count = h(
      'p',
      { class: 'kiosk-count', id: 'tile-count', role: 'status' },
      t('kioskFound', { n: S.matters.length }),
    );
    const search = h('input', {
      type: 'search',
      class: 'input',
      id: 'kiosk-search',
      autocomplete: 'off',
      spellcheck: 'false',
      oninput: () => {
        const q = search.value.trim().toLowerCase();
        let n = 0;
        tiles.querySelectorAll<HTMLElement>('.tile').forEach((el) => {
          el.hidden = q !== '' && !el.dataset.search!.includes(q);
          if (!el.hidden) n++;
        });
        count.textContent = t('kioskFound', { n });
      },
    });
    clear(
      main,
      h('h1', { class: 'kiosk-title' }, t('kioskWelcome')),
      h('p', { class: 'kiosk-lead' }, t('kioskPick')),
      h(
        'div',
        { class: 'form-group kiosk-search' },
        h('label', { class: 'label', for: 'kiosk-search' }, t('kioskSearch')),
        search,
      ),
      count,
      tiles,
    );
    return;
  }
  const m = S.def!;
  if (S.screen === 'form') {
    clear(
      main,
      h(
        'div',
        { class: 'kiosk-bar' },
        h(
          'button',
          { type: 'button', class: 'button button-secondary', id: 'back', onclick: askToLeave },
          `‹ ${t('kioskBack')}`,
        ),
        h('h1', { class: 'kiosk-matter' }, tx(m.name)),
      ),
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'kind-h' },
        h('h2', { class: 'section-title', id: 'kind-h' }, t('kioskWho')),
        h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', { class: 'visually-hidden' }, t('kioskWho')),
          h(
            'div',
            { class: 'radios radios-inline' },
            m.applicant_kinds.map((k, i) => {
              const rid = i === 0 ? 'applicant-kind' : `applicant-kind-${k}`;
              return h(
                'div',
                { class: 'radio' },
                h('input', {
                  type: 'radio',
                  name: 'applicant-kind',
                  id: rid,
                  checked: S.kind === k,
                  onchange: () => {
                    S.kind = k;
                    onChange();
                  },
                }),
                h('label', { for: rid }, tx(engineLabels().applicant_kinds[k])),
              );
            }),
          ),
        ),
      ),
      idReaderSection(m),
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'fields-h' },
        h('h2', { class: 'section-title', id: 'fields-h' }, t('kioskDetails')),
        (m.fields ?? []).map((f) => renderField(f, { values: S.values, onChange, radiosOnly: true })),
      ),
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'materials-h' },
        h('h2', { class: 'section-title', id: 'materials-h' }, t('kioskMaterials')),
        h(
          'ul',
          { class: 'materials' },
          m.materials.map((x) => {
            const have = S.materials[x.id]?.status === 'provided';
            return h(
              'li',
              { class: 'material', id: `mg-${x.id}`, 'data-material': x.id },
              h(
                'fieldset',
                { class: 'fieldset' },
                h(
                  'legend',
                  { class: 'material-head' },
                  h('span', { class: 'material-name' }, tx(x.name)),
                  materialTags(x),
                ),
                h('p', { class: 'material-meta' }, requirementText(x)),
                h(
                  'div',
                  { class: 'radios radios-inline' },
                  h(
                    'div',
                    { class: 'radio' },
                    h('input', {
                      type: 'radio',
                      name: `m-${x.id}`,
                      id: `m-${x.id}`,
                      checked: have,
                      onchange: () => {
                        S.materials[x.id] = { status: 'provided' };
                        onChange();
                      },
                    }),
                    h('label', { for: `m-${x.id}` }, t('kioskHave')),
                  ),
                  h(
                    'div',
                    { class: 'radio' },
                    h('input', {
                      type: 'radio',
                      name: `m-${x.id}`,
                      id: `m-${x.id}-no`,
                      checked: !have,
                      onchange: () => {
                        delete S.materials[x.id];
                        onChange();
                      },
                    }),
                    h('label', { for: `m-${x.id}-no` }, t('kioskHaveNot')),
                  ),
                ),
              ),
            );
          }),
        ),
      ),
      h(
        'div',
        { class: 'kiosk-footer' },
        h('div', { id: 'outcome' }),
        h(
          'button',
          {
            type: 'button',
            class: 'button button-large',
            id: 'see-result',
            onclick: () => {
              flushChecks();
              runCheck();
              S.screen = 'result';
              render();
              window.scrollTo(0, 0);
            },
          },
          t('kioskSeeResult'),
        ),
      ),
    );
    update();
    return;
  }
  const v = S.verdict!;
  clear(
    main,
    h(
      'div',
      { class: 'kiosk-bar' },
      h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary',
          id: 'edit',
          onclick: () => {
            S.screen = 'form';
            render();
          },
        },
        `‹ ${t('kioskEdit')}`,
      ),
      h('h1', { class: 'kiosk-matter' }, tx(m.name)),
    ),
    h('div', { id: 'outcome' }),
    h('p', { class: 'kiosk-lead' }, t('kioskResultLead')),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'findings-h' },
      h('h2', { class: 'panel-title', id: 'findings-h' }, t('findings')),
      h('div', { id: 'findings' }),
    ),
    h('section', { class: 'panel panel-pledge', id: 'pledge-panel', hidden: true }),
    h('section', { class: 'panel panel-handover', id: 'handover', 'aria-labelledby': 'handover-h' }),
    h('section', { class: 'panel', id: 'dates' }),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'button button-large', id: 'print-slip', onclick: () => printSlip(v) },
        t('kioskPrintSlip'),
      ),
      h(
        'button',
        { type: 'button', class: 'button button-large button-secondary', id: 'done', onclick: resetAll },
        `${t('kioskDone')}，${t('kioskHome')}`,
      ),
    ),
  );
  renderOutcome($('#outcome'), v);
  renderFindingsList($('#findings'), v);
  renderDates($('#dates'), v);
  renderPledge($('#pledge-panel'), v, S.pledgeSigned, (signed) => {
    S.pledgeSigned = signed;
    runCheck();
    render();
  });
  const sign = document.querySelector('#pledge-sign + label');
  if (sign) sign.textContent = t('kioskPledgeSign');
  void showHandover();
}

/* ---------- hand-over code ---------- */

/**
 * What a hand-over stores: the matter and the answers. The page's clock is left out: the window
 * receives the application when the clerk opens it, and a re-rendered result (a later second)
 * keeps the code it was given.
 */
function handoverBody(): string {
  const { received_at: _pageClock, ...submission } = S.submission ?? {};
  return JSON.stringify({ matter: S.matterId, submission });
}

/** Stores the answers on the server under a short code (and its QR code) for the window. */
async function showHandover(): Promise<void> {
  const box = document.getElementById('handover');
  if (!box || !S.submission) return;
  const title = () => h('h2', { class: 'panel-title', id: 'handover-h' }, t('handoverTitle'));
  const body = handoverBody();
  let code = S.handover?.key === body ? S.handover.code : '';
  if (!code) {
    clear(box, title(), h('p', { class: 'loading', role: 'status' }, t('kioskHandoverWait')));
    try {
      const r = await authFetch('/v1/handover', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      code = String((await r.json()).code ?? '');
      if (!/^[2-9A-HJKMNP-Z]{6}$/.test(code)) throw new Error('bad code');
      S.handover = { key: body, code };
    } catch (e) {
      console.warn('hand-over code', e);
      if (box.isConnected)
        clear(
          box,
          title(),
          h('p', { class: 'inset inset-warn', role: 'status', id: 'handover-failed' }, t('kioskHandoverFailed')),
        );
      return;
    }
  }
  if (!box.isConnected) return;
  clear(
    box,
    title(),
    h('p', { class: 'handover-code', id: 'handover-code', 'aria-label': code.split('').join(' ') }, code),
    h('img', {
      class: 'handover-qr',
      src: `/v1/handover/${code}/qr.svg`,
      alt: `${t('handoverQr')} ${code}`,
      width: '200',
      height: '200',
    }),
    h('p', { class: 'handover-hint' }, t('kioskHandoverHint')),
  );
}

function update(): void {
  const v = S.verdict;
  if (!v || S.screen !== 'form') return;
  applyChecklist($('#main'), v, (f) => f.target.kind === 'field' && S.values[f.target.id] !== undefined);
  // Nothing answered yet: a neutral box, not "需补正材料".
  renderOutcome($('#outcome'), hasAnswers() ? v : null);
}

/* ---------- leaving, the ID-card reader, the slip ---------- */

function hasAnswers(): boolean {
  return Object.keys(S.values).length > 0 || Object.keys(S.materials).length > 0 || S.pledgeSigned;
}

/** "‹ 返回" with answers on the form asks first: they would be wiped. */
function askToLeave(): void {
  if (!hasAnswers()) {
    resetAll();
    return;
  }
  let dlg = document.getElementById('leave-dialog') as HTMLDialogElement | null;
  if (!dlg) {
    dlg = h(
      'dialog',
      { class: 'idle-dialog', id: 'leave-dialog', 'aria-labelledby': 'leave-title', 'aria-describedby': 'leave-body' },
      h('h2', { id: 'leave-title' }, t('kioskLeaveTitle')),
      h('p', { id: 'leave-body' }, t('kioskLeaveBody')),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button button-large',
            id: 'leave-no',
            autofocus: true,
            onclick: () => dlg!.close(),
          },
          t('kioskLeaveNo'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button button-large button-warning',
            id: 'leave-yes',
            onclick: () => {
              dlg!.close();
              resetAll();
            },
          },
          t('kioskLeaveYes'),
        ),
      ),
    );
    document.body.append(dlg);
  }
  dlg.showModal();
}

/**
 * A keyboard-wedge ID-card reader types what it reads into the focused field and presses Enter:
 * the 18-character number, and on most readers the name before it. The number goes into the
 * matter's first ID-card field and the name into the name field of the same person
 * (operator_id → operator_name), or the applicant's name field.
 */
function idReaderSection(m: MatterDef): HTMLElement | null {
  const idField = (m.fields ?? []).find((f) => f.type === 'id_card');
  if (!idField) return null;
  const status = h('p', { class: 'hint', id: 'id-reader-status', role: 'status' });
  const input = h('input', {
    type: 'text',
    class: 'input',
    id: 'id-reader',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'id-reader-hint id-reader-status',
    onkeydown: (e: Event) => {
      if ((e as KeyboardEvent).key !== 'Enter') return;
      e.preventDefault();
      readIdCard(m, idField, input.value, status);
      input.value = '';
    },
  });
  return h(
    'section',
    { class: 'section id-reader', 'aria-labelledby': 'id-reader-h' },
    h('h2', { class: 'section-title', id: 'id-reader-h' }, t('kioskIdReader')),
    h('p', { class: 'hint', id: 'id-reader-hint' }, t('kioskIdReaderHint')),
    h('label', { class: 'visually-hidden', for: 'id-reader' }, t('kioskIdReader')),
    input,
    status,
  );
}

function nameFieldFor(m: MatterDef, idField: FieldDef): FieldDef | undefined {
  const fields = (m.fields ?? []).filter((f) => f.type === 'text');
  const prefix = idField.id.replace(/_(id|id_number)$/, '');
  return fields.find((f) => f.id === `${prefix}_name`) ?? fields.find((f) => f.id === 'applicant_name');
}

function readIdCard(m: MatterDef, idField: FieldDef, raw: string, status: HTMLElement): void {
  const text = raw.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const id = /\d{17}[\dXx]/.exec(text)?.[0]?.toUpperCase();
  if (!id) {
    status.textContent = t('kioskIdUnread');
    return;
  }
  const name = (text.match(/[\p{Script=Han}·]+/gu) ?? []).join('');
  S.values[idField.id] = id;
  const nf = nameFieldFor(m, idField);
  if (name && nf) S.values[nf.id] = name;
  runCheck();
  render();
  const masked = `${id.slice(0, 6)}********${id.slice(14)}`;
  $('#id-reader-status').textContent = t('kioskIdRead', { name, id: masked });
  $('#id-reader').focus();
}

/** The slip for a receipt printer (58/80 mm): the outcome, what to bring, the dates. */
function printSlip(v: Verdict): void {
  const root = $('#print-root');
  const bring = v.findings.filter((f) => f.target.kind === 'material');
  const width = params.get('slip') === '58' ? '58' : '80';
  const code = S.submission && S.handover?.key === handoverBody() ? S.handover.code : '';
  clear(
    root,
    h(
      'article',
      { class: `slip slip-${width}`, 'data-slip': width },
      h('h1', { class: 'slip-title' }, t('kioskSlipTitle')),
      h('p', { class: 'slip-matter' }, tx(v.matter_name)),
      h('p', { class: 'slip-outcome', 'data-outcome': v.outcome }, tx(v.outcome_label)),
      h('p', { class: 'slip-time' }, fmtDateTime(v.received_at)),
      // The hand-over code for the window, when the server gave one for these answers.
      code
        ? h('p', { class: 'slip-handover', id: 'slip-handover', 'data-code': code }, `${t('handoverTitle')}：${code}`)
        : null,
      bring.length
        ? [
            h('h2', { class: 'slip-h2' }, t('kioskSlipBring')),
            h(
              'ol',
              { class: 'slip-list' },
              bring.map((f) => h('li', { 'data-code': f.code }, tx(f.message))),
            ),
          ]
        : null,
      v.outcome === 'accept' || v.outcome === 'accept_with_pledge'
        ? h('p', { class: 'slip-dates' }, tx(v.notice.opening))
        : null,
      h('p', { class: 'slip-note' }, t('kioskSlipNote')),
    ),
  );
  document.body.classList.add('printing-slip');
  window.print();
  document.body.classList.remove('printing-slip');
}

/* ---------- idle reset ---------- */

let idleTimer = 0;
let warnTimer = 0;
let countdown = 0;

function startIdleWatch(): void {
  for (const ev of ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel']) {
    window.addEventListener(ev, poke, { passive: true, capture: true });
  }
  // The warning goes away on the button's click (or Esc), not on pointerdown: closing it under
  // the finger would let the rest of the tap land on the form behind it.
  $('#idle-continue').addEventListener('click', () => poke());
  $('#idle-dialog').addEventListener('cancel', () => poke());
  poke();
}

function poke(e?: Event): void {
  if (e && (e.target as Element | null)?.closest?.('#idle-dialog')) return;
  hideWarning();
  window.clearTimeout(idleTimer);
  window.clearTimeout(warnTimer);
  if (S.screen === 'home' && !S.def) return;
  warnTimer = window.setTimeout(showWarning, IDLE_MS - WARN_MS);
  idleTimer = window.setTimeout(() => {
    hideWarning();
    resetAll();
  }, IDLE_MS);
}

function showWarning(): void {
  const dlg = $('#idle-dialog') as HTMLDialogElement;
  let left = Math.ceil(WARN_MS / 1000);
  const body = $('#idle-body');
  body.textContent = t('kioskIdleBody', { n: left });
  $('#idle-title').textContent = t('kioskIdleTitle');
  $('#idle-continue').textContent = t('kioskIdleContinue');
  if (!dlg.open) dlg.showModal();
  window.clearInterval(countdown);
  countdown = window.setInterval(() => {
    left = Math.max(0, left - 1);
    body.textContent = t('kioskIdleBody', { n: left });
  }, 1000);
}

function hideWarning(): void {
  window.clearInterval(countdown);
  const dlg = document.getElementById('idle-dialog') as HTMLDialogElement | null;
  if (dlg?.open) dlg.close();
}

main();
