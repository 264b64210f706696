// The server's answer after 提交: the receipt (受理 / 容缺受理) or the server's one-time notice,
// and verifying a receipt (after 提交, and at /?verify=NUMBER).
import { h, clear, $ } from '../dom';
import { t, tx, engineLabels, fmtDate, fmtDateTime } from '../i18n';
import { renderOutcome, renderFindingsList, setText } from '../ui';
import { printReceipt } from '../print';
import type { FactKey, Text, Receipt, Verdict } from '../types';
import { S, accepted, currentReceipt, serverVerdict } from './state';
import { capabilityLink } from '../register';

export function renderServer(): void {
  const el = document.getElementById('server-result');
  if (!el) return;
  const r = S.server;
  if (!r) {
    if (!S.submitting) clear(el);
    return;
  }
  const local = S.verdict;
  // The recorded decision (from the files the server received) is the one that counts.
  const v = serverVerdict() ?? r.verdict;
  const disagrees = r.digest_match === false || (local !== null && local.outcome !== v.outcome);
  const agreement = h(
    'div',
    {
      class: `inset ${disagrees ? 'inset-warn' : 'inset-ok'}`,
      id: 'server-agreement',
      'data-agrees': String(!disagrees),
    },
    disagrees ? t('serverDisagrees') : t('serverAgrees'),
  );
  const receipt = currentReceipt();
  if (accepted() && receipt) {
    clear(el, successPanel(v, receipt), disagrees ? agreement : null);
    return;
  }
  clear(
    el,
    h('h2', { class: 'section-title' }, t('resultNotAccepted')),
    agreement,
    h('div', { id: 'server-outcome' }),
    S.app?.number
      ? h(
          'p',
          { class: 'inset', id: 'registered', 'data-number': S.app.number },
          t('registered', { number: S.app.number }),
        )
      : null,
    S.registerError
      ? h(
          'div',
          { class: 'inset inset-bad', role: 'alert', id: 'register-error', 'data-code': S.registerCode ?? '' },
          // Refused before numbering (who applies is not said yet): the engine's sentence alone.
          S.registerCode === 'not_identifiable' ? S.registerError : t('registerFailed', { why: S.registerError }),
        )
      : h(
          'div',
          { class: 'panel', id: 'no-receipt' },
          h('p', null, t('noReceipt')),
          h('h3', { class: 'panel-title' }, tx(v.notice.title)),
          h('div', { id: 'server-findings' }),
        ),
  );
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
  return h(
    'div',
    { class: 'success-panel', id: 'success', 'data-outcome': v.outcome },
    h('h2', { class: 'success-title', id: 'success-title' }, t('acceptedTitle')),
    h('p', { class: 'success-outcome' }, tx(v.outcome_label)),
    h(
      'dl',
      { class: 'summary-list', id: 'receipt' },
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
      h(
        'div',
        { class: 'summary-row', 'data-receipt': 'verify_url' },
        h('dt', null, t('verifyLink')),
        h('dd', { class: 'wrap' }, h('a', { href: verifyUrl(rc) }, verifyUrl(rc))),
      ),
      capabilityRow(),
    ),
    owed.length
      ? h(
          'section',
          { class: 'owed', id: 'still-owed' },
          h('h3', { class: 'panel-title' }, t('stillOwed')),
          h(
            'table',
            { class: 'table' },
            h(
              'thead',
              null,
              h('tr', null, h('th', { scope: 'col' }, t('pledgeItem')), h('th', { scope: 'col' }, t('pledgeItemDue'))),
            ),
            h(
              'tbody',
              null,
              owed.map((i) =>
                h(
                  'tr',
                  { 'data-owed': i.material },
                  h('td', null, tx(i.name)),
                  h('td', { class: 'nowrap' }, fmtDate(i.due)),
                ),
              ),
            ),
          ),
        )
      : null,
    h(
      'section',
      { class: 'next-steps', id: 'next-steps' },
      h('h3', { class: 'panel-title' }, t('nextSteps')),
      h('p', null, tx(v.notice.opening)),
      h('p', null, tx(v.notice.closing)),
      v.notice.notes.map((n) => h('p', { class: 'hint' }, tx(n))),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          id: 'print-receipt',
          onclick: () =>
            printReceipt($('#print-root'), S.appDoc ?? v, [
              { key: 'receipt_no', caption: t('receiptNo'), value: rc.receipt_no },
              { key: 'verify_code', caption: t('verifyCode'), value: verifyCode(rc) },
              { key: 'verify_url', caption: t('verifyLink'), value: verifyUrl(rc) },
            ]),
        },
        t('printReceipt'),
      ),
      h(
        'button',
        { type: 'button', class: 'button button-secondary', id: 'verify-receipt', onclick: () => verify(rc) },
        t('verifyReceipt'),
      ),
    ),
    h('p', { id: 'verify-result', role: 'status' }),
  );
}

/** The link that opens this application again (status, documents): its capability, shown once. */
function capabilityRow(): HTMLElement | null {
  const link = S.app ? capabilityLink(S.app.id) : null;
  if (!link) return null;
  return h(
    'div',
    { class: 'summary-row', 'data-receipt': 'capability_link' },
    h('dt', null, t('myApplicationLink')),
    h('dd', { class: 'wrap' }, h('a', { href: link, id: 'capability-link' }, link)),
  );
}

/** The address that verifies a receipt by its number (printed on it, and shown after 提交). */
function verifyUrl(rc: Receipt): string {
  // The number AND the verification code printed beside it: the server answers neither alone.
  const code = S.app?.receipt_code;
  const suffix = code ? `&code=${encodeURIComponent(code)}` : '';
  return `${location.origin}/?verify=${encodeURIComponent(rc.receipt_no)}${suffix}`;
}

/**
 * `/?verify=NUMBER`: asks the case register for the receipt with this number
 * (`GET /v1/receipts/{number}`, which checks its signature) and says what it found.
 */
export async function verifyView(main: HTMLElement, no: string): Promise<void> {
  const out = h('div', { id: 'verify-view', role: 'status' }, h('p', { class: 'loading' }, t('verifying')));
  clear(
    main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('verifyTitle'))),
    h('p', { class: 'lead' }, `${t('receiptNo')}：${no}`),
    out,
  );
  document.body.dataset.ready = 'true';
  let body: { valid?: boolean | null; matter?: string; issued_at?: string; error?: { message?: Text } } | null = null;
  try {
    const code = new URLSearchParams(location.search).get('code') ?? '';
    const res = await fetch(`/v1/receipts/${encodeURIComponent(no)}?code=${encodeURIComponent(code)}`);
    body = await res.json().catch(() => null);
  } catch {
    body = null;
  }
  const valid = body?.valid === true;
  out.dataset.valid = String(valid);
  clear(
    out,
    h(
      'div',
      { class: `inset ${valid ? 'inset-ok' : 'inset-bad'}` },
      valid ? t('verifyOk') : body?.error?.message ? tx(body.error.message) : t('verifyUnavailable'),
    ),
    valid && body?.issued_at ? h('p', null, `${t('issuedAt')}：${fmtDateTime(body.issued_at)}`) : null,
  );
}

/** A short code to read out or compare (the start of the signature), not 128 hex digits. */
function verifyCode(rc: Receipt): string {
  const sig = rc.signature
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 16)
    .toUpperCase();
  return sig.match(/.{1,4}/g)?.join('-') ?? '';
}

async function verify(rc: Receipt): Promise<void> {
  const out = $('#verify-result');
  try {
    const res = await fetch('/v1/receipts/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ receipt: rc }),
    });
    const data = await res.json();
    out.dataset.valid = String(data?.valid === true);
    setText(out, data?.valid === true ? t('verifyOk') : data?.message ? tx(data.message) : t('verifyBad'));
  } catch (e) {
    console.error(e);
    out.dataset.valid = 'false';
    setText(out, t('submitFailed'));
  }
}

function row(caption: string, val: string, key: string): HTMLElement {
  return h(
    'div',
    { class: 'summary-row', 'data-receipt': key },
    h('dt', null, caption),
    h('dd', { class: key === 'verify_code' ? 'mono' : null }, val),
  );
}
