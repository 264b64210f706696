// The form: the matter, the applicant kind, the questions and the materials, kept in step with
// the verdict (update) as answers change (onChange).
import { h, clear, $ } from '../dom';
import { t, tx, engineLabels } from '../i18n';
import {
  renderField,
  applyChecklist,
  renderErrorSummary,
  renderOutcome,
  renderDates,
  renderPledge,
  matterIntro,
  setText,
  showNormalised,
  flushChecks,
} from '../ui';
import { renderFinder } from '../finder';
import type { Finding, MatterDef, Verdict } from '../types';
import { S, accepted, runCheck } from './state';
import { saveDraft, forgetDraft, applyDraft, type Draft } from './drafts';
import { materialItem } from './uploads';
import { getHandover } from './handover';
import { renderServer } from './receipt';
import { submit, lockForm } from './submit';

/** The engine has arrived: the kinds and materials join the questions, and the checks start. */
export function completeForm(): void {
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

export async function selectMatter(id: string): Promise<void> {
  if (id && S.engine && !S.engine.has(id)) await S.engine.prepare(id); // its rules' files, verified, on first use
  flushChecks(); // a keystroke's check still waiting belongs to the form being left
  S.matterId = id;
  S.def = id && S.engine ? S.engine.matter(id) : null;
  S.kind = S.def?.applicant_kinds[0] ?? 'enterprise_legal_person';
  S.values = {};
  S.materials = {};
  S.files = {};
  S.pledgeSigned = false;
  S.verdict = null;
  S.verdictJson = null;
  S.touched = new Set();
  S.showAll = false;
  S.server = null;
  S.started = false;
  S.idemKey = '';
  S.restored = false;
  S.fileObjs = {};
  S.fileProblems = {};
  S.uploads = {};
  S.draft = null;
  S.app = null;
  S.appDoc = null;
  S.registerError = null;
  S.registerCode = null;
  S.checker?.reset();
  if (S.def) runCheck();
  renderAll();
}

export function onChange(id: string | null, settled = true, keystroke = false): void {
  if (accepted()) return;
  if (id && settled) S.touched.add(id);
  S.started = true;
  // Another answer is another application body: the next submit gets a new key.
  S.server = null;
  S.idemKey = '';
  S.app = null;
  S.appDoc = null;
  S.registerError = null;
  S.registerCode = null;
  runCheck(keystroke ? id : null);
  update();
  saveDraft();
}

export function restoreDraft(d: Draft): void {
  applyDraft(d);
  runCheck();
  renderAll();
}

/** "Clear my data": the draft, the answers on the page and the language choice. */
async function clearMyData(): Promise<void> {
  forgetDraft();
  try {
    localStorage.removeItem('qiquan.lang');
  } catch {
    /* ignore */
  }
  const id = S.matterId;
  await selectMatter(id);
  const note = document.getElementById('draft-status');
  if (note) note.textContent = t('dataCleared');
}

export function renderAll(): void {
  const main = $('#main');
  const m = S.def;
  clear(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, t('applicantTitle')),
      h('p', { class: 'lead' }, t('applicantLead')),
    ),
    h('div', { class: 'error-summary', id: 'error-summary', tabindex: '-1', hidden: true }),
    h(
      'div',
      { class: 'layout' },
      h(
        'div',
        { class: 'layout-main' },
        h(
          'section',
          { class: 'section', 'aria-labelledby': 'matter-h', id: 'matter-section' },
          h('h2', { class: 'section-title', id: 'matter-h' }, t('matter')),
          h('div', { id: 'matter-pick' }),
        ),
        m ? renderForm(m) : null,
      ),
      m
        ? h(
            'aside',
            { class: 'layout-side', 'aria-label': t('result') },
            h(
              'div',
              { class: 'sticky' },
              // Compact, and in view: sticky beside the form on a desktop, a bar at the bottom on a phone.
              h('div', { id: 'outcome', class: 'result-bar' }),
              h('button', {
                type: 'button',
                class: 'button button-secondary',
                id: 'show-all',
                hidden: true,
                onclick: () => {
                  S.showAll = true;
                  update();
                  $('#error-summary').focus();
                },
              }),
              h('div', { class: 'panel', id: 'dates' }),
            ),
          )
        : null,
    ),
  );
  renderMatterPick();
  update();
}

/** The chosen matter in one line with "更换事项", or the finder when none is chosen yet. */
function renderMatterPick(): void {
  const el = $('#matter-pick');
  if (S.def && !S.picking) {
    clear(
      el,
      h(
        'div',
        { class: 'matter-chosen' },
        h('p', { class: 'matter-chosen-name', id: 'matter-name' }, tx(S.def.name)),
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary',
            id: 'change-matter',
            onclick: () => {
              S.picking = true;
              renderMatterPick();
              $('#matter-search').focus();
            },
          },
          t('changeMatter'),
        ),
      ),
      h('details', { class: 'matter-details' }, h('summary', null, t('aboutMatter')), matterIntro(S.def)),
    );
    return;
  }
  clear(
    el,
    renderFinder({
      matters: S.matters,
      current: S.matterId,
      keywords: materialWords,
      prepare: () => S.engine!.prepareAll(),
      onPick: askToSwitch,
    }),
    h('div', { id: 'switch-confirm', class: 'inset inset-warn', role: 'alert', hidden: true }),
    S.def
      ? h(
          'button',
          {
            type: 'button',
            class: 'button button-link',
            id: 'keep-matter',
            onclick: () => {
              S.picking = false;
              renderMatterPick();
            },
          },
          t('keepMatter'),
        )
      : null,
  );
}

/** Material names of a matter, so "营业执照" finds the matters that ask for one. */
function materialWords(id: string): string {
  try {
    const def = S.engine!.matter(id);
    return def.materials.map((x) => `${x.name.zh} ${x.name.en}`).join(' ');
  } catch {
    return '';
  }
}

/** Switching matter discards the answers: ask first when there are any. */
function askToSwitch(id: string): void {
  if (id === S.matterId) {
    S.picking = false;
    renderMatterPick();
    return;
  }
  if (!S.started || accepted()) {
    pick(id);
    return;
  }
  const box = $('#switch-confirm');
  box.hidden = false;
  clear(
    box,
    h('p', null, t('switchConfirm')),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'button button-warning', id: 'switch-yes', onclick: () => pick(id) },
        t('switchYes'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary',
          id: 'switch-no',
          onclick: () => {
            box.hidden = true;
            clear(box);
          },
        },
        t('switchNo'),
      ),
    ),
  );
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
  return h(
    'div',
    { class: 'draft-note', id: 'draft-note' },
    h('p', { class: 'hint', id: 'draft-status', role: 'status' }, S.restored ? t('draftRestored') : ''),
    h('p', { class: 'hint' }, t('draftSaved')),
    h(
      'button',
      { type: 'button', class: 'button button-link', id: 'clear-data', onclick: clearMyData },
      t('clearData'),
    ),
  );
}

function kindSection(m: MatterDef): HTMLElement {
  const kinds = m.applicant_kinds;
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'kind-h' },
    h('h2', { class: 'section-title', id: 'kind-h' }, t('applicantKind')),
    h(
      'fieldset',
      { class: 'fieldset' },
      h('legend', { class: 'visually-hidden' }, t('applicantKind')),
      h(
        'div',
        { class: 'radios radios-inline' },
        kinds.map((k, i) => {
          const rid = i === 0 ? 'applicant-kind' : `applicant-kind-${k}`;
          return h(
            'div',
            { class: 'radio' },
            h('input', {
              type: 'radio',
              name: 'applicant-kind',
              id: rid,
              value: k,
              checked: S.kind === k,
              onchange: () => {
                S.kind = k;
                onChange(null);
              },
            }),
            h('label', { for: rid }, tx(engineLabels().applicant_kinds[k])),
          );
        }),
      ),
    ),
  );
}

function fieldsSection(m: MatterDef): HTMLElement {
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'fields-h' },
    h('h2', { class: 'section-title', id: 'fields-h' }, t('formInfo')),
    (m.fields ?? []).map((f) => renderField(f, { values: S.values, onChange })),
  );
}

function restSections(m: MatterDef): HTMLElement[] {
  return [
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'materials-h' },
      h('h2', { class: 'section-title', id: 'materials-h' }, t('materials')),
      h('p', { class: 'hint' }, t('materialsLead')),
      // What an 原件 means online, said once for every material that asks for one.
      m.materials.some((x) => x.form && x.form !== 'copy')
        ? h(
            'p',
            { class: 'hint upload-original', id: 'upload-original', 'data-upload-original': '' },
            tx(engineLabels().upload_original),
          )
        : null,
      h(
        'ul',
        { class: 'materials' },
        m.materials.map((x) => materialItem(x, onChange)),
      ),
    ),
    h('section', { class: 'panel panel-pledge', id: 'pledge-panel', tabindex: '-1', hidden: true }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'button', id: 'submit', onclick: () => submit(update) }, t('submit')),
      ' ',
      h(
        'button',
        { type: 'button', class: 'button button-secondary', id: 'handover-get', onclick: getHandover },
        t('handoverGet'),
      ),
    ),
    h('section', { class: 'panel', id: 'handover', hidden: true, 'aria-live': 'polite', tabindex: '-1' }),
    h('section', { class: 'section', id: 'server-result', 'aria-live': 'polite', tabindex: '-1' }),
  ];
}

export function update(): void {
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
  const shown = (f: Finding) =>
    !done &&
    (S.showAll || f.target.kind === 'applicant' || S.touched.has(f.target.id) || S.touched.has(`m:${f.target.id}`));
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
  renderPledge(
    $('#pledge-panel'),
    v,
    S.pledgeSigned,
    S.server
      ? null
      : (signed) => {
          S.pledgeSigned = signed;
          onChange(null);
        },
  );
  if (done) $('#pledge-panel').hidden = true;
  lockForm(done);
  renderServer();
}

/** "已完成 3 / 12 项": the applicable fields answered well and materials provided, per the verdict. */
function renderProgress(v: Verdict): void {
  const fields = v.checklist.fields.filter((f) => f.applies === true && (f.required || S.values[f.id] !== undefined));
  const mats = v.checklist.materials.filter((m) => m.applies === true);
  const total = fields.length + mats.length;
  const done =
    fields.filter((f) => f.ok && S.values[f.id] !== undefined).length +
    mats.filter((m) => m.ok && m.status === 'provided').length;
  const box = $('#outcome');
  let p = box.querySelector<HTMLElement>('.progress');
  if (!p) {
    p = h(
      'div',
      { class: 'progress', id: 'progress' },
      h('progress', { max: '1', value: '0', 'aria-labelledby': 'progress-text' }),
      h('span', { id: 'progress-text' }),
    );
    box.append(p);
  }
  const bar = p.querySelector('progress')!;
  if (bar.max !== Math.max(total, 1)) bar.max = Math.max(total, 1);
  if (bar.value !== done) bar.value = done;
  setText(p.querySelector<HTMLElement>('#progress-text')!, t('progress', { done, total }));
}
