// 提交: the server re-checks and its verdict wins; the register records the application with the
// files it received. After acceptance the form is locked.
import { h, clear, $ } from '../dom';
import { t, tx, getLang } from '../i18n';
import { focusTarget, setText, flushChecks } from '../ui';
import { createApplication, submitDraft, numberedVerdict, newKey, RegisterFailure } from '../register';
import type { ServerCheckResponse } from '../types';
import { S, accepted, currentSubmission, runCheck } from './state';
import { forgetDraft } from './drafts';
import { uploadFiles } from './uploads';

export async function submit(update: () => void): Promise<void> {
  flushChecks();
  if (!S.def || !S.verdict || S.submitting) return;
  if (accepted()) {
    focusTarget('server-result');
    return;
  }
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
  if (S.draft?.fingerprint !== fingerprint) {
    S.draft = { fingerprint, key: newKey() };
    S.uploads = {};
  }
  S.app = null;
  S.appDoc = null;
  S.registerError = null;
  S.registerCode = null;
  try {
    const draft = await createApplication(body, S.draft.key);
    const all = await uploadFiles(draft.id, files);
    if (!all) {
      S.registerError = t('filesMissing');
      return;
    }
    S.app = draft.status === 'decided' ? draft : await submitDraft(draft.id);
    // The printed receipt carries the 文号: the recorded decision with its notice numbered.
    if (S.app.number && S.app.receipt) S.appDoc = await numberedVerdict(S.app.id).catch(() => null);
  } catch (e) {
    console.warn('register', e);
    S.registerError = e instanceof RegisterFailure && e.text ? tx(e.text) : t('unreachable');
    S.registerCode = e instanceof RegisterFailure ? e.code : null;
  }
}

/** After acceptance the answers are the case's: inputs and 提交 are disabled (matter list stays). */
let lockedAs: string | null = null;

export function lockForm(done: boolean): void {
  const state = `${done}|${S.submitting}|${getLang()}|${S.matterId}`;
  if (lockedAs === state && document.getElementById('submit')?.dataset.locked === state) return;
  lockedAs = state;
  const main = $('#main');
  main
    .querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>(
      '.layout-main input, .layout-main select, .layout-main button',
    )
    .forEach((el) => {
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
