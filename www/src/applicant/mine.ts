// `/?application=ID#capability=…`: the application its capability's holder opened from the
// receipt's link — its status, decision, receipt and document, read with the capability.
import { h, clear, $ } from '../dom';
import { t, tx, fmtDateTime } from '../i18n';
import { printReceipt } from '../print';
import { loadEngine } from '../engine';
import { fetchApplication, numberedVerdict, RegisterFailure, type Application } from '../register';

export async function applicationView(main: HTMLElement, id: string): Promise<void> {
  const out = h('div', { id: 'my-application', role: 'status' }, h('p', { class: 'loading' }, t('loading')));
  clear(main, h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('myApplicationTitle'))), out);
  let app: Application;
  try {
    app = await fetchApplication(id);
  } catch (e) {
    // A capability that is not this application's answers exactly like a missing application.
    const notFound = e instanceof RegisterFailure && [401, 403, 404].includes(e.status);
    out.dataset.found = 'false';
    clear(
      out,
      h(
        'div',
        { class: 'inset inset-bad', role: 'alert', id: 'my-application-error' },
        notFound ? t('myApplicationNotFound') : e instanceof RegisterFailure && e.text ? tx(e.text) : t('unreachable'),
      ),
    );
    document.body.dataset.ready = 'true';
    return;
  }
  out.dataset.found = 'true';
  out.dataset.status = app.status;
  const v = app.verdict;
  const rc = app.receipt;
  clear(
    out,
    h(
      'dl',
      { class: 'summary-list', id: 'my-application-facts' },
      app.number ? row(t('caseNumber'), app.number, 'number') : null,
      row(
        t('myApplicationStatus'),
        app.status === 'draft' ? t('myApplicationDraft') : tx(app.case_state_label),
        'case_state',
      ),
      v ? row(t('myApplicationOutcome'), tx(v.outcome_label), 'outcome') : null,
      rc ? row(t('receiptNo'), rc.receipt_no, 'receipt_no') : null,
      rc ? row(t('receiptOffice'), rc.office, 'office') : null,
      rc ? row(t('receiptDocument'), rc.document_title, 'document_title') : null,
      rc ? row(t('issuedAt'), fmtDateTime(rc.issued_at), 'issued_at') : null,
    ),
    v && app.status === 'decided'
      ? h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', class: 'button', id: 'my-application-document', onclick: () => printDocument(app) },
            t('myApplicationDocument'),
          ),
        )
      : null,
  );
  document.body.dataset.ready = 'true';
}

async function printDocument(app: Application): Promise<void> {
  // The document's words are the engine's labels(): load it (once) before laying it out.
  const [v] = await Promise.all([numberedVerdict(app.id), loadEngine(app.matter)]);
  const lines = app.receipt ? [{ key: 'receipt_no', caption: t('receiptNo'), value: app.receipt.receipt_no }] : [];
  printReceipt($('#print-root'), v, lines);
}

function row(caption: string, val: string, key: string): HTMLElement {
  return h('div', { class: 'summary-row', 'data-app': key }, h('dt', null, caption), h('dd', null, val));
}
