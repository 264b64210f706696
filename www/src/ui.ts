// Components shared by the three pages. They render the matter definition and the verdict; they
// never decide what applies, what is wrong or when anything is due.
import { careOn, setCare } from './care';
import { h, clear } from './dom';
import { t, tx, fmtDate, fmtDateTime, getLang, setLang, blockedReason, engineLabels, type Key } from './i18n';
import { loadedEngine } from './engine';
import type {
  FactKey,
  FieldDef,
  MatterDef,
  MaterialDef,
  Verdict,
  Finding,
  Submission,
  MaterialSubmission,
  Outcome,
  Text,
} from './types';

export type Value = string | number | boolean;

/* ---------- header ---------- */

/** The 关怀模式 switch (large type, higher contrast), kept across pages. */
export function careToggle(): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'care-toggle',
      id: 'care-toggle',
      'aria-pressed': careOn() ? 'true' : 'false',
      onclick: (e: Event) => {
        const on = !careOn();
        setCare(on);
        (e.currentTarget as HTMLElement).setAttribute('aria-pressed', on ? 'true' : 'false');
      },
    },
    t('careMode'),
  );
}

export function renderHeader(el: HTMLElement, titleKey: Key, opts: { langToggle: boolean; nav?: boolean }): void {
  const toggle = opts.langToggle
    ? h(
        'button',
        {
          type: 'button',
          class: 'lang-toggle',
          id: 'lang-toggle',
          lang: getLang() === 'zh' ? 'en' : 'zh-CN',
          'aria-label': t('langToggleLabel'),
          onclick: () => setLang(getLang() === 'zh' ? 'en' : 'zh'),
        },
        t('langToggle'),
      )
    : null;
  clear(
    el,
    h('a', { href: '#main', class: 'skip-link' }, t('skip')),
    h(
      'div',
      { class: 'header-inner' },
      h(
        'div',
        { class: 'brand' },
        h('span', { class: 'emblem', 'aria-hidden': 'true' }, '政'),
        h(
          'span',
          { class: 'brand-text' },
          h('span', { class: 'brand-name' }, t('site')),
          h('span', { class: 'brand-sub' }, t('siteSub')),
        ),
      ),
      h('span', { class: 'header-title' }, t(titleKey)),
      careToggle(),
      toggle,
    ),
  );
  renderChrome(titleKey);
}

/** Title and footer in the current language (the HTML ships them in zh-CN). */
export function renderChrome(titleKey: Key): void {
  document.title = `${t(titleKey)} · ${t('site')}`;
  const footer = document.querySelector('.site-footer');
  if (!footer) return;
  // Public pages: no staff links, no developer wording. Staff pages: the staff's pages.
  const staff = (['clerkTitle', 'caseTitle', 'ledgerTitle', 'stepsTitle', 'supTitle'] as Key[]).includes(titleKey);
  clear(
    footer,
    staff
      ? h(
          'p',
          null,
          t('footer'),
          ' · ',
          h('a', { href: '/clerk.html' }, t('footerClerk')),
          ' · ',
          h('a', { href: '/case.html' }, t('footerCase')),
          ' · ',
          h('a', { href: '/ledger.html' }, t('footerLedger')),
          ' · ',
          h('a', { href: '/supervisor.html' }, t('supTitle')),
        )
      : h('p', null, t('footerPublic'), ' · ', h('a', { href: '/' }, t('footerApplicant'))),
  );
}

/* ---------- fields ---------- */

export interface FieldHooks {
  values: Record<string, Value>;
  /**
   * `settled` false: the person is still typing an identifier that is not complete yet, so its
   * problems wait (until it is complete or the field is left). `keystroke` true: a character
   * typed (the page may run the compact check first); false: a choice made or the field left.
   */
  onChange: (id: string, settled?: boolean, keystroke?: boolean) => void;
  /** Touch screens keep every option a large radio button (default: lists of 5+ become a select). */
  radiosOnly?: boolean;
}

/** Identifier numbers are checked once complete (18 characters, GB 11643 / GB 32100) or left. */
const COMPLETE_AT: Partial<Record<FieldDef['type'], number>> = { id_card: 18, uscc: 18 };

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
  const set = (val: Value | null, settled = true) => {
    if (val === null || val === '') delete hooks.values[f.id];
    else hooks.values[f.id] = val;
    hooks.onChange(f.id, settled);
  };

  if (f.type === 'boolean' || f.type === 'choice') {
    const opts =
      f.type === 'boolean'
        ? [
            { id: 'true', text: t('yes'), val: true as Value },
            { id: 'false', text: t('no'), val: false as Value },
          ]
        : (f.options ?? []).map((o) => ({ id: o.id, text: tx(o.label), val: o.id as Value }));
    const inline = f.type === 'boolean';
    if (opts.length > 4 && !hooks.radiosOnly) {
      // A long list: a select that starts at "请选择", never at a preselected answer.
      return h(
        'div',
        { class: 'form-group', id: `fg-${f.id}`, 'data-field': f.id },
        h('label', { class: 'label', for: id }, label),
        hint,
        err,
        h(
          'select',
          {
            id,
            name: f.id,
            class: 'select',
            'aria-describedby': describedBy(hintId, errId),
            onchange: (e: Event) => {
              const val = (e.target as HTMLSelectElement).value;
              set(val === '' ? null : (opts.find((o) => o.id === val)?.val ?? val));
            },
          },
          h('option', { value: '', selected: v === undefined }, t('pleaseChoose')),
          opts.map((o) => h('option', { value: o.id, selected: v !== undefined && String(v) === o.id }, o.text)),
        ),
      );
    }
    return h(
      'div',
      { class: 'form-group', id: `fg-${f.id}`, 'data-field': f.id },
      h(
        'fieldset',
        { class: 'fieldset', 'aria-describedby': describedBy(hintId, errId) },
        h('legend', { class: 'label' }, label),
        hint,
        err,
        h(
          'div',
          { class: inline ? 'radios radios-inline' : 'radios' },
          opts.map((o, i) => {
            const rid = i === 0 ? id : `${id}-${o.id}`;
            return h(
              'div',
              { class: 'radio' },
              h('input', {
                type: 'radio',
                id: rid,
                name: id,
                value: o.id,
                checked: v !== undefined && String(v) === o.id,
                onchange: () => set(o.val),
              }),
              h('label', { for: rid }, o.text),
            );
          }),
        ),
      ),
    );
  }

  const limitId = f.max_length ? `fl-${f.id}` : null;
  const input = h('input', {
    id,
    name: f.id,
    class: 'input',
    type: f.type === 'date' ? 'date' : 'text',
    inputmode: f.type === 'number' ? 'decimal' : f.type === 'integer' ? 'numeric' : f.type === 'phone' ? 'tel' : null,
    autocomplete: f.type === 'phone' ? 'tel' : 'off',
    spellcheck: 'false',
    maxlength: f.max_length ?? null,
    // A date's year has four digits: the picker cannot be typed into year 60230.
    min: f.type === 'date' ? '1900-01-01' : null,
    max: f.type === 'date' ? '9999-12-31' : null,
    'aria-describedby': describedBy(hintId, limitId, errId),
    value: v === undefined ? '' : String(v),
  });
  if (f.type === 'id_card' || f.type === 'uscc' || f.type === 'phone') input.classList.add('input-code');
  const numeric = f.type === 'number' || f.type === 'integer';
  if (numeric) input.classList.add('input-short');
  if (f.type === 'date') input.classList.add('input-date');
  const limit = f.max_length
    ? h('p', { class: 'hint char-count', id: limitId }, t('maxLength', { n: f.max_length }))
    : null;
  const showLimit = () => {
    if (!limit || !f.max_length) return;
    const n = [...input.value].length;
    const full = n >= f.max_length;
    limit.classList.toggle('char-count-full', full);
    setText(
      limit,
      full
        ? t('maxLengthReached', { n: f.max_length })
        : n === 0
          ? t('maxLength', { n: f.max_length })
          : t('charCount', { n, max: f.max_length }),
    );
  };
  // Sent as typed: the engine normalises (full-width digits, spaces, "+86", "1,200") so that
  // every channel agrees, and reports the value it understood.
  const raw = (): Value => {
    const s = input.value.trim();
    // An integer field gets 3.5 as a number too: the engine says it must be whole.
    return numeric && /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
  };
  input.addEventListener('input', () => {
    // The value is kept at once; the check runs after the typed character is on screen.
    const val = raw();
    if (val === '') delete hooks.values[f.id];
    else hooks.values[f.id] = val;
    const need = COMPLETE_AT[f.type];
    const settled = need === undefined || input.value.replace(/[\s-]/g, '').length >= need;
    afterPaint(f.id, () => {
      showLimit();
      hooks.onChange(f.id, settled, true);
    });
  });
  input.addEventListener('change', () => {
    flushChecks();
    set(raw(), true);
  });
  showLimit();
  return h(
    'div',
    { class: 'form-group', id: `fg-${f.id}`, 'data-field': f.id },
    h('label', { class: 'label', for: id }, label),
    hint,
    err,
    input,
    limit,
    h('p', { class: 'hint normalised', id: `fn-${f.id}`, hidden: true }),
  );
}

/** Shows the value as the engine understood it ("已按 13800138000 识别"), when it differs from the input. */
export function showNormalised(root: HTMLElement, v: Verdict): void {
  for (const fs of v.checklist.fields) {
    const el = root.querySelector<HTMLElement>(`#fn-${CSS.escape(fs.id)}`);
    if (!el) continue;
    const n = (fs as { normalized?: unknown }).normalized;
    const show = n !== undefined && n !== null;
    if (el.hidden === show) el.hidden = !show;
    setText(el, show ? t('normalisedAs', { v: String(n) }) : '');
  }
}

/* ---------- checks after the keystroke is painted ---------- */

const waiting = new Map<string, () => void>();

/**
 * Runs `work` (the check and the update of the page) once the browser has painted the frame
 * with the typed character: a keystroke never waits for the engine, and the result follows one
 * frame later. Keystrokes before then are coalesced (one check for the latest value of each
 * field). `body[data-checking]` is set meanwhile (tests wait for it to go).
 */
export function afterPaint(key: string, work: () => void): void {
  const first = waiting.size === 0;
  waiting.set(key, work);
  if (!first) return;
  document.body.dataset.checking = 'true';
  requestAnimationFrame(() => setTimeout(flushChecks, 0));
}

/** Runs the waiting checks now (before a submit, a blur or a print reads the verdict). */
export function flushChecks(): void {
  if (waiting.size === 0) return;
  const work = [...waiting.values()];
  waiting.clear();
  delete document.body.dataset.checking;
  work.forEach((w) => w());
}

/* ---------- materials ---------- */

/** What a material must be handed in as, in the engine's words (the findings use the same). */
export function requirementText(m: MaterialDef): string {
  return tx(loadedEngine().requirement(m));
}

export function materialTags(m: MaterialDef): HTMLElement {
  return h(
    'span',
    { class: 'tags' },
    m.key ? h('strong', { class: 'tag tag-key' }, tx(engineLabels().material_tags.key)) : null,
    m.tolerable ? h('span', { class: 'tag tag-tolerable' }, tx(engineLabels().material_tags.tolerable)) : null,
  );
}

export function materialDetails(m: MaterialDef): HTMLElement {
  return h(
    'div',
    { class: 'material-meta' },
    h('span', null, requirementText(m)),
    m.issuer ? h('span', null, `${t('issuer')}：${tx(m.issuer)}`) : null,
    m.acceptance_standard ? h('span', null, `${t('acceptanceStandard')}：${tx(m.acceptance_standard)}`) : null,
    h('span', { class: 'basis' }, `${t('basis')}：${m.basis}`),
  );
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
  setText(p, tx(hint));
}

/** Shows/hides fields and materials as the checklist says and puts each finding next to its input. */
export function applyChecklist(root: HTMLElement, v: Verdict, showInline: (f: Finding) => boolean): void {
  // Every write is skipped when the value is already there: a keystroke that changes nothing
  // else touches no attribute, so the browser has no style to recompute.
  for (const fs of v.checklist.fields) {
    const g = byId(root, `fg-${fs.id}`);
    if (g) {
      // true: applies; "unknown": shown with the engine's hint; false: hidden.
      setHidden(g, fs.applies === false);
      setData(g, 'applies', String(fs.applies));
      setConditionHint(g, fs.hint);
    }
  }
  for (const ms of v.checklist.materials) {
    const g = byId(root, `mg-${ms.id}`);
    if (g) {
      setHidden(g, ms.applies === false);
      setData(g, 'applies', String(ms.applies));
      setConditionHint(g, ms.hint);
      setData(g, 'status', ms.status);
      setData(g, 'ok', String(ms.ok));
    }
  }
  const byTarget = new Map<string, Finding[]>();
  for (const f of v.findings) {
    if (f.target.kind === 'applicant' || f.target.kind === 'refusal') continue;
    // A group of alternatives (format 2) is told at its first member.
    const k =
      f.target.kind === 'material_group'
        ? `material:${v.checklist.materials.find((m) => m.group === f.target.id)?.id ?? ''}`
        : `${f.target.kind}:${f.target.id}`;
    byTarget.set(k, [...(byTarget.get(k) ?? []), f]);
  }
  groups(root).forEach((g) => {
    const isField = g.dataset.field !== undefined;
    const id = isField ? g.dataset.field! : g.dataset.material!;
    const list = (byTarget.get(`${isField ? 'field' : 'material'}:${id}`) ?? []).filter(showInline);
    const key = list.map((f) => tx(f.message)).join('|');
    if (g.dataset.errKey === key) return;
    g.dataset.errKey = key;
    const err = g.querySelector<HTMLElement>(isField ? `#fe-${CSS.escape(id)}` : `#me-${CSS.escape(id)}`);
    g.classList.toggle('form-group-error', list.length > 0);
    g.querySelectorAll<HTMLElement>('input.input, select').forEach((i) => {
      if (list.length) i.setAttribute('aria-invalid', 'true');
      else i.removeAttribute('aria-invalid');
    });
    if (err) {
      err.hidden = list.length === 0;
      clear(
        err,
        list.map((f) =>
          h('span', { class: 'error-line' }, h('span', { class: 'visually-hidden' }, t('errorPrefix')), tx(f.message)),
        ),
      );
    }
  });
}

/** The field and material groups of a form, found once per form (the form is rebuilt as a whole). */
const groupCache = new WeakMap<HTMLElement, { first: Element | null; size: number; list: HTMLElement[] }>();
function groups(root: HTMLElement): HTMLElement[] {
  const first = root.querySelector('.form-group[data-field], .material[data-material]');
  const hit = groupCache.get(root);
  // Live collections: their length is cheap, and changes when a part of the form is added.
  const size = root.getElementsByClassName('form-group').length + root.getElementsByClassName('material').length;
  if (hit && hit.first === first && first?.isConnected && hit.size === size) return hit.list;
  const list = Array.from(root.querySelectorAll<HTMLElement>('.form-group[data-field], .material[data-material]'));
  groupCache.set(root, { first, size, list });
  return list;
}

function byId(root: HTMLElement, id: string): HTMLElement | null {
  const el = document.getElementById(id);
  return el && root.contains(el) ? el : null;
}

function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

function setData(el: HTMLElement, k: string, v: string): void {
  if (el.dataset[k] !== v) el.dataset[k] = v;
}

/* ---------- error summary (GOV.UK pattern) ---------- */

export function renderErrorSummary(
  el: HTMLElement,
  v: Verdict | null,
  opts: { focus?: boolean; show?: (f: Finding) => boolean } = {},
): void {
  const shown = v ? v.findings.filter(opts.show ?? (() => true)) : [];
  el.setAttribute('role', 'alert');
  if (!v || shown.length === 0) {
    el.hidden = true;
    if (el.dataset.key) {
      clear(el);
      el.dataset.key = '';
    }
    return;
  }
  el.hidden = false;
  const key = `${getLang()}|${v.outcome}|${shown.map((f) => `${f.code}:${f.target.id}:${f.message.zh}`).join('|')}`;
  if (el.dataset.key === key) {
    if (opts.focus) el.focus();
    return;
  }
  el.dataset.key = key;
  // 容缺受理: what is listed is owed, not wrong.
  const owed = v.outcome === 'accept_with_pledge';
  el.classList.toggle('error-summary-owed', owed);
  clear(
    el,
    h(
      'h2',
      { class: 'error-summary-title', id: 'error-summary-title' },
      t(owed ? 'errorSummaryPledge' : 'errorSummary'),
    ),
    h(
      'ul',
      { class: 'error-summary-list' },
      shown.map((f) => {
        const target = findingTargetId(f);
        return h(
          'li',
          null,
          h(
            'a',
            {
              href: `#${target}`,
              'data-code': f.code,
              onclick: (e: Event) => {
                e.preventDefault();
                focusTarget(target);
              },
              // The engine's message already says 【主件】: no second tag beside it.
            },
            tx(f.message),
          ),
        );
      }),
    ),
  );
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

/**
 * The outcome box, updated in place: the live region (role=status) stays the same node, so a
 * screen reader hears the new result instead of a rebuilt region on every keystroke. `v` null:
 * nothing answered yet, a neutral box (no "需补正材料" before the person has typed anything).
 */
export function renderOutcome(
  el: HTMLElement,
  v: Verdict | null,
  heading: Key = 'outcomeNow',
  blank: Key = 'notStarted',
): void {
  let box = el.querySelector<HTMLElement>(':scope > .outcome');
  if (!box) {
    box = h(
      'div',
      { class: 'outcome', role: 'status' },
      h('span', { class: 'outcome-caption' }),
      h('strong', { class: 'outcome-label', id: el.id === 'outcome' ? 'outcome-label' : null }),
      h('span', { class: 'outcome-matter' }),
    );
    clear(el, box);
  }
  const cls = `outcome outcome-${v ? outcomeClass(v.outcome) : 'blank'}`;
  if (box.className !== cls) box.className = cls;
  const out = v ? v.outcome : 'blank';
  if (box.dataset.outcome !== out) box.dataset.outcome = out;
  const [cap, label, matter] = Array.from(box.children) as HTMLElement[];
  setText(cap, t(heading));
  setText(label, v ? tx(v.outcome_label) : t(blank));
  setText(matter, v ? `${tx(v.matter_name)} · ${t('version')} ${v.version}` : '');
}

/** Writes text only when it differs (no needless mutation of a live region). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function renderDates(el: HTMLElement, v: Verdict, opts: { heading?: Key } = {}): void {
  const d = v.deadlines;
  // Rebuilt only when something it shows changed (typing a name changes no date).
  const key = `${getLang()}|${opts.heading ?? ''}|${v.received_at.slice(0, 16)}|${v.channel}|${v.pledge.would_accept}|${v.pledge.signed}|${JSON.stringify(d)}`;
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  // The engine says whether these dates are the case's or hypothetical (if accepted on receipt).
  el.dataset.basis = d.basis;
  const L = engineLabels();
  const fact = (k: FactKey) => tx(L.facts[k]);
  const rows: [string, string, string][] = [
    ['received_at', fact('received_at'), fmtDateTime(v.received_at)],
    ['accepted_on', fact('accepted_on'), fmtDate(d.accepted_on)],
  ];
  if (d.promised_due) rows.push(['promised_due', fact('promised_due'), fmtDate(d.promised_due)]);
  if (d.statutory_due) rows.push(['statutory_due', fact('statutory_due'), fmtDate(d.statutory_due)]);
  if (d.statutory_extended_due)
    rows.push(['statutory_extended_due', fact('statutory_extended_due'), fmtDate(d.statutory_extended_due)]);
  if (d.pledge_due && (v.pledge.would_accept || v.pledge.signed))
    rows.push(['pledge_due', fact('pledge_due'), fmtDate(d.pledge_due)]);
  if (d.paused_days) rows.push(['paused_days', tx(L.dates.paused_days), String(d.paused_days)]);
  clear(
    el,
    h('h2', { class: 'panel-title' }, t(opts.heading ?? 'datesIfToday')),
    h(
      'dl',
      { class: 'summary-list' },
      rows.map(([k, label, val]) =>
        h('div', { class: 'summary-row', 'data-date': k }, h('dt', null, label), h('dd', null, val)),
      ),
    ),
    // 免提交 (format 2): each exemption in the engine's words.
    v.exempt?.length
      ? h(
          'ul',
          { class: 'exempt-list', id: 'exempt' },
          v.exempt.map((e) => h('li', { 'data-exempt': e.material, 'data-by': e.by }, tx(e.message))),
        )
      : null,
    v.channel === 'online' ? h('p', { class: 'hint' }, t('acceptedOnOnline')) : null,
    d.clock_starts.promised === 'materials_complete' && !d.promised_due
      ? h('p', { class: 'hint' }, tx(L.dates.clock_waits))
      : null,
    d.provisional
      ? h('div', { class: 'inset inset-warn', id: 'provisional-note', role: 'note' }, tx(L.dates.provisional))
      : null,
  );
}

/** The pledge offer: shown when the engine says signing would make the application acceptable. */
export function renderPledge(
  el: HTMLElement,
  v: Verdict,
  signed: boolean,
  onSign: ((signed: boolean) => void) | null,
  label: Key = 'pledgeSign',
): void {
  const p = v.pledge;
  const key = `${getLang()}|${signed}|${onSign !== null}|${label}|${JSON.stringify(p)}`;
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  const offer = p.would_accept || p.signed;
  if (!offer) {
    if (p.items.length && !p.applicant_eligible && p.blocked_by.length) {
      el.hidden = false;
      clear(
        el,
        h('h2', { class: 'panel-title' }, t('pledgeBlocked')),
        h(
          'ul',
          { class: 'plain-list' },
          p.blocked_by.map((c) => h('li', { 'data-blocked-by': c }, blockedReason(c))),
        ),
      );
      return;
    }
    el.hidden = true;
    clear(el);
    return;
  }
  el.hidden = false;
  clear(
    el,
    h('h2', { class: 'panel-title' }, t('pledgeTitle')),
    h('p', null, t('pledgeLead')),
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
        p.items.map((i) =>
          h(
            'tr',
            { 'data-pledge-item': i.material },
            h('td', null, tx(i.name)),
            h('td', { class: 'nowrap' }, fmtDate(i.due)),
          ),
        ),
      ),
    ),
    h('p', null, h('strong', null, `${t('pledgeAllDue')}：`), h('span', { id: 'pledge-due' }, fmtDate(p.pledge_due))),
    p.terms ? h('div', { class: 'inset' }, h('strong', null, `${t('pledgeTerms')}：`), tx(p.terms)) : null,
    p.consequence
      ? h(
          'p',
          { id: 'pledge-consequence', 'data-pledge-consequence': '' },
          tx(p.consequence),
          p.consequence_basis ? h('span', { class: 'basis' }, ` ${t('basis')}：${p.consequence_basis}`) : null,
        )
      : null,
    onSign
      ? h(
          'div',
          { class: 'checkbox' },
          h('input', {
            type: 'checkbox',
            id: 'pledge-sign',
            checked: signed,
            onchange: (e: Event) => onSign((e.target as HTMLInputElement).checked),
          }),
          h('label', { for: 'pledge-sign' }, t(label)),
        )
      : null,
  );
}

export function renderFindingsList(el: HTMLElement, v: Verdict): void {
  if (!v.findings.length) {
    clear(el, h('p', { class: 'no-problems' }, t('noProblems')));
    return;
  }
  clear(
    el,
    h(
      'ol',
      { class: 'findings' },
      v.findings.map((f) =>
        h('li', { 'data-code': f.code }, tx(f.message), h('span', { class: 'basis' }, ` ${t('basis')}：${f.basis}`)),
      ),
    ),
  );
}

export function applicantKindLabel(kind: string, labels: Record<string, { zh: string; en: string }>): string {
  return labels[kind] ? tx(labels[kind]) : kind;
}

export function matterIntro(m: MatterDef): HTMLElement {
  return h(
    'dl',
    { class: 'matter-intro' },
    h('div', null, h('dt', null, t('department')), h('dd', null, tx(m.department))),
    h('div', null, h('dt', null, t('legalBasis')), h('dd', null, m.legal_basis)),
    h('div', null, h('dt', null, t('version')), h('dd', null, `${m.version}（${m.effective_from}）`)),
  );
}
