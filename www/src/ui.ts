// Components shared by the three pages. They render the matter definition and the verdict; they
// never decide what applies, what is wrong or when anything is due.
import { h, clear } from './dom';
import { t, tx, fmtDate, fmtDateTime, getLang, setLang, blockedReason, type Key } from './i18n';
import { loadedEngine } from './engine';
import type { FieldDef, MatterDef, MaterialDef, Verdict, Finding, Submission, MaterialSubmission, Outcome, Text } from './types';

export type Value = string | number | boolean;

/* ---------- header ---------- */

export function renderHeader(el: HTMLElement, titleKey: Key, opts: { langToggle: boolean; nav?: boolean }): void {
  const toggle = opts.langToggle
    ? h('button', {
        type: 'button', class: 'lang-toggle', id: 'lang-toggle',
        lang: getLang() === 'zh' ? 'en' : 'zh-CN',
        'aria-label': t('langToggleLabel'),
        onclick: () => setLang(getLang() === 'zh' ? 'en' : 'zh'),
      }, t('langToggle'))
    : null;
  clear(el,
    h('a', { href: '#main', class: 'skip-link' }, t('skip')),
    h('div', { class: 'header-inner' },
      h('div', { class: 'brand' },
        h('span', { class: 'emblem', 'aria-hidden': 'true' }, '政'),
        h('span', { class: 'brand-text' },
          h('span', { class: 'brand-name' }, t('site')),
          h('span', { class: 'brand-sub' }, t('siteSub')))),
      h('span', { class: 'header-title' }, t(titleKey)),
      toggle));
}

/* ---------- fields ---------- */

export interface FieldHooks {
  values: Record<string, Value>;
  onChange: (id: string) => void;
}

function describedBy(...ids: (string | null)[]): string {
  return ids.filter(Boolean).join(' ');
}

export function renderField(f: FieldDef, hooks: FieldHooks): HTMLElement {
  const id = `f-${f.id}`;
  const hintId = f.help || f.pattern_hint ? `fh-${f.id}` : null;
  const errId = `fe-${f.id}`;
  const label = h('span', null, tx(f.label), f.required ? null : h('span', { class: 'optional' }, t('optional')));
  const hint = hintId ? h('div', { class: 'hint', id: hintId }, tx(f.help) || tx(f.pattern_hint)) : null;
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const v = hooks.values[f.id];
  const set = (val: Value | null) => {
    if (val === null || val === '') delete hooks.values[f.id];
    else hooks.values[f.id] = val;
    hooks.onChange(f.id);
  };

  if (f.type === 'boolean' || f.type === 'choice') {
    const opts = f.type === 'boolean'
      ? [{ id: 'true', text: t('yes'), val: true as Value }, { id: 'false', text: t('no'), val: false as Value }]
      : (f.options ?? []).map((o) => ({ id: o.id, text: tx(o.label), val: o.id as Value }));
    const inline = f.type === 'boolean';
    return h('div', { class: 'form-group', id: `fg-${f.id}`, 'data-field': f.id },
      h('fieldset', { class: 'fieldset', 'aria-describedby': describedBy(hintId, errId) },
        h('legend', { class: 'label' }, label),
        hint, err,
        h('div', { class: inline ? 'radios radios-inline' : 'radios' },
          opts.map((o, i) => {
            const rid = i === 0 ? id : `${id}-${o.id}`;
            return h('div', { class: 'radio' },
              h('input', {
                type: 'radio', id: rid, name: id, value: o.id,
                checked: v !== undefined && String(v) === o.id,
                onchange: () => set(o.val),
              }),
              h('label', { for: rid }, o.text));
          }))));
  }

  const input = h('input', {
    id, name: f.id, class: 'input',
    type: f.type === 'date' ? 'date' : 'text',
    inputmode: f.type === 'number' ? 'decimal' : f.type === 'integer' ? 'numeric' : f.type === 'phone' ? 'tel' : null,
    autocomplete: f.type === 'phone' ? 'tel' : 'off',
    spellcheck: 'false',
    maxlength: f.max_length ?? null,
    'aria-describedby': describedBy(hintId, errId),
    value: v === undefined ? '' : String(v),
  });
  if (f.type === 'id_card' || f.type === 'uscc' || f.type === 'phone') input.classList.add('input-code');
  const numeric = f.type === 'number' || f.type === 'integer';
  if (numeric) input.classList.add('input-short');
  input.addEventListener('input', () => {
    const raw = input.value.trim();
    // An integer field gets 3.5 as a number too: the engine says it must be whole.
    if (numeric && raw !== '' && /^-?\d+(\.\d+)?$/.test(raw)) set(Number(raw));
    else set(raw);
  });
  return h('div', { class: 'form-group', id: `fg-${f.id}`, 'data-field': f.id },
    h('label', { class: 'label', for: id }, label), hint, err, input);
}

/* ---------- materials ---------- */

/** What a material must be handed in as, in the engine's words (the findings use the same). */
export function requirementText(m: MaterialDef): string {
  return tx(loadedEngine().requirement(m));
}

export function materialTags(m: MaterialDef): HTMLElement {
  return h('span', { class: 'tags' },
    m.key ? h('strong', { class: 'tag tag-key' }, t('key')) : null,
    m.tolerable ? h('span', { class: 'tag tag-tolerable' }, t('tolerable')) : null);
}

export function materialDetails(m: MaterialDef): HTMLElement {
  return h('div', { class: 'material-meta' },
    h('span', null, requirementText(m)),
    m.issuer ? h('span', null, `${t('issuer')}：${tx(m.issuer)}`) : null,
    m.acceptance_standard ? h('span', null, `${t('acceptanceStandard')}：${tx(m.acceptance_standard)}`) : null,
    h('span', { class: 'basis' }, `${t('basis')}：${m.basis}`));
}

/* ---------- submission ---------- */

export function buildSubmission(args: {
  kind: Submission['applicant']['kind'];
  badCredit?: boolean;
  channel: Submission['channel'];
  receivedAt: string;
  values: Record<string, Value>;
  materials: Record<string, MaterialSubmission>;
  pledgeSigned: boolean;
  hiddenFields: Set<string>;
  hiddenMaterials: Set<string>;
}): Submission {
  const fields: Submission['fields'] = {};
  for (const [k, v] of Object.entries(args.values)) if (!args.hiddenFields.has(k)) fields[k] = v;
  const materials: Submission['materials'] = {};
  for (const [k, v] of Object.entries(args.materials)) if (!args.hiddenMaterials.has(k)) materials[k] = v;
  return {
    applicant: args.badCredit ? { kind: args.kind, bad_credit: true } : { kind: args.kind },
    channel: args.channel,
    received_at: args.receivedAt,
    fields,
    materials,
    pledge_signed: args.pledgeSigned,
  };
}

/** What the verdict says does not apply: those answers are not sent (they would be stale). */
export function hiddenSets(v: Verdict | null): { fields: Set<string>; materials: Set<string> } {
  return {
    fields: new Set((v?.checklist.fields ?? []).filter((f) => f.applies === false).map((f) => f.id)),
    materials: new Set((v?.checklist.materials ?? []).filter((m) => m.applies === false).map((m) => m.id)),
  };
}

/**
 * Checks until what applies stops changing: a hidden field's answer is not sent, which may in turn
 * change what applies. The engine decides every step; this only feeds its answer back.
 */
export function checkStable(
  run: (hidden: { fields: Set<string>; materials: Set<string> }) => Verdict,
  previous: Verdict | null,
): Verdict {
  let hidden = hiddenSets(previous);
  let v = run(hidden);
  for (let i = 0; i < 4; i++) {
    const next = hiddenSets(v);
    if (sameSet(next.fields, hidden.fields) && sameSet(next.materials, hidden.materials)) break;
    hidden = next;
    v = run(hidden);
  }
  return v;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/* ---------- applying a verdict to the form ---------- */

export function findingTargetId(f: Finding): string {
  if (f.target.kind === 'field') return `f-${f.target.id}`;
  if (f.target.kind === 'material') return `m-${f.target.id}`;
  if (f.target.kind === 'material_group') return `m-${f.alternatives?.[0] ?? ''}`;
  return f.target.id === 'pledge' ? 'pledge-panel' : 'applicant-kind';
}

/**
 * The engine's "如……" hint on a field or material whose condition waits for another answer
 * (`applies: "unknown"`): shown in the group, removed once the answer decides it.
 */
function setConditionHint(g: HTMLElement, hint: Text | null | undefined): void {
  let p = g.querySelector<HTMLElement>(':scope > .condition-hint');
  if (!hint) {
    p?.remove();
    return;
  }
  if (!p) {
    p = h('p', { class: 'hint condition-hint', role: 'note' });
    g.append(p);
  }
  p.textContent = tx(hint);
}

/** Shows/hides fields and materials as the checklist says and puts each finding next to its input. */
export function applyChecklist(root: HTMLElement, v: Verdict, showInline: (f: Finding) => boolean): void {
  for (const fs of v.checklist.fields) {
    const g = root.querySelector<HTMLElement>(`#fg-${CSS.escape(fs.id)}`);
    if (g) {
      // true: applies; "unknown": shown with the engine's hint; false: hidden.
      g.hidden = fs.applies === false;
      g.dataset.applies = String(fs.applies);
      setConditionHint(g, fs.hint);
    }
  }
  for (const ms of v.checklist.materials) {
    const g = root.querySelector<HTMLElement>(`#mg-${CSS.escape(ms.id)}`);
    if (g) {
      g.hidden = ms.applies === false;
      g.dataset.applies = String(ms.applies);
      setConditionHint(g, ms.hint);
      g.dataset.status = ms.status;
      g.dataset.ok = String(ms.ok);
    }
  }
  const byTarget = new Map<string, Finding[]>();
  for (const f of v.findings) {
    if (f.target.kind === 'applicant' || f.target.kind === 'refusal') continue;
    // A group of alternatives (format 2) is told at its first member.
    const k = f.target.kind === 'material_group'
      ? `material:${v.checklist.materials.find((m) => m.group === f.target.id)?.id ?? ''}`
      : `${f.target.kind}:${f.target.id}`;
    byTarget.set(k, [...(byTarget.get(k) ?? []), f]);
  }
  root.querySelectorAll<HTMLElement>('.form-group[data-field], .material[data-material]').forEach((g) => {
    const isField = g.dataset.field !== undefined;
    const id = isField ? g.dataset.field! : g.dataset.material!;
    const list = (byTarget.get(`${isField ? 'field' : 'material'}:${id}`) ?? []).filter(showInline);
    const err = g.querySelector<HTMLElement>(isField ? `#fe-${CSS.escape(id)}` : `#me-${CSS.escape(id)}`);
    g.classList.toggle('form-group-error', list.length > 0);
    g.querySelectorAll<HTMLElement>('input.input, select').forEach((i) => {
      if (list.length) i.setAttribute('aria-invalid', 'true'); else i.removeAttribute('aria-invalid');
    });
    if (err) {
      err.hidden = list.length === 0;
      clear(err, list.map((f) => h('span', { class: 'error-line' },
        h('span', { class: 'visually-hidden' }, getLang() === 'zh' ? '错误：' : 'Error: '), tx(f.message))));
    }
  });
}

/* ---------- error summary (GOV.UK pattern) ---------- */

export function renderErrorSummary(
  el: HTMLElement, v: Verdict | null, opts: { focus?: boolean; show?: (f: Finding) => boolean } = {},
): void {
  const shown = v ? v.findings.filter(opts.show ?? (() => true)) : [];
  if (!v || shown.length === 0) {
    el.hidden = true;
    clear(el);
    return;
  }
  el.hidden = false;
  clear(el,
    h('h2', { class: 'error-summary-title', id: 'error-summary-title' }, t('errorSummary')),
    h('ul', { class: 'error-summary-list' },
      shown.map((f) => {
        const target = findingTargetId(f);
        return h('li', null,
          h('a', {
            href: `#${target}`,
            'data-code': f.code,
            onclick: (e: Event) => {
              e.preventDefault();
              focusTarget(target);
            },
          }, f.key ? h('span', { class: 'tag tag-key tag-small' }, t('key')) : null, tx(f.message)));
      })));
  el.setAttribute('aria-labelledby', 'error-summary-title');
  if (opts.focus) el.focus();
}

export function focusTarget(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  const group = el.closest('.form-group, .material, section') as HTMLElement | null;
  (group ?? el).scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
}

/* ---------- outcome, dates, pledge ---------- */

export function outcomeClass(o: Outcome): string {
  return { accept: 'ok', accept_with_pledge: 'pledge', correction_required: 'warn', not_accepted: 'bad' }[o];
}

export function renderOutcome(el: HTMLElement, v: Verdict, heading: Key = 'outcomeNow'): void {
  clear(el,
    h('div', { class: `outcome outcome-${outcomeClass(v.outcome)}`, role: 'status', 'data-outcome': v.outcome },
      h('span', { class: 'outcome-caption' }, t(heading)),
      h('strong', { class: 'outcome-label', id: 'outcome-label' }, tx(v.outcome_label)),
      h('span', { class: 'outcome-matter' }, `${tx(v.matter_name)} · ${t('version')} ${v.version}`)));
}

export function renderDates(el: HTMLElement, v: Verdict, opts: { heading?: Key } = {}): void {
  const d = v.deadlines;
  // The engine says whether these dates are the case's or hypothetical (if accepted on receipt).
  el.dataset.basis = d.basis;
  const rows: [string, string, string][] = [
    ['received_at', t('receivedAt'), fmtDateTime(v.received_at)],
    ['accepted_on', t('acceptedOn'), fmtDate(d.accepted_on)],
  ];
  if (d.promised_due) rows.push(['promised_due', t('promisedDue'), fmtDate(d.promised_due)]);
  if (d.statutory_due) rows.push(['statutory_due', t('statutoryDue'), fmtDate(d.statutory_due)]);
  if (d.statutory_extended_due) rows.push(['statutory_extended_due', t('extendedDue'), fmtDate(d.statutory_extended_due)]);
  if (d.pledge_due && (v.pledge.would_accept || v.pledge.signed)) rows.push(['pledge_due', t('pledgeDue'), fmtDate(d.pledge_due)]);
  if (d.paused_days) rows.push(['paused_days', t('pausedDays'), String(d.paused_days)]);
  clear(el,
    h('h2', { class: 'panel-title' }, t(opts.heading ?? 'datesIfToday')),
    h('dl', { class: 'summary-list' },
      rows.map(([k, label, val]) => h('div', { class: 'summary-row', 'data-date': k },
        h('dt', null, label), h('dd', null, val)))),
    // 免提交 (format 2): each exemption in the engine's words.
    v.exempt?.length ? h('ul', { class: 'exempt-list', id: 'exempt' },
      v.exempt.map((e) => h('li', { 'data-exempt': e.material, 'data-by': e.by }, tx(e.message)))) : null,
    v.channel === 'online' ? h('p', { class: 'hint' }, t('acceptedOnOnline')) : null,
    d.clock_starts.promised === 'materials_complete' && !d.promised_due ? h('p', { class: 'hint' }, t('clockWaits')) : null,
    d.provisional ? h('div', { class: 'inset inset-warn', id: 'provisional-note', role: 'note' }, t('provisional')) : null);
}

/** The pledge offer: shown when the engine says signing would make the application acceptable. */
export function renderPledge(
  el: HTMLElement, v: Verdict, signed: boolean, onSign: ((signed: boolean) => void) | null,
  label: Key = 'pledgeSign',
): void {
  const p = v.pledge;
  const offer = p.would_accept || p.signed;
  if (!offer) {
    if (p.items.length && !p.applicant_eligible && p.blocked_by.length) {
      el.hidden = false;
      clear(el,
        h('h2', { class: 'panel-title' }, t('pledgeBlocked')),
        h('ul', { class: 'plain-list' }, p.blocked_by.map((c) => h('li', { 'data-blocked-by': c }, blockedReason(c)))));
      return;
    }
    el.hidden = true;
    clear(el);
    return;
  }
  el.hidden = false;
  clear(el,
    h('h2', { class: 'panel-title' }, t('pledgeTitle')),
    h('p', null, t('pledgeLead')),
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('pledgeItem')), h('th', { scope: 'col' }, t('pledgeItemDue')))),
      h('tbody', null, p.items.map((i) => h('tr', { 'data-pledge-item': i.material },
        h('td', null, tx(i.name)), h('td', { class: 'nowrap' }, fmtDate(i.due)))))),
    h('p', null, h('strong', null, `${t('pledgeAllDue')}：`), h('span', { id: 'pledge-due' }, fmtDate(p.pledge_due))),
    p.terms ? h('div', { class: 'inset' }, h('strong', null, `${t('pledgeTerms')}：`), tx(p.terms)) : null,
    onSign
      ? h('div', { class: 'checkbox' },
          h('input', { type: 'checkbox', id: 'pledge-sign', checked: signed, onchange: (e: Event) => onSign((e.target as HTMLInputElement).checked) }),
          h('label', { for: 'pledge-sign' }, t(label)))
      : null);
}

export function renderFindingsList(el: HTMLElement, v: Verdict): void {
  if (!v.findings.length) {
    clear(el, h('p', { class: 'no-problems' }, t('noProblems')));
    return;
  }
  clear(el, h('ol', { class: 'findings' }, v.findings.map((f) => h('li', { 'data-code': f.code },
    tx(f.message), h('span', { class: 'basis' }, ` ${t('basis')}：${f.basis}`)))));
}

export function applicantKindLabel(kind: string, labels: Record<string, { zh: string; en: string }>): string {
  return labels[kind] ? tx(labels[kind]) : kind;
}

export function matterIntro(m: MatterDef): HTMLElement {
  return h('dl', { class: 'matter-intro' },
    h('div', null, h('dt', null, t('department')), h('dd', null, tx(m.department))),
    h('div', null, h('dt', null, t('legalBasis')), h('dd', null, m.legal_basis)),
    h('div', null, h('dt', null, t('version')), h('dd', null, `${m.version}（${m.effective_from}）`)));
}
