// Applicant page (online application). Renders the matter from matter(id) and the engine's verdict.
import './styles.css';
import './upload.css';
import { h, clear, $ } from './dom';
import { loadEngine, nowInChina, type Engine } from './engine';
import { initLang, onLangChange, t, tx, engineLabels, fmtDate, fmtDateTime } from './i18n';
import {
  renderHeader, renderField, materialTags, materialDetails, buildSubmission, checkStable,
  applyChecklist, renderErrorSummary, renderOutcome, renderDates, renderPledge, renderFindingsList,
  matterIntro, focusTarget, type Value,
} from './ui';
import type { Finding, ApplicantKind, MaterialSubmission, MatterDef, MatterSummary, ServerCheckResponse, Text, Verdict } from './types';
import { createApplication, submitDraft, uploadWithRetry, newKey, RegisterFailure, type Application, type UploadState } from './register';

/** The upload and registration words (kept beside the code that uses them). */
const UP = {
  uploading: { zh: '正在上传 {pct}%', en: 'Uploading {pct}%' },
  retrying: { zh: '（第 {n} 次尝试）', en: ' (attempt {n})' },
  uploaded: { zh: '已上传到服务器：{name}', en: 'Uploaded to the server: {name}' },
  uploadFailed: { zh: '上传失败：{why}', en: 'Upload failed: {why}' },
  unreachable: { zh: '无法连接服务器', en: 'the server could not be reached' },
  handoverGet: { zh: '改到窗口办理：获取交接码', en: 'Continue at the window: get a hand-over code' },
  handoverTitle: { zh: '窗口交接码', en: 'Hand-over code' },
  handoverHint: {
    zh: '到政务服务中心窗口出示此交接码（或二维码），工作人员据此调出您在这里填写的内容，无需重填；材料原件请随身携带。72 小时内有效。',
    en: 'Show this code (or the QR code) at the service centre’s window: the clerk loads what you entered here, so nothing is typed again. Bring the original materials. Valid for 72 hours.',
  },
  handoverQr: { zh: '交接码二维码', en: 'Hand-over QR code' },
  handoverFailed: { zh: '暂时无法生成交接码，请稍后重试。', en: 'No hand-over code just now; please try again later.' },
  filesMissing: { zh: '有材料文件未能上传，见上方各项材料', en: 'some files could not be uploaded; see the materials above' },
  registered: { zh: '申请已登记，文号：{number}', en: 'Application recorded, number {number}' },
  registerFailed: {
    zh: '服务器已复核，但申请未能登记（{why}），因此没有回执。请稍后重新提交；已上传的文件不必重传。',
    en: 'The server re-checked, but the application could not be recorded ({why}), so there is no receipt. Submit again later; files already uploaded are not sent again.',
  },
};
const say = (text: Text, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), tx(text));

interface State {
  engine: Engine;
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
  /** The chosen files themselves, uploaded on submit. */
  fileObjs: Record<string, File>;
  uploads: Record<string, UploadState>;
  /** The Idempotency-Key of the application body last sent (a retry reuses it). */
  draft: { fingerprint: string; key: string } | null;
  /** The application the register recorded, with its decision and receipt. */
  app: Application | null;
  registerError: string | null;
}

let S: State;

async function main(): Promise<void> {
  initLang(true);
  const header = $('#site-header');
  renderHeader(header, 'applicantTitle', { langToggle: true });
  const main = $('#main');
  clear(main, h('p', { class: 'loading' }, t('loading')));
  let engine: Engine;
  try {
    engine = await loadEngine();
  } catch (e) {
    clear(main, h('div', { class: 'inset inset-bad', role: 'alert' }, t('engineFailed')));
    console.error(e);
    return;
  }
  const matters = engine.matters();
  const fromUrl = new URLSearchParams(location.search).get('matter');
  S = {
    engine, matters, matterId: '', def: null, kind: 'enterprise_legal_person', values: {}, materials: {},
    files: {}, pledgeSigned: false, verdict: null, verdictJson: null, touched: new Set(), showAll: false,
    server: null, submitting: false, fileObjs: {}, uploads: {}, draft: null, app: null, registerError: null,
  };
  onLangChange(() => { renderHeader(header, 'applicantTitle', { langToggle: true }); renderAll(); });
  if (fromUrl && matters.some((m) => m.id === fromUrl)) selectMatter(fromUrl);
  else renderAll();
  document.body.dataset.ready = 'true';
}

function selectMatter(id: string): void {
  S.matterId = id;
  S.def = id ? S.engine.matter(id) : null;
  S.kind = S.def?.applicant_kinds[0] ?? 'enterprise_legal_person';
  S.values = {}; S.materials = {}; S.files = {}; S.pledgeSigned = false;
  S.verdict = null; S.verdictJson = null; S.touched = new Set(); S.showAll = false; S.server = null;
  S.fileObjs = {}; S.uploads = {}; S.draft = null; S.app = null; S.registerError = null;
  if (S.def) runCheck();
  renderAll();
}

function runCheck(): void {
  if (!S.def) return;
  const receivedAt = nowInChina();
  let json: string | null = null;
  const run = (hidden: { fields: Set<string>; materials: Set<string> }, signed: boolean) => {
    const r = S.engine.check(S.matterId, buildSubmission({
      kind: S.kind, channel: 'online', receivedAt, values: S.values, materials: S.materials,
      pledgeSigned: signed, hiddenFields: hidden.fields, hiddenMaterials: hidden.materials,
    }));
    json = r.json;
    return r.verdict;
  };
  let v = checkStable((hidden) => run(hidden, S.pledgeSigned), S.verdict);
  if (S.pledgeSigned && !v.pledge.would_accept) {
    // The offer is gone (something else changed): the signature no longer applies.
    S.pledgeSigned = false;
    v = checkStable((hidden) => run(hidden, false), v);
  }
  S.verdict = v;
  S.verdictJson = json;
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

function onChange(id: string | null): void {
  if (id) S.touched.add(id);
  S.server = null;
  runCheck();
  update();
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
        h('section', { class: 'section', 'aria-labelledby': 'matter-h' },
          h('h2', { class: 'section-title', id: 'matter-h' }, t('matter')),
          h('div', { class: 'form-group' },
            h('label', { class: 'label', for: 'matter-select' }, t('chooseMatter')),
            h('select', {
              id: 'matter-select', class: 'select',
              onchange: (e: Event) => selectMatter((e.target as HTMLSelectElement).value),
            },
              h('option', { value: '' }, `— ${t('chooseMatter')} —`),
              S.matters.map((x) => h('option', { value: x.id, selected: x.id === S.matterId }, tx(x.name))))),
          m ? matterIntro(m) : null),
        m ? renderForm(m) : null),
      m ? h('aside', { class: 'layout-side', 'aria-label': t('result') },
        h('div', { class: 'sticky' },
          h('div', { id: 'outcome' }),
          h('button', {
            type: 'button', class: 'button button-secondary', id: 'show-all', hidden: true,
            onclick: () => { S.showAll = true; update(); $('#error-summary').focus(); },
          }),
          h('div', { class: 'panel', id: 'dates' }))) : null));
  update();
}

function renderForm(m: MatterDef): HTMLElement[] {
  const kinds = m.applicant_kinds;
  return [
    h('section', { class: 'section', 'aria-labelledby': 'kind-h' },
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
        })))),
    h('section', { class: 'section', 'aria-labelledby': 'fields-h' },
      h('h2', { class: 'section-title', id: 'fields-h' }, t('formInfo')),
      (m.fields ?? []).map((f) => renderField(f, { values: S.values, onChange }))),
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
      h('button', { type: 'button', class: 'button button-secondary', id: 'handover-get', onclick: getHandover }, tx(UP.handoverGet))),
    h('section', { class: 'panel', id: 'handover', hidden: true, 'aria-live': 'polite' }),
    h('section', { class: 'section', id: 'server-result', 'aria-live': 'polite' }),
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
  if (u.state === 'done') return say(UP.uploaded, { name });
  if (u.state === 'uploading') {
    return say(UP.uploading, { pct: u.pct }) + (u.attempt > 1 ? say(UP.retrying, { n: u.attempt }) : '');
  }
  return say(UP.uploadFailed, { why: u.message ? tx(u.message) : tx(UP.unreachable) });
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
  const title = h('h2', { class: 'panel-title' }, tx(UP.handoverTitle));
  const { received_at: _clientClock, ...submission } = currentSubmission();
  try {
    const r = await fetch('/v1/handover', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ matter: S.matterId, submission }),
    });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const code = String((await r.json()).code ?? '');
    clear(box, title,
      h('p', { class: 'handover-code', id: 'handover-code' }, code),
      h('img', { class: 'handover-qr', src: `/v1/handover/${encodeURIComponent(code)}/qr.svg`, alt: `${tx(UP.handoverQr)} ${code}`, width: '160', height: '160' }),
      h('p', null, tx(UP.handoverHint)));
  } catch (e) {
    console.warn('hand-over', e);
    clear(box, title, h('p', { class: 'inset inset-bad', role: 'alert' }, tx(UP.handoverFailed)));
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
  S.app = null; S.registerError = null;
  try {
    const draft = await createApplication(body, S.draft.key);
    let all = true;
    for (const [id, file] of files) {
      if (S.uploads[id]?.state === 'done') continue;
      all = (await uploadWithRetry(draft.id, id, file, (st) => { S.uploads[id] = st; renderUploadState(id); })) && all;
    }
    if (!all) { S.registerError = tx(UP.filesMissing); return; }
    S.app = draft.status === 'decided' ? draft : await submitDraft(draft.id);
  } catch (e) {
    console.warn('register', e);
    S.registerError = e instanceof RegisterFailure && e.text ? tx(e.text) : tx(UP.unreachable);
  }
}

function update(): void {
  const v = S.server?.verdict ?? S.verdict;
  const summary = document.getElementById('error-summary');
  if (!S.def || !v) { if (summary) summary.hidden = true; return; }
  const main = $('#main');
  // Like GOV.UK: a problem is shown once the person has answered that question (or submitted).
  const shown = (f: Finding) => S.showAll || f.target.kind === 'applicant' ||
    S.touched.has(f.target.id) || S.touched.has(`m:${f.target.id}`);
  applyChecklist(main, v, shown);
  renderErrorSummary($('#error-summary'), v, { show: shown });
  renderOutcome($('#outcome'), v, S.server ? 'serverResult' : 'outcomeNow');
  const pending = v.findings.filter((f) => !shown(f)).length;
  const more = $('#show-all');
  more.hidden = pending === 0;
  more.textContent = t('showAllProblems', { n: pending });
  renderDates($('#dates'), v);
  renderPledge($('#pledge-panel'), v, S.pledgeSigned, S.server ? null : (signed) => {
    S.pledgeSigned = signed;
    onChange(null);
  });
  renderServer();
}

/* ---------- submit: the server re-checks and its verdict wins ---------- */

async function submit(): Promise<void> {
  if (!S.def || !S.verdict || S.submitting) return;
  S.showAll = true;
  runCheck();
  update();
  const result = $('#server-result');
  S.submitting = true;
  clear(result, h('p', { class: 'loading' }, t('submitting')));
  const clientDigest = S.engine.verdictDigest(S.verdictJson);
  const body: Record<string, unknown> = { submission: currentSubmission(), client_received_at: S.verdict.received_at };
  if (clientDigest) body.client_verdict_digest = clientDigest;
  try {
    const res = await fetch(`/v1/matters/${encodeURIComponent(S.matterId)}/check`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const data = await res.json();
    if (!res.ok || !data?.verdict) throw new Error(data?.error?.message?.en ?? `HTTP ${res.status}`);
    S.server = data as ServerCheckResponse;
    await registerApplication();
  } catch (e) {
    console.error(e);
    S.server = null;
    clear(result, h('div', { class: 'inset inset-bad', role: 'alert', id: 'submit-error' }, t('submitFailed')));
    S.submitting = false;
    return;
  }
  S.submitting = false;
  update();
  result.focus();
  focusTarget('server-result');
}

function renderServer(): void {
  const el = document.getElementById('server-result');
  if (!el) return;
  const r = S.server;
  if (!r) { clear(el); return; }
  const local = S.verdict;
  const app = S.app;
  // The recorded decision (from the files the server received) is the one that counts.
  const v = app?.verdict ?? r.verdict;
  const disagrees = r.digest_match === false || (local !== null && local.outcome !== v.outcome);
  const receipt = app?.receipt ?? null;
  el.tabIndex = -1;
  clear(el,
    h('h2', { class: 'section-title' }, t('serverResult')),
    h('div', {
      class: `inset ${disagrees ? 'inset-warn' : 'inset-ok'}`, id: 'server-agreement',
      'data-agrees': String(!disagrees),
    }, disagrees ? t('serverDisagrees') : t('serverAgrees')),
    h('div', { id: 'server-outcome' }),
    app?.number
      ? h('p', { class: 'inset inset-ok', id: 'registered', 'data-number': app.number }, say(UP.registered, { number: app.number }))
      : null,
    S.registerError
      ? h('div', { class: 'inset inset-bad', role: 'alert', id: 'register-error' }, say(UP.registerFailed, { why: S.registerError }))
      : null,
    receipt
      ? h('div', { class: 'panel', id: 'receipt' },
          h('h3', { class: 'panel-title' }, t('receipt')),
          h('dl', { class: 'summary-list' },
            row('receiptNo', receipt.receipt_no, 'receipt_no'),
            row('receiptDocument', `${receipt.document_title} ${receipt.document_number}`, 'document_number'),
            row('receiptOffice', receipt.office, 'office'),
            row('acceptedOn', fmtDate(receipt.accepted_on), 'accepted_on'),
            receipt.promised_due ? row('promisedDue', fmtDate(receipt.promised_due), 'promised_due') : null,
            receipt.statutory_due ? row('statutoryDue', fmtDate(receipt.statutory_due), 'statutory_due') : null,
            receipt.pledge_due ? row('pledgeDue', fmtDate(receipt.pledge_due), 'pledge_due') : null,
            row('issuedAt', fmtDateTime(receipt.issued_at), 'issued_at'),
            row('keyId', receipt.key_id, 'key_id'),
            row('signature', receipt.signature, 'signature')))
      : S.registerError ? null
      : h('div', { class: 'panel', id: 'no-receipt' },
          h('p', null, t('noReceipt')),
          h('h3', { class: 'panel-title' }, tx(v.notice.title)),
          h('div', { id: 'server-findings' })));
  renderOutcome($('#server-outcome', el), v, 'serverResult');
  const f = el.querySelector<HTMLElement>('#server-findings');
  if (f) renderFindingsList(f, v);
}

function row(k: Parameters<typeof t>[0], val: string, key: string): HTMLElement {
  return h('div', { class: 'summary-row', 'data-receipt': key }, h('dt', null, t(k)), h('dd', { class: key === 'signature' ? 'mono wrap' : null }, val));
}

main();
