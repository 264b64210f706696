// The clerk's case page (steps.html?id=…): the case's clock and steps after acceptance (GET
// /v1/applications/{id}/case) and every document its steps issued (特别程序告知书, 延期告知书,
// 准予 / 不予行政许可决定书, 终止办理告知书, 送达回证), each as the engine wrote it (GET
// …/case/documents/{seq}), laid out for A4. No sentence is written here.
import { authFetch, signIn } from './auth';
import './styles.css';
import './steps.css';
import { h, clear, $ } from './dom';
import { renderHeader } from './ui';
import { initLang, onLangChange, getLang, setLang, t, tx } from './i18n';
import { newFormState, stepForm } from './stepform';
import type { CaseChoices, CaseStage, Text } from './types';

interface Step {
  seq: number;
  on: string;
  event: string;
  label: Text;
  actor: string;
  document_kind: string | null;
  document_number: string | null;
}

interface CaseView {
  id: string;
  number: string | null;
  stage_label: Text;
  lamp: string;
  lamp_label: Text;
  clock: { stage: CaseStage; due: string; working_days_left: number; accepted_on: string; as_of: string };
  steps: Step[];
  choices: CaseChoices;
}

interface CaseDocument {
  kind: string;
  title: Text;
  sample: boolean;
  number: { text: string };
  addressee: Text;
  opening: Text;
  basis: string;
  items: Text[];
  facts: { label: Text; value: Text }[];
  rights: { text: Text; basis: string } | null;
  closing: Text;
  notes: Text[];
  issuer: { office: Text; seal: Text };
  date_text: Text;
  signatures: Text[];
}

const params = new URLSearchParams(location.search);
const S = {
  id: params.get('id') ?? '',
  asOf: params.get('as_of'),
  view: null as CaseView | null,
  docs: [] as { seq: number; doc: CaseDocument }[],
  form: newFormState(),
  failed: false,
};

async function load(): Promise<void> {
  try {
    const q = S.asOf ? `?as_of=${encodeURIComponent(S.asOf)}` : '';
    const r = await authFetch(`/v1/applications/${encodeURIComponent(S.id)}/case${q}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    S.view = (await r.json()) as CaseView;
    const withDocs = S.view.steps.filter((s) => s.document_kind);
    S.docs = await Promise.all(
      withDocs.map(async (s) => {
        const d = await authFetch(`/v1/applications/${encodeURIComponent(S.id)}/case/documents/${s.seq}`);
        if (!d.ok) throw new Error(`HTTP ${d.status}`);
        return { seq: s.seq, doc: (await d.json()) as CaseDocument };
      }),
    );
  } catch (e) {
    console.warn('case', e);
    S.failed = true;
  }
}

function documentView({ seq, doc: d }: { seq: number; doc: CaseDocument }): HTMLElement {
  return h(
    'article',
    { class: 'steps-doc', 'data-kind': d.kind, 'data-seq': seq },
    d.sample ? h('p', { class: 'inset inset-bad' }, tx({ zh: '【样本】', en: '[SPECIMEN]' })) : null,
    h('h3', null, tx(d.title)),
    h('p', { class: 'doc-number' }, d.number.text),
    h('p', null, `${tx(d.addressee)}${getLang() === 'zh' ? '：' : ':'}`),
    h('p', null, tx(d.opening)),
    d.items.length
      ? h(
          'ol',
          null,
          d.items.map((i) => h('li', null, tx(i))),
        )
      : null,
    d.facts.length
      ? h(
          'dl',
          { class: 'doc-facts' },
          d.facts.map((f) => [h('dt', null, tx(f.label)), h('dd', null, tx(f.value))]),
        )
      : null,
    d.rights ? h('p', null, tx(d.rights.text)) : null,
    tx(d.closing) ? h('p', null, tx(d.closing)) : null,
    d.notes.map((n) => h('p', { class: 'doc-basis' }, tx(n))),
    h('p', { class: 'doc-basis' }, d.basis),
    h(
      'div',
      { class: 'doc-signatures' },
      d.signatures.map((s) => h('span', null, `${tx(s)}：________`)),
    ),
    h('div', { class: 'doc-issuer' }, h('p', null, tx(d.issuer.office)), h('p', null, tx(d.date_text))),
  );
}

/** The documents, a direct child of <body> with class print-root: the one part a print shows
 * (styles.css), shown on screen too (case.css). */
function renderDocs(): void {
  let root = document.getElementById('steps-docs');
  if (!root) {
    root = h('section', { id: 'steps-docs', class: 'print-root', 'aria-label': t('stepsDocuments') });
    document.body.insertBefore(root, document.querySelector('.site-footer'));
  }
  root.setAttribute('aria-label', t('stepsDocuments'));
  clear(root, ...S.docs.map(documentView));
}

function render(): void {
  renderHeader($('#site-header'), 'stepsTitle', { langToggle: true });
  const v = S.view;
  clear(
    $('#main'),
    h(
      'div',
      { class: 'steps-screen' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', { class: 'page-title' }, t('stepsTitle')),
        h('p', { class: 'lead' }, t('stepsLead')),
      ),
      !S.id
        ? h('p', { class: 'inset inset-bad', role: 'alert' }, t('stepsNoId'))
        : S.failed || !v
          ? h('p', { class: 'inset inset-bad', role: 'alert' }, t('stepsFailed'))
          : [
              h(
                'dl',
                { class: 'steps-summary', id: 'steps-summary' },
                h('dt', null, t('stepsDocNumber')),
                h('dd', null, v.number ?? ''),
                h('dt', null, t('stepsStage')),
                h('dd', null, tx(v.stage_label)),
                h('dt', null, t('stepsDue')),
                h('dd', null, v.clock.due),
                h('dt', null, t('stepsDaysLeft')),
                h('dd', null, `${v.clock.working_days_left}（${tx(v.lamp_label)}）`),
              ),
              h('h2', { class: 'section-title' }, t('stepsSteps')),
              h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  { class: 'table', id: 'steps-table' },
                  h(
                    'thead',
                    null,
                    h(
                      'tr',
                      null,
                      (['stepsOn', 'stepsEvent', 'stepsActor', 'stepsDocNumber'] as const).map((c) =>
                        h('th', { scope: 'col' }, t(c)),
                      ),
                    ),
                  ),
                  h(
                    'tbody',
                    null,
                    v.steps.map((s) =>
                      h(
                        'tr',
                        null,
                        h('td', null, s.on),
                        h('td', null, tx(s.label)),
                        h('td', null, s.actor),
                        h('td', null, s.document_number ?? ''),
                      ),
                    ),
                  ),
                ),
              ),
              stepForm(v.choices, S.form, formHooks),
              h('h2', { class: 'section-title' }, t('stepsDocuments')),
              h(
                'button',
                { type: 'button', class: 'button', id: 'steps-print', onclick: () => window.print() },
                t('stepsPrint'),
              ),
            ],
    ),
  );
  renderDocs();
}

/** Prints one document: the others are hidden from the print while it runs (steps.css). */
function printOne(seq: number): void {
  const article = document.querySelector(`#steps-docs article[data-seq="${seq}"]`);
  article?.classList.add('print-this');
  document.body.classList.add('print-one');
  const done = () => {
    article?.classList.remove('print-this');
    document.body.classList.remove('print-one');
  };
  window.addEventListener('afterprint', done, { once: true });
  window.print();
  done();
}

const formHooks = {
  caseId: S.id,
  rerender: () => render(),
  recorded: async () => {
    S.failed = false;
    await load();
    render();
  },
  print: printOne,
};

async function main(): Promise<void> {
  initLang(true);
  await signIn('clerk');
  onLangChange(render);
  if (S.id) await load();
  render();
  document.body.dataset.ready = 'true';
}

void main();
