// Applicant page (online application). Renders the matter from matter(id) and the engine's verdict.
import './styles.css';
import './upload.css';
import { h, clear, $ } from './dom';
import { engineMessage, loadEngine, nowInChina, type Engine } from './engine';
import { initLang, onLangChange, t, tx, engineLabels, fmtDate, fmtDateTime, getLang } from './i18n';
import {
  renderHeader, renderField, materialTags, materialDetails, buildSubmission,
  applyChecklist, renderErrorSummary, renderOutcome, renderDates, renderPledge, renderFindingsList,
  matterIntro, focusTarget, setText, showNormalised, flushChecks, type Value,
} from './ui';
import { printReceipt } from './print';
import { renderFinder } from './finder';
import { Rechecker } from './recheck';
import type { FactKey, Text, Receipt, Finding, ApplicantKind, MaterialSubmission, MatterDef, MatterSummary, ServerCheckResponse, Verdict } from './types';
import { createApplication, submitDraft, uploadWithRetry, numberedVerdict, newKey, RegisterFailure, type Application, type UploadState } from './register';

interface State {
  /** Null until the wasm engine has arrived (the questions may already be on screen). */
  engine: Engine | null;
  /** Per keystroke the compact check; the full verdict when its words would change. */
  checker: Rechecker | null;
  matters: MatterSummary[];
  matterId: string;
  def: MatterDef | null;
  kind: ApplicantKind;
  values: Record<string, Value>;
  materials: Record<string, MaterialSubmission>;
  files: Record<string, string>;
  pledgeSigned: boolean;
  verdict: Verdict | null;
  verdictJson: string | null;
  touched: Set<string>;
  showAll: boolean;
  server: ServerCheckResponse | null;
  submitting: boolean;
  /** Something was answered: until then the result box is neutral, not "需补正材料". */
  started: boolean;
  /** The finder is open although a matter is chosen (更换事项). */
  picking: boolean;
  /** Answers came back from this device's draft (said once above the form). */
  restored: boolean;
  /** One Idempotency-Key per application: a second tap (or a retry) gets the same receipt. */
  idemKey: string;
  /** The chosen files themselves, uploaded on submit. */
  fileObjs: Record<string, File>;
  uploads: Record<string, UploadState>;
  /** The Idempotency-Key of the application body last sent to the register (a retry reuses it). */
  draft: { fingerprint: string; key: string } | null;
  /** The application the register recorded, with its decision, number and receipt. */
  app: Application | null;
  /** The recorded decision's exact bytes with its notice numbered (for the printed receipt). */
  appDoc: Verdict | null;
  registerError: string | null;
}

/** The decision that counts: the register's (from the files it received), else the re-check's. */
function serverVerdict(): Verdict | null {
  return S.app?.verdict ?? S.server?.verdict ?? null;
}

/**
 * The receipt: the register's, when it recorded and accepted the application. The re-check
 * (`/check`) signs none; when the register failed (files missing, unreachable) there is none.
 */
function currentReceipt(): Receipt | null {
  return S.app?.receipt ?? null;
}

/** The server accepted the application and gave it a receipt: the form is done. */
function accepted(): boolean {
  const o = serverVerdict()?.outcome;
  return !!S.server && !!currentReceipt() && (o === 'accept' || o === 'accept_with_pledge');
}

let S: State;

async function main(): Promise<void> {
  initLang(true);
  const header = $('#site-header');
  renderHeader(header, 'applicantTitle', { langToggle: true });
  const main = $('#main');
  clear(main, h('p', { class: 'loading' }, t('loading')));
  const verifyNo = new URLSearchParams(location.search).get('verify');
  if (verifyNo) { await verifyView(main, verifyNo); return; }
  const fromUrl = new URLSearchParams(location.search).get('matter');
  const draft = loadDraft();
  const want = fromUrl ?? draft?.matterId ?? null;
  S = {
    engine: null, checker: null, matters: [], matterId: '', def: null, kind: 'enterprise_legal_person', values: {}, materials: {},
    files: {}, pledgeSigned: false, verdict: null, verdictJson: null, touched: new Set(), showAll: false,
    server: null, submitting: false, started: false, picking: false, restored: false, idemKey: '',
    fileObjs: {}, uploads: {}, draft: null, app: null, appDoc: null, registerError: null,
  };
  onLangChange(() => { renderHeader(header, 'applicantTitle', { langToggle: true }); renderAll(); });
  const engineArrives = loadEngine(want);
  // A matter in the URL (or a draft): its questions from the server while the engine loads.
  const early = want ? earlyForm(want, draft) : Promise.resolve(false);
  let engine: Engine;
  try {
    engine = await engineArrives;
  } catch (e) {
    const slot = document.getElementById('rest-slot');
    const why = engineMessage(e);
    const failed = h('div', { class: 'inset inset-bad', role: 'alert', id: 'engine-failed' }, t('engineFailed'),
      why ? h('p', { class: 'engine-error' }, why) : null);
    if (slot) slot.replaceWith(failed); else clear(main, failed);
    console.error(e);
    return;
  }
  S.engine = engine;
  S.checker = new Rechecker(engine);
  S.matters = engine.matters();
  if (await Promise.race([early, Promise.resolve(false)]) && S.def && S.matterId === want) {
    completeForm();
  } else if (want && S.matters.some((m) => m.id === want)) {
    await selectMatter(want);
    if (draft && draft.matterId === want) restoreDraft(draft);
  } else renderAll();
  document.body.dataset.ready = 'true';
}

/** The questions of a matter from `GET /v1/matters/{id}`, before the engine is there. */
async function earlyForm(id: string, draft: Draft | null): Promise<boolean> {
  try {
    const res = await fetch(`/v1/matters/${encodeURIComponent(id)}`);
    if (!res.ok) return false;
    const def = (await res.json()) as MatterDef;
    if (S.engine || !Array.isArray(def?.fields ?? []) || !Array.isArray(def?.materials)) return false;
    S.matterId = id;
    S.def = def;
    S.kind = def.applicant_kinds[0];
    if (draft && draft.matterId === id) applyDraft(draft);
    renderAll();
    document.body.dataset.early = 'true';
    return true;
  } catch {
    return false;
  }
}

/** The engine has arrived: the kinds and materials join the questions, and the checks start. */
function completeForm(): void {
  const engine = S.engine!;
  S.def = engine.matter(S.matterId);
  const m = S.def;
  if (!m.applicant_kinds.includes(S.kind)) S.kind = m.applicant_kinds[0];
  document.getElementById('kind-slot')?.replaceWith(kindSection(m));
  document.getElementById('rest-slot')?.replaceWith(...restSections(m));
  if (S.picking || !document.getElementById('matter-name')) renderMatterPick();
  runCheck();
  update();
}

async function selectMatter(id: string): Promise<void> {
  if (id && S.engine && !S.engine.has(id)) await S.engine.prepare(id); // its rules' files, verified, on first use
  flushChecks(); // a keystroke's check still waiting belongs to the form being left
  S.matterId = id;
  S.def = id && S.engine ? S.engine.matter(id) : null;
  S.kind = S.def?.applicant_kinds[0] ?? 'enterprise_legal_person';
  S.values = {}; S.materials = {}; S.files = {}; S.pledgeSigned = false;
  S.verdict = null; S.verdictJson = null; S.touched = new Set(); S.showAll = false; S.server = null;
  S.started = false; S.idemKey = ''; S.restored = false;
  S.fileObjs = {}; S.uploads = {}; S.draft = null; S.app = null; S.appDoc = null; S.registerError = null;
  S.checker?.reset();
  if (S.def) runCheck();
  renderAll();
}

/**
 * Re-checks the answers. `typed`: a keystroke into that field (the compact check first; the full
 * verdict only when its words would change); otherwise the full check.
 */
function runCheck(typed: string | null = null): void {
  const checker = S.checker;
  if (!S.def || !checker) return;
  const receivedAt = nowInChina();
  const r = checker.run({
    matterId: S.matterId, signed: S.pledgeSigned, previous: S.verdict, typed,
    build: (hidden, signed) => buildSubmission({
      kind: S.kind, channel: 'online', receivedAt, values: S.values, materials: S.materials,
      pledgeSigned: signed, hiddenFields: hidden.fields, hiddenMaterials: hidden.materials,
    }),
  });
  S.pledgeSigned = r.signed;
  S.verdict = r.verdict;
  S.verdictJson = r.json;
}

function currentSubmission() {
  const hidden = {
    fields: new Set((S.verdict?.checklist.fields ?? []).filter((f) => f.applies === false).map((f) => f.id)),
    materials: new Set((S.verdict?.checklist.materials ?? []).filter((m) => m.applies === false).map((m) => m.id)),
  };
  return buildSubmission({
    kind: S.kind, channel: 'online', receivedAt: S.verdict?.received_at ?? nowInChina(), values: S.values,
    materials: S.materials, pledgeSigned: S.pledgeSigned, hiddenFields: hidden.fields, hiddenMaterials: hidden.materials,
  });
}

function onChange(id: string | null, settled = true, keystroke = false): void {
  if (accepted()) return;
  if (id && settled) S.touched.add(id);
  S.started = true;
  // Another answer is another application body: the next submit gets a new key.
  S.server = null; S.idemKey = ''; S.app = null; S.appDoc = null; S.registerError = null;
  runCheck(keystroke ? id : null);
  update();
  saveDraft();
}

/* ---------- drafts on this device ---------- */

const DRAFT_KEY = 'qiquan.draft.v1';

interface Draft { matterId: string; kind: ApplicantKind; values: Record<string, Value>; pledgeSigned: boolean }

function loadDraft(): Draft | null {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as Draft | null;
    return d && typeof d.matterId === 'string' && d.values && typeof d.values === 'object' ? d : null;
  } catch { return null; }
}

let draftTimer = 0;
/** Kept on this device only (no files), a moment after the last change. */
function saveDraft(): void {
  window.clearTimeout(draftTimer);
  draftTimer = window.setTimeout(() => {
    try {
      if (!S.def || accepted() || !S.started) return;
      const d: Draft = { matterId: S.matterId, kind: S.kind, values: S.values, pledgeSigned: S.pledgeSigned };
      localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    } catch { /* private mode or full: nothing kept */ }
  }, 250);
}

function forgetDraft(): void {
  window.clearTimeout(draftTimer);
  try { localStorage.removeItem(DRAFT_KEY); } catch { /* ignore */ }
}

function restoreDraft(d: Draft): void {
  applyDraft(d);
  runCheck();
  renderAll();
}

function applyDraft(d: Draft): void {
  if (S.def?.applicant_kinds.includes(d.kind)) S.kind = d.kind;
  S.values = { ...d.values };
  S.pledgeSigned = d.pledgeSigned === true;
  S.started = Object.keys(S.values).length > 0;
  for (const id of Object.keys(S.values)) S.touched.add(id);
  S.restored = S.started;
}

/** "Clear my data": the draft, the answers on the page and the language choice. */
async function clearMyData(): Promise<void> {
  forgetDraft();
  try { localStorage.removeItem('qiquan.lang'); } catch { /* ignore */ }
  const id = S.matterId;
  await selectMatter(id);
  const note = document.getElementById('draft-status');
  if (note) note.textContent = t('dataCleared');
}

/* ---------- rendering ---------- */

function renderAll(): void {
  const main = $('#main');
  const m = S.def;
  clear(main,
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title' }, t('applicantTitle')),
      h('p', { class: 'lead' }, t('applicantLead'))),
    h('div', { class: 'error-summary', id: 'error-summary', tabindex: '-1', hidden: true }),
    h('div', { class: 'layout' },
      h('div', { class: 'layout-main' },
        h('section', { class: 'section', 'aria-labelledby': 'matter-h', id: 'matter-section' },
          h('h2', { class: 'section-title', id: 'matter-h' }, t('matter')),
          h('div', { id: 'matter-pick' })),
        m ? renderForm(m) : null),
      m ? h('aside', { class: 'layout-side', 'aria-label': t('result') },
        h('div', { class: 'sticky' },
          // Compact, and in view: sticky beside the form on a desktop, a bar at the bottom on a phone.
          h('div', { id: 'outcome', class: 'result-bar' }),
          h('button', {
            type: 'button', class: 'button button-secondary', id: 'show-all', hidden: true,
            onclick: () => { S.showAll = true; update(); $('#error-summary').focus(); },
          }),
          h('div', { class: 'panel', id: 'dates' }))) : null));
  renderMatterPick();
  update();
}

/** The chosen matter in one line with "更换事项", or the finder when none is chosen yet. */
function renderMatterPick(): void {
  const el = $('#matter-pick');
  if (S.def && !S.picking) {
    clear(el,
      h('div', { class: 'matter-chosen' },
        h('p', { class: 'matter-chosen-name', id: 'matter-name' }, tx(S.def.name)),
        h('button', {
          type: 'button', class: 'button button-secondary', id: 'change-matter',
          onclick: () => { S.picking = true; renderMatterPick(); $('#matter-search').focus(); },
        }, t('changeMatter'))),
      h('details', { class: 'matter-details' }, h('summary', null, t('aboutMatter')), matterIntro(S.def)));
    return;
  }
  clear(el,
    renderFinder({ matters: S.matters, current: S.matterId, keywords: materialWords, prepare: () => S.engine!.prepareAll(), onPick: askToSwitch }),
    h('div', { id: 'switch-confirm', class: 'inset inset-warn', role: 'alert', hidden: true }),
    S.def ? h('button', {
      type: 'button', class: 'button button-link', id: 'keep-matter',
      onclick: () => { S.picking = false; renderMatterPick(); },
    }, t('keepMatter')) : null);
}

/** Material names of a matter, so "营业执照" finds the matters that ask for one. */
function materialWords(id: string): string {
  try {
    const def = S.engine!.matter(id);
    return def.materials.map((x) => `${x.name.zh} ${x.name.en}`).join(' ');
  } catch { return ''; }
}

/** Switching matter discards the answers: ask first when there are any. */
function askToSwitch(id: string): void {
  if (id === S.matterId) { S.picking = false; renderMatterPick(); return; }
  if (!S.started || accepted()) { pick(id); return; }
  const box = $('#switch-confirm');
  box.hidden = false;
  clear(box,
    h('p', null, t('switchConfirm')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button button-warning', id: 'switch-yes', onclick: () => pick(id) }, t('switchYes')),
      h('button', { type: 'button', class: 'button button-secondary', id: 'switch-no', onclick: () => { box.hidden = true; clear(box); } }, t('switchNo'))));
  $('#switch-yes').focus();
}

async function pick(id: string): Promise<void> {
  S.picking = false;
  const url = new URL(location.href);
  url.searchParams.set('matter', id);
  history.replaceState(null, '', url);
  await selectMatter(id);
  $('#kind-h').scrollIntoView({ block: 'start' });
}

/**
 * The form. Before the engine has arrived (a matter in the URL, read from the server) only the
 * questions are there, so the person can start typing; the applicant kinds (whose labels come
 * from the engine) and the materials (whose requirements do) join when the engine does, without
 * rebuilding the questions (focus and caret stay where they are).
 */
function renderForm(m: MatterDef): HTMLElement[] {
  return [
    draftNote(),
    S.engine ? kindSection(m) : h('div', { id: 'kind-slot' }),
    fieldsSection(m),
    ...(S.engine ? restSections(m) : [h('p', { class: 'loading', id: 'rest-slot' }, t('loading'))]),
  ];
}

function draftNote(): HTMLElement {
  return h('div', { class: 'draft-note', id: 'draft-note' },
      h('p', { class: 'hint', id: 'draft-status', role: 'status' }, S.restored ? t('draftRestored') : ''),
      h('p', { class: 'hint' }, t('draftSaved')),
      h('button', { type: 'button', class: 'button button-link', id: 'clear-data', onclick: clearMyData }, t('clearData')));
}

function kindSection(m: MatterDef): HTMLElement {
  const kinds = m.applicant_kinds;
  return h('section', { class: 'section', 'aria-labelledby': 'kind-h' },
      h('h2', { class: 'section-title', id: 'kind-h' }, t('applicantKind')),
      h('fieldset', { class: 'fieldset' },
        h('legend', { class: 'visually-hidden' }, t('applicantKind')),
        h('div', { class: 'radios radios-inline' }, kinds.map((k, i) => {
          const rid = i === 0 ? 'applicant-kind' : `applicant-kind-${k}`;
          return h('div', { class: 'radio' },
            h('input', {
              type: 'radio', name: 'applicant-kind', id: rid, value: k, checked: S.kind === k,
              onchange: () => { S.kind = k; onChange(null); },
            }),
            h('label', { for: rid }, tx(engineLabels().applicant_kinds[k])));
        }))));
}

function fieldsSection(m: MatterDef): HTMLElement {
  return h('section', { class: 'section', 'aria-labelledby': 'fields-h' },
    h('h2', { class: 'section-title', id: 'fields-h' }, t('formInfo')),
    (m.fields ?? []).map((f) => renderField(f, { values: S.values, onChange })));
}

function restSections(m: MatterDef): HTMLElement[] {
  return [
    h('section', { class: 'section', 'aria-labelledby': 'materials-h' },
      h('h2', { class: 'section-title', id: 'materials-h' }, t('materials')),
      h('p', { class: 'hint' }, t('materialsLead')),
      h('ul', { class: 'materials' }, m.materials.map((x) => {
        const inputId = `m-${x.id}`;
        const fileName = S.files[x.id];
        return h('li', { class: 'material', id: `mg-${x.id}`, 'data-material': x.id },
          h('div', { class: 'material-head' },
            h('label', { class: 'material-name', for: inputId }, tx(x.name)), materialTags(x)),
          materialDetails(x),
          x.form && x.form !== 'copy'
            ? h('p', { class: 'hint upload-original', 'data-upload-original': '' }, tx(engineLabels().upload_original))
            : null,
          h('p', { class: 'field-error', id: `me-${x.id}`, hidden: true }),
          h('div', { class: 'upload' },
            h('input', {
              type: 'file', id: inputId, class: 'file-input visually-hidden-focusable', 'aria-describedby': `me-${x.id} ms-${x.id}`,
              'aria-label': `${t('chooseFile')}：${tx(x.name)}`,
              onchange: (e: Event) => {
                const input = e.target as HTMLInputElement;
                const f = input.files?.[0];
                if (f) {
                  S.files[x.id] = f.name; S.fileObjs[x.id] = f; delete S.uploads[x.id];
                  S.materials[x.id] = { status: 'provided', medium: 'electronic' };
                }
                onChange(`m:${x.id}`);
                renderUploadState(x.id);
              },
            }),
            h('label', { class: 'button button-secondary button-upload', for: inputId, 'aria-hidden': 'true' }, t('chooseFile')),
            h('span', { class: 'upload-state', id: `ms-${x.id}` }, fileName ? `${t('provided')}：${fileName}` : t('notProvided')),
            h('button', {
              type: 'button', class: 'button button-link', id: `mr-${x.id}`, hidden: !fileName,
              onclick: () => {
                delete S.files[x.id]; delete S.materials[x.id]; delete S.fileObjs[x.id]; delete S.uploads[x.id];
                ($(`#${inputId}`) as HTMLInputElement).value = '';
                onChange(`m:${x.id}`); renderUploadState(x.id);
              },
            }, t('removeFile'))),
          x.commitment ? commitmentChoice(x.id, x.commitment.terms) : null);
      }))),
    h('section', { class: 'panel panel-pledge', id: 'pledge-panel', tabindex: '-1', hidden: true }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button', id: 'submit', onclick: submit }, t('submit')),
      ' ',
      h('button', { type: 'button', class: 'button button-secondary', id: 'handover-get', onclick: getHandover }, t('handoverGet'))),
    h('section', { class: 'panel', id: 'handover', hidden: true, 'aria-live': 'polite', tabindex: '-1' }),
    h('section', { class: 'section', id: 'server-result', 'aria-live': 'polite', tabindex: '-1' }),
  ];
}

// 告知承诺 (format 2): the applicant may commit instead of uploading the proof.

function commitmentChoice(id: string, terms: { zh: string; en: string }): HTMLElement {
  const boxId = `mc-${id}`;
  return h('div', { class: 'checkbox commitment' },
    h('input', {
      type: 'checkbox', id: boxId, checked: S.materials[id]?.status === 'committed',
      onchange: (e: Event) => {
        if ((e.target as HTMLInputElement).checked) { delete S.files[id]; delete S.fileObjs[id]; delete S.uploads[id]; S.materials[id] = { status: 'committed' }; }
        else delete S.materials[id];
        onChange(`m:${id}`);
        renderUploadState(id);
      },
    }),
    h('label', { for: boxId }, tx(engineLabels().window.commit_instead), tx(terms)));
}

function uploadText(id: string): string {
  const name = S.files[id];
  if (!name) return t('notProvided');
  const u = S.uploads[id];
  if (!u) return `${t('provided')}：${name}`;
  if (u.state === 'done') return t('uploaded', { name });
  if (u.state === 'uploading') {
    return t('uploading', { pct: u.pct }) + (u.attempt > 1 ? t('retrying', { n: u.attempt }) : '');
  }
  return t('uploadFailed', { why: u.message ? tx(u.message) : t('unreachable') });
}

function renderUploadState(id: string): void {
  const el = document.getElementById(`ms-${id}`);
  if (!el) return;
  el.textContent = uploadText(id);
  el.dataset.upload = S.uploads[id]?.state ?? '';
  $(`#mr-${id}`).hidden = !S.files[id];
  const committed = document.getElementById(`mc-${id}`) as HTMLInputElement | null;
  if (committed) committed.checked = S.materials[id]?.status === 'committed';
}

/** Stores this pre-check under a short code for the window (the kiosk offers the same). */
async function getHandover(): Promise<void> {
  const box = document.getElementById('handover');
  if (!box || !S.def) return;
  box.hidden = false;
  const title = h('h2', { class: 'panel-title' }, t('handoverTitle'));
  const { received_at: _clientClock, ...submission } = currentSubmission();
  try {
    const r = await fetch('/v1/handover', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ matter: S.matterId, submission }),
    });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const answer = await r.json();
    const code = String(answer.code ?? '');
    clear(box, title,
      h('p', { class: 'handover-code', id: 'handover-code' }, code),
      h('img', { class: 'handover-qr', src: `/v1/handover/${encodeURIComponent(code)}/qr.svg`, alt: `${t('handoverQr')} ${code}`, width: '160', height: '160' }),
      h('p', null, t('handoverHintOnline', { hours: Number(answer.valid_hours) })));
  } catch (e) {
    console.warn('hand-over', e);
    clear(box, title, h('p', { class: 'inset inset-bad', role: 'alert' }, t('handoverFailedOnline')));
  }
  box.focus?.();
}

/**
 * Records the application in the case register: a draft under this body's Idempotency-Key, each
 * chosen file uploaded (progress, retries), then the server's decision from what it received.
 */
async function registerApplication(): Promise<void> {
  // Without the page's clock: the server uses its own, and the same answers must give the same
  // body (and so the same Idempotency-Key) when 提交 is tapped again.
  const { received_at: _clientClock, ...submission } = currentSubmission();
  const body = JSON.stringify({ matter: S.matterId, submission, draft: true });
  const files = Object.entries(S.fileObjs).filter(([id]) => submission.materials?.[id]);
  const fingerprint = body + files.map(([id, f]) => `|${id}:${f.name}:${f.size}:${f.lastModified}`).join('');
  if (S.draft?.fingerprint !== fingerprint) { S.draft = { fingerprint, key: newKey() }; S.uploads = {}; }
  S.app = null; S.appDoc = null; S.registerError = null;
  try {
    const draft = await createApplication(body, S.draft.key);
    let all = true;
    for (const [id, file] of files) {
      if (S.uploads[id]?.state === 'done') continue;
      all = (await uploadWithRetry(draft.id, id, file, (st) => { S.uploads[id] = st; renderUploadState(id); })) && all;
    }
    if (!all) { S.registerError = t('filesMissing'); return; }
    S.app = draft.status === 'decided' ? draft : await submitDraft(draft.id);
    // The printed receipt carries the 文号: the recorded decision with its notice numbered.
    if (S.app.number && S.app.receipt) S.appDoc = await numberedVerdict(S.app.id).catch(() => null);
  } catch (e) {
    console.warn('register', e);
    S.registerError = e instanceof RegisterFailure && e.text ? tx(e.text) : t('unreachable');
  }
}

function update(): void {
  const v = S.server?.verdict ?? S.verdict;
  const summary = document.getElementById('error-summary');
  if (!S.def || !v) {
    if (summary) summary.hidden = true;
    const out = document.getElementById('outcome');
    if (out && S.def) renderOutcome(out, null); // the questions are there; the checks come with the engine
    return;
  }
  const main = $('#main');
  const done = accepted();
  const blank = !S.started && !S.server;
  // Like GOV.UK: a problem is shown once the person has answered that question (or submitted);
  // nothing is shown as a problem once the application has been accepted.
  const shown = (f: Finding) => !done && (S.showAll || f.target.kind === 'applicant' ||
    S.touched.has(f.target.id) || S.touched.has(`m:${f.target.id}`));
  main.classList.toggle('is-accepted', done);
  applyChecklist(main, v, shown);
  showNormalised(main, v);
  renderErrorSummary($('#error-summary'), v, { show: shown });
  renderOutcome($('#outcome'), blank ? null : v, S.server ? 'serverResult' : 'outcomeNow');
  main.dataset.rulesRevision = v.rules_revision ?? ''; // the signed bundle every verdict names
  renderProgress(v);
  const pending = done ? 0 : v.findings.filter((f) => !shown(f)).length;
  const more = $('#show-all');
  more.hidden = pending === 0 || blank;
  setText(more, t('showAllProblems', { n: pending }));
  renderDates($('#dates'), v, { heading: v.deadlines.basis === 'accepted' ? 'datesOfCase' : 'datesIfToday' });
  renderPledge($('#pledge-panel'), v, S.pledgeSigned, S.server ? null : (signed) => {
    S.pledgeSigned = signed;
    onChange(null);
  });
  if (done) $('#pledge-panel').hidden = true;
  lockForm(done);
  renderServer();
}

/** "已完成 3 / 12 项": the applicable fields answered well and materials provided, per the verdict. */
function renderProgress(v: Verdict): void {
  const fields = v.checklist.fields.filter((f) => f.applies === true && (f.required || S.values[f.id] !== undefined));
  const mats = v.checklist.materials.filter((m) => m.applies === true);
  const total = fields.length + mats.length;
  const done = fields.filter((f) => f.ok && S.values[f.id] !== undefined).length +
    mats.filter((m) => m.ok && m.status === 'provided').length;
  const box = $('#outcome');
  let p = box.querySelector<HTMLElement>('.progress');
  if (!p) {
    p = h('div', { class: 'progress', id: 'progress' },
      h('progress', { max: '1', value: '0', 'aria-labelledby': 'progress-text' }),
      h('span', { id: 'progress-text' }));
    box.append(p);
  }
  const bar = p.querySelector('progress')!;
  if (bar.max !== Math.max(total, 1)) bar.max = Math.max(total, 1);
  if (bar.value !== done) bar.value = done;
  setText(p.querySelector<HTMLElement>('#progress-text')!, t('progress', { done, total }));
}

/** After acceptance the answers are the case's: inputs and 提交 are disabled (matter list stays). */
let lockedAs: string | null = null;

function lockForm(done: boolean): void {
  const state = `${done}|${S.submitting}|${getLang()}|${S.matterId}`;
  if (lockedAs === state && document.getElementById('submit')?.dataset.locked === state) return;
  lockedAs = state;
  const main = $('#main');
  main.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>(
    '.layout-main input, .layout-main select, .layout-main button',
  ).forEach((el) => {
    if (el.id === 'matter-select' || el.closest('#server-result')) return;
    el.disabled = done;
  });
  const submitBtn = document.getElementById('submit') as HTMLButtonElement | null;
  if (submitBtn) {
    submitBtn.disabled = done || S.submitting;
    submitBtn.dataset.locked = state;
    setText(submitBtn, done ? t('submitted') : t('submit'));
  }
}

/* ---------- submit: the server re-checks and its verdict wins ---------- */

async function submit(): Promise<void> {
  flushChecks();
  if (!S.def || !S.verdict || S.submitting) return;
  if (accepted()) { focusTarget('server-result'); return; }
  S.showAll = true;
  runCheck();
  update();
  const result = $('#server-result');
  S.submitting = true;
  lockForm(false);
  clear(result, h('p', { class: 'loading' }, t('submitting')));
  const clientDigest = S.engine?.verdictDigest(S.verdictJson) ?? null;
  const body: Record<string, unknown> = { submission: currentSubmission(), client_received_at: S.verdict.received_at };
  if (clientDigest) body.client_verdict_digest = clientDigest;
  if (!S.idemKey) S.idemKey = newKey();
  try {
    const res = await fetch(`/v1/matters/${encodeURIComponent(S.matterId)}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': S.idemKey },
      body: JSON.stringify(body),
    });
    const data = await res.json();
    if (!res.ok || !data?.verdict) throw new Error(data?.error?.message?.en ?? `HTTP ${res.status}`);
    S.server = data as ServerCheckResponse;
    await registerApplication();
  } catch (e) {
    console.error(e);
    S.server = null;
    S.submitting = false;
    lockForm(false);
    clear(result, h('div', { class: 'inset inset-bad', role: 'alert', id: 'submit-error' }, t('submitFailed')));
    return;
  }
  S.submitting = false;
  if (accepted()) forgetDraft();
  update();
  focusTarget('server-result');
}

function renderServer(): void {
  const el = document.getElementById('server-result');
  if (!el) return;
  const r = S.server;
  if (!r) { if (!S.submitting) clear(el); return; }
  const local = S.verdict;
  // The recorded decision (from the files the server received) is the one that counts.
  const v = serverVerdict() ?? r.verdict;
  const disagrees = r.digest_match === false || (local !== null && local.outcome !== v.outcome);
  const agreement = h('div', {
    class: `inset ${disagrees ? 'inset-warn' : 'inset-ok'}`, id: 'server-agreement',
    'data-agrees': String(!disagrees),
  }, disagrees ? t('serverDisagrees') : t('serverAgrees'));
  const receipt = currentReceipt();
  if (accepted() && receipt) {
    clear(el, successPanel(v, receipt), disagrees ? agreement : null);
    return;
  }
  clear(el,
    h('h2', { class: 'section-title' }, t('resultNotAccepted')),
    agreement,
    h('div', { id: 'server-outcome' }),
    S.app?.number
      ? h('p', { class: 'inset', id: 'registered', 'data-number': S.app.number }, t('registered', { number: S.app.number }))
      : null,
    S.registerError
      ? h('div', { class: 'inset inset-bad', role: 'alert', id: 'register-error' }, t('registerFailed', { why: S.registerError }))
      : h('div', { class: 'panel', id: 'no-receipt' },
          h('p', null, t('noReceipt')),
          h('h3', { class: 'panel-title' }, tx(v.notice.title)),
          h('div', { id: 'server-findings' })));
  renderOutcome($('#server-outcome', el), v, 'serverResult');
  const f = el.querySelector<HTMLElement>('#server-findings');
  if (f) renderFindingsList(f, v);
}

/** 受理 / 容缺受理: the case number, what is still owed and by when, and what happens next. */
function successPanel(v: Verdict, rc: Receipt): HTMLElement {
  const fact = (k: FactKey) => tx(engineLabels().facts[k]);
  // The register's 文号 when it recorded the application; else the notice's, once numbered.
  const caseNo = S.app?.number ?? (v.notice.number.sequence != null ? rc.document_number : null);
  const owed = v.outcome === 'accept_with_pledge' ? v.pledge.items : [];
  return h('div', { class: 'success-panel', id: 'success', 'data-outcome': v.outcome },
    h('h2', { class: 'success-title', id: 'success-title' }, t('acceptedTitle')),
    h('p', { class: 'success-outcome' }, tx(v.outcome_label)),
    h('dl', { class: 'summary-list', id: 'receipt' },
      // The 文号 once the register has numbered it (a blank sequence is no number yet).
      caseNo ? row(t('caseNumber'), caseNo, 'document_number') : null,
      row(t('receiptNo'), rc.receipt_no, 'receipt_no'),
      row(t('receiptDocument'), rc.document_title, 'document_title'),
      row(t('receiptOffice'), rc.office, 'office'),
      row(fact('accepted_on'), fmtDate(rc.accepted_on), 'accepted_on'),
      rc.promised_due ? row(fact('promised_due'), fmtDate(rc.promised_due), 'promised_due') : null,
      rc.statutory_due ? row(fact('statutory_due'), fmtDate(rc.statutory_due), 'statutory_due') : null,
      rc.pledge_due ? row(fact('pledge_due'), fmtDate(rc.pledge_due), 'pledge_due') : null,
      row(t('issuedAt'), fmtDateTime(rc.issued_at), 'issued_at'),
      row(t('verifyCode'), verifyCode(rc), 'verify_code'),
      h('div', { class: 'summary-row', 'data-receipt': 'verify_url' },
        h('dt', null, t('verifyLink')), h('dd', { class: 'wrap' }, h('a', { href: verifyUrl(rc) }, verifyUrl(rc))))),
    owed.length
      ? h('section', { class: 'owed', id: 'still-owed' },
          h('h3', { class: 'panel-title' }, t('stillOwed')),
          h('table', { class: 'table' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('pledgeItem')), h('th', { scope: 'col' }, t('pledgeItemDue')))),
            h('tbody', null, owed.map((i) => h('tr', { 'data-owed': i.material },
              h('td', null, tx(i.name)), h('td', { class: 'nowrap' }, fmtDate(i.due)))))))
      : null,
    h('section', { class: 'next-steps', id: 'next-steps' },
      h('h3', { class: 'panel-title' }, t('nextSteps')),
      h('p', null, tx(v.notice.opening)),
      h('p', null, tx(v.notice.closing)),
      v.notice.notes.map((n) => h('p', { class: 'hint' }, tx(n)))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button', id: 'print-receipt', onclick: () => printReceipt($('#print-root'), S.appDoc ?? v, [
        { key: 'receipt_no', caption: t('receiptNo'), value: rc.receipt_no },
        { key: 'verify_code', caption: t('verifyCode'), value: verifyCode(rc) },
        { key: 'verify_url', caption: t('verifyLink'), value: verifyUrl(rc) },
      ]) }, t('printReceipt')),
      h('button', { type: 'button', class: 'button button-secondary', id: 'verify-receipt', onclick: () => verify(rc) }, t('verifyReceipt'))),
    h('p', { id: 'verify-result', role: 'status' }));
}

/** The address that verifies a receipt by its number (printed on it, and shown after 提交). */
function verifyUrl(rc: Receipt): string {
  return `${location.origin}/?verify=${encodeURIComponent(rc.receipt_no)}`;
}

/**
 * `/?verify=NUMBER`: asks the case register for the receipt with this number
 * (`GET /v1/receipts/{number}`, which checks its signature) and says what it found.
 */
async function verifyView(main: HTMLElement, no: string): Promise<void> {
  const out = h('div', { id: 'verify-view', role: 'status' }, h('p', { class: 'loading' }, t('verifying')));
  clear(main, h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('verifyTitle'))),
    h('p', { class: 'lead' }, `${t('receiptNo')}：${no}`), out);
  document.body.dataset.ready = 'true';
  let body: { valid?: boolean | null; matter?: string; issued_at?: string; error?: { message?: Text } } | null = null;
  try {
    const res = await fetch(`/v1/receipts/${encodeURIComponent(no)}`);
    body = await res.json().catch(() => null);
  } catch { body = null; }
  const valid = body?.valid === true;
  out.dataset.valid = String(valid);
  clear(out, h('div', { class: `inset ${valid ? 'inset-ok' : 'inset-bad'}` },
    valid ? t('verifyOk') : body?.error?.message ? tx(body.error.message) : t('verifyUnavailable')),
  valid && body?.issued_at ? h('p', null, `${t('issuedAt')}：${fmtDateTime(body.issued_at)}`) : null);
}

/** A short code to read out or compare (the start of the signature), not 128 hex digits. */
function verifyCode(rc: Receipt): string {
  const sig = rc.signature.replace(/[^0-9a-f]/gi, '').slice(0, 16).toUpperCase();
  return sig.match(/.{1,4}/g)?.join('-') ?? '';
}

async function verify(rc: Receipt): Promise<void> {
  const out = $('#verify-result');
  try {
    const res = await fetch('/v1/receipts/verify', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ receipt: rc }),
    });
    const data = await res.json();
    out.dataset.valid = String(data?.valid === true);
    setText(out, data?.valid === true ? t('verifyOk') : (data?.message ? tx(data.message) : t('verifyBad')));
  } catch (e) {
    console.error(e);
    out.dataset.valid = 'false';
    setText(out, t('submitFailed'));
  }
}

function row(caption: string, val: string, key: string): HTMLElement {
  return h('div', { class: 'summary-row', 'data-receipt': key }, h('dt', null, caption), h('dd', { class: key === 'verify_code' ? 'mono' : null }, val));
}

main();
