// Printable documents (A4), laid out from the engine's structured notice (verdict.notice) and
// nothing else: every sentence, date, name, number and legal basis comes from the engine, and
// the captions from its labels(). This file only decides where each part goes: title, 文号,
// addressee line, body, 落款 with the seal area (kept on the page of the body), signature lines,
// and a small footer code.
import { h, clear } from './dom';
import { tx, getLang, engineLabels } from './i18n';
import type { Notice, PledgeDocument, Text, Verdict } from './types';

/** What a print run produces: the notice itself, and for 容缺受理 its 信用承诺书 too (each may be printed alone). */
export type DocPart = 'notice' | 'pledge';

export function docsFor(v: Verdict): DocPart[] {
  return v.notice.pledge ? ['notice', 'pledge'] : ['notice'];
}

const colon = () => (getLang() === 'zh' ? '：' : ': ');

function sampleMark(n: Notice): HTMLElement | null {
  return n.sample
    ? h('p', { class: 'doc-sample', 'data-doc-part': 'sample' }, tx(engineLabels().document.sample))
    : null;
}

function table(
  head: string[],
  rows: (string | HTMLElement)[][],
  attrs: (Record<string, string> | null)[] = [],
): HTMLElement {
  return h(
    'table',
    { class: 'doc-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((r, i) =>
        h(
          'tr',
          attrs[i] ?? null,
          r.map((c) => h('td', null, c)),
        ),
      ),
    ),
  );
}

/** Label–value pairs, two to a row, so a 受理通知书 keeps to one A4 page. */
function pairs(rows: { key: string; attr: string; label: Text; value: Text }[]): HTMLElement {
  const trs: HTMLElement[] = [];
  for (let i = 0; i < rows.length; i += 2) {
    trs.push(
      h(
        'tr',
        null,
        rows
          .slice(i, i + 2)
          .map((r) => [
            h('th', { scope: 'row', [r.attr]: r.key }, tx(r.label)),
            h('td', { colspan: i + 1 === rows.length ? '3' : null }, tx(r.value)),
          ]),
      ),
    );
  }
  return h('table', { class: 'doc-facts' }, h('tbody', null, trs));
}

function facts(n: Notice): HTMLElement | null {
  if (!n.facts.length) return null;
  return pairs(n.facts.map((f) => ({ key: f.key, attr: 'data-doc-fact', label: f.label, value: f.value })));
}

function items(n: Notice): HTMLElement | null {
  if (!n.items.length) return null;
  const basis = tx(engineLabels().document.basis);
  return h(
    'ol',
    { class: 'doc-items' },
    n.items.map((i) =>
      h(
        'li',
        { value: String(i.number), 'data-item': `${i.target.kind}:${i.target.id}` },
        h('span', null, tx(i.text)),
        h('span', { class: 'doc-basis' }, `${basis}${colon()}${i.basis}`),
      ),
    ),
  );
}

function particulars(n: Notice): HTMLElement | null {
  if (!n.particulars.length) return null;
  return h(
    'section',
    { class: 'doc-section' },
    h('h2', { class: 'doc-h2' }, tx(engineLabels().document.particulars)),
    pairs(n.particulars.map((p) => ({ key: p.field, attr: 'data-particular', label: p.label, value: p.value }))),
  );
}

function materials(n: Notice): HTMLElement | null {
  if (!n.materials.length) return null;
  const d = engineLabels().document;
  return h(
    'section',
    { class: 'doc-section' },
    h('h2', { class: 'doc-h2' }, tx(d.materials)),
    table(
      ['#', tx(d.material), tx(d.status)],
      n.materials.map((m, i) => [String(i + 1), tx(m.name), tx(m.status_label)]),
    ),
  );
}

function signatures(lines: Text[]): HTMLElement {
  return h(
    'div',
    { class: 'doc-signatures' },
    lines.map((l) =>
      h('p', { class: 'doc-sign' }, h('span', null, `${tx(l)}${colon()}`), h('span', { class: 'sign-line' }, '')),
    ),
  );
}

/** 落款: office, date and the seal area, with the last paragraphs so they share a page. */
function close(n: Notice, before: (HTMLElement | null)[]): HTMLElement {
  return h(
    'div',
    { class: 'doc-close' },
    before,
    h(
      'div',
      { class: 'doc-issuer', 'data-doc-part': 'issuer' },
      h('div', { class: 'doc-seal', 'aria-hidden': 'true' }, tx(n.issuer.seal)),
      h('p', { class: 'doc-office' }, tx(n.issuer.office)),
      h('p', { class: 'doc-date' }, tx(n.date_text)),
    ),
    signatures(n.signatures),
  );
}

function footer(n: Notice): HTMLElement {
  const contact = [n.issuer.address ? tx(n.issuer.address) : null, n.issuer.phone ?? null].filter(Boolean).join(' · ');
  return h(
    'footer',
    { class: 'doc-foot' },
    contact ? h('p', { class: 'doc-contact' }, contact) : null,
    h('p', { class: 'doc-code' }, n.footer),
  );
}

function notice(n: Notice): HTMLElement {
  return h(
    'article',
    { class: 'doc', 'data-doc': n.kind },
    sampleMark(n),
    h(
      'header',
      { class: 'doc-head' },
      h('h1', { class: 'doc-title' }, tx(n.title)),
      h('p', { class: 'doc-no', 'data-doc-part': 'number' }, n.number.text),
    ),
    h('p', { class: 'doc-addressee', 'data-doc-part': 'addressee' }, `${tx(n.addressee.text)}${colon()}`),
    h('p', { class: 'doc-para' }, tx(n.opening)),
    items(n),
    facts(n),
    particulars(n),
    materials(n),
    close(n, [
      n.rights ? h('p', { class: 'doc-para', 'data-doc-part': 'rights' }, tx(n.rights.text)) : null,
      h('p', { class: 'doc-para' }, tx(n.closing)),
      n.notes.length
        ? h(
            'div',
            { class: 'doc-notes' },
            n.notes.map((x) => h('p', { class: 'doc-note' }, tx(x))),
          )
        : null,
    ]),
    footer(n),
  );
}

const pledgor = (p: PledgeDocument): Text | undefined => (p as PledgeDocument & { pledgor?: Text }).pledgor;

function pledge(n: Notice, p: PledgeDocument): HTMLElement {
  const d = engineLabels().document;
  return h(
    'article',
    { class: 'doc', 'data-doc': 'pledge' },
    sampleMark(n),
    h('header', { class: 'doc-head' }, h('h1', { class: 'doc-title' }, tx(p.title))),
    // Whom the pledge binds: the identity verified (issue 22), when the case records one — on
    // the server's numbered document only (the engine's `pledgor` part, feature `pledgor`: not in
    // the page module, so not in its types).
    pledgor(p) ? h('p', { class: 'doc-para doc-strong', 'data-doc-part': 'pledgor' }, tx(pledgor(p)!)) : null,
    h('p', { class: 'doc-para' }, tx(p.opening)),
    table(
      ['#', tx(d.material), tx(d.due)],
      p.items.map((i) => [String(i.number), tx(i.name), tx(i.due_text)]),
      p.items.map((i) => ({ 'data-pledge-item': i.material })),
    ),
    h('p', { class: 'doc-para doc-strong', 'data-doc-fact': 'pledge_due' }, tx(p.due_text)),
    p.terms ? h('p', { class: 'doc-para' }, tx(p.terms)) : null,
    h('p', { class: 'doc-para', 'data-doc-part': 'pledge_consequence' }, tx(p.consequence)),
    h(
      'div',
      { class: 'doc-close' },
      h('p', { class: 'doc-para' }, tx(p.promise)),
      h('p', { class: 'doc-para' }, tx(p.copies)),
      signatures(p.signatures),
    ),
    footer(n),
  );
}

/** Renders the documents into #print-root (shown only in print media). */
export function renderDocs(root: HTMLElement, v: Verdict, parts: DocPart[] = docsFor(v)): void {
  root.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  clear(
    root,
    parts.map((part) => (part === 'pledge' && v.notice.pledge ? pledge(v.notice, v.notice.pledge) : notice(v.notice))),
  );
}

export function printDocs(root: HTMLElement, v: Verdict, parts: DocPart[] = docsFor(v)): void {
  renderDocs(root, v, parts);
  window.print();
}

/** What the receipt adds to the server's notice: its number and a short code to verify it by. */
export interface ReceiptLine {
  key: string;
  caption: string;
  value: string;
}

/**
 * The applicant's receipt: the server's 受理通知书 (applicant, materials received, dates, next
 * steps, all from the engine) headed by the receipt's own lines (number, verification code),
 * captioned by the page. Printed by the browser, which also saves it as PDF.
 */
export function printReceipt(root: HTMLElement, v: Verdict, lines: ReceiptLine[]): void {
  renderDocs(root, v);
  const box = h(
    'dl',
    { class: 'doc-receipt', 'data-doc-part': 'receipt' },
    lines.map((l) =>
      h('div', { 'data-receipt': l.key }, h('dt', null, `${l.caption}${colon()}`), h('dd', null, l.value)),
    ),
  );
  root.querySelector('.doc-head')?.after(box);
  window.print();
}
