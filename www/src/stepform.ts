// The form on the steps page that records a case step (POST /v1/applications/{id}/case with the
// engine's typed event, the clerk's bearer token). It offers the steps the case's answer lists
// (`choices`: the engine's `qiquan::case::choices`, read from its transition table, with their
// words, the §45 procedures and the ways of service); the engine still decides each step and its
// refusal is shown by the field it concerns. A decision is confirmed first.
import { authFetch } from './auth';
import { h } from './dom';
import { t, tx, type Key } from './i18n';
import type { ApiError, CaseChoice, CaseChoices, CaseEvent, ServiceMethod, SpecialProcedure, Text } from './types';

/** The events a clerk records here (the register records acceptance and the pledge's itself). */
export type StepName = Exclude<
  CaseEvent['event'],
  'accepted' | 'pledge_kept' | 'pledge_suspended' | 'pledge_resumed' | 'pledge_terminated'
>;

type Field =
  'event' | 'assignee' | 'procedure' | 'reason' | 'planned_days' | 'approver' | 'granted' | 'reasons' | 'method';

/** The fields each event needs, in the order shown. */
const FIELDS: Record<StepName, Field[]> = {
  review_started: ['assignee'],
  hearing_offered: [],
  special_started: ['procedure', 'reason', 'planned_days', 'approver'],
  special_ended: [],
  extended: ['approver', 'reason'],
  decided: ['granted', 'reasons'],
  served: ['method'],
  closed: [],
};

/** The engine's refusal codes (StepRefusal, the error's `details`) that concern one field. */
const REFUSAL_FIELD: Record<string, Field> = { reasons_missing: 'reasons' };

export interface Recorded {
  label: Text;
  seq: number;
  documentNumber: string | null;
}

export interface FormState {
  event: StepName | null;
  values: Partial<Record<Field, string>>;
  errors: { field: Field | null; message: Text }[];
  confirming: boolean;
  sending: boolean;
  recorded: Recorded | null;
}

export function newFormState(): FormState {
  return { event: null, values: {}, errors: [], confirming: false, sending: false, recorded: null };
}

/** The request body: the engine's event, typed, from the form's values. */
function body(event: StepName, v: FormState['values']): CaseEvent {
  const s = (f: Field) => (v[f] ?? '').trim();
  switch (event) {
    case 'review_started':
      return { event, assignee: s('assignee') };
    case 'special_started':
      return {
        event,
        procedure: (s('procedure') || 'hearing') as SpecialProcedure,
        reason: s('reason'),
        planned_days: Number(s('planned_days') || 'NaN'),
        approver: s('approver'),
      };
    case 'extended':
      return { event, approver: s('approver'), reason: s('reason') };
    case 'decided': {
      const granted = s('granted') !== 'false';
      const reasons = s('reasons')
        .split('\n')
        .map((r) => r.trim())
        .filter(Boolean);
      return granted ? { event, granted } : { event, granted, reasons };
    }
    case 'served':
      return { event, method: (s('method') || 'in_person') as ServiceMethod };
    default:
      return { event };
  }
}

/** Which field an error concerns: its JSON pointer, else the engine's refusal code, else a
 * blank field of the event (StepRefusal::Blank names none), else the choice of event. */
function fieldOf(err: ApiError['error'], st: FormState): Field | null {
  const fields = st.event ? FIELDS[st.event] : [];
  const pointed = err.at?.split('/')[1] as Field | undefined;
  if (pointed && (pointed === 'event' || fields.includes(pointed))) return pointed;
  const refusal = err.details?.[0];
  if (refusal && REFUSAL_FIELD[refusal] && fields.includes(REFUSAL_FIELD[refusal])) return REFUSAL_FIELD[refusal];
  if (refusal === 'blank') return fields.find((f) => !(st.values[f] ?? '').trim()) ?? null;
  return err.code === 'invalid_case_event' ? 'event' : null;
}

export interface FormHooks {
  caseId: string;
  /** Re-renders the page (the form is rebuilt from the state). */
  rerender: () => void;
  /** After a step is recorded: reload the case and its documents, then re-render. */
  recorded: (view: { steps: { seq: number; label: Text; document_number: string | null }[] }) => Promise<void>;
  /** Prints one document (its step's seq). */
  print: (seq: number) => void;
}

async function submit(st: FormState, hooks: FormHooks): Promise<void> {
  if (!st.event) return;
  st.sending = true;
  st.errors = [];
  hooks.rerender();
  try {
    const r = await authFetch(`/v1/applications/${encodeURIComponent(hooks.caseId)}/case`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body(st.event, st.values)),
    });
    const json = (await r.json()) as unknown;
    if (!r.ok) {
      const err = (json as ApiError).error;
      st.errors = [{ field: fieldOf(err, st), message: err.message }];
    } else {
      const view = json as Parameters<FormHooks['recorded']>[0];
      const last = view.steps[view.steps.length - 1];
      st.recorded = { label: last.label, seq: last.seq, documentNumber: last.document_number };
      st.event = null;
      st.values = {};
      await hooks.recorded(view);
    }
  } catch (e) {
    console.warn('record step', e);
    st.errors = [{ field: null, message: { zh: t('stepsNetwork'), en: t('stepsNetwork') } }];
  } finally {
    st.sending = false;
    st.confirming = false;
  }
  hooks.rerender();
  const focus = st.errors.length ? '#step-errors' : st.recorded ? '#step-recorded' : null;
  if (focus) document.querySelector<HTMLElement>(focus)?.focus();
}

/** A message zh first, then en (the envelope's two texts). */
function message(m: Text): HTMLElement[] {
  return [
    h('span', { class: 'error-line', lang: 'zh-CN' }, m.zh),
    h('span', { class: 'error-line', lang: 'en' }, m.en),
  ];
}

function group(st: FormState, field: Field, label: HTMLElement, hint: Key | null, control: HTMLElement): HTMLElement {
  const errs = st.errors.filter((e) => e.field === field);
  const hintId = hint ? `step-${field}-hint` : null;
  const errId = errs.length ? `step-${field}-error` : null;
  const described = [hintId, errId].filter(Boolean).join(' ');
  if (described && control.tagName !== 'FIELDSET') control.setAttribute('aria-describedby', described);
  return h(
    'div',
    { class: `form-group${errs.length ? ' form-group-error' : ''}`, 'data-field': field },
    label,
    hint ? h('p', { class: 'hint', id: hintId }, t(hint)) : null,
    errs.length
      ? h(
          'p',
          { class: 'field-error', id: errId },
          errs.map((e) => message(e.message)),
        )
      : null,
    control,
  );
}

function text(
  st: FormState,
  field: Field,
  labelKey: Key,
  hint: Key | null,
  opts: { number?: boolean; area?: boolean } = {},
): HTMLElement {
  const id = `step-${field}`;
  const onInput = (e: Event) => {
    st.values[field] = (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
  };
  const control = opts.area
    ? h('textarea', { class: 'input', id, name: field, rows: 3, oninput: onInput })
    : h('input', {
        class: `input${opts.number ? ' input-short' : ''}`,
        id,
        name: field,
        type: opts.number ? 'number' : 'text',
        inputmode: opts.number ? 'numeric' : null,
        min: opts.number ? 0 : null,
        value: st.values[field] ?? '',
        oninput: onInput,
      });
  if (opts.area) control.textContent = st.values[field] ?? '';
  return group(st, field, h('label', { class: 'label', for: id }, t(labelKey)), hint, control);
}

function select(st: FormState, field: Field, labelKey: Key, hint: Key | null, options: CaseChoice[]): HTMLElement {
  const id = `step-${field}`;
  const first = options[0]?.value;
  st.values[field] ??= first;
  const control = h(
    'select',
    {
      class: 'select',
      id,
      name: field,
      onchange: (e: Event) => {
        st.values[field] = (e.currentTarget as HTMLSelectElement).value;
      },
    },
    options.map((o) => h('option', { value: o.value, selected: st.values[field] === o.value }, tx(o.label))),
  );
  return group(st, field, h('label', { class: 'label', for: id }, t(labelKey)), hint, control);
}

function radios(
  st: FormState,
  field: Field,
  legend: Key,
  options: [string, string][],
  onPick: (value: string) => void,
): HTMLElement {
  const errs = st.errors.filter((e) => e.field === field);
  return h(
    'div',
    { class: `form-group${errs.length ? ' form-group-error' : ''}`, 'data-field': field },
    h(
      'fieldset',
      { class: 'fieldset', 'aria-describedby': errs.length ? `step-${field}-error` : null },
      h('legend', { class: 'label' }, t(legend)),
      errs.length
        ? h(
            'p',
            { class: 'field-error', id: `step-${field}-error` },
            errs.map((e) => message(e.message)),
          )
        : null,
      h(
        'div',
        { class: 'radios' },
        options.map(([value, label]) =>
          h(
            'div',
            { class: 'radio' },
            h('input', {
              type: 'radio',
              id: `step-${field}-${value}`,
              name: `step-${field}`,
              value,
              checked: st.values[field] === value,
              onchange: () => onPick(value),
            }),
            h('label', { for: `step-${field}-${value}` }, label),
          ),
        ),
      ),
    ),
  );
}

function fieldView(st: FormState, field: Field, choices: CaseChoices): HTMLElement | null {
  switch (field) {
    case 'assignee':
      return text(st, field, 'stepsAssignee', null);
    case 'procedure':
      return select(st, field, 'stepsProcedure', 'stepsProcedureHint', choices.procedures);
    case 'reason':
      return text(st, field, 'stepsReason', 'stepsReasonHint', { area: true });
    case 'planned_days':
      return text(st, field, 'stepsPlannedDays', null, { number: true });
    case 'approver':
      return text(st, field, 'stepsApprover', 'stepsApproverHint');
    case 'granted':
      st.values.granted ??= 'true';
      return radios(
        st,
        field,
        'stepsDecision',
        [
          ['true', t('stepsGrant')],
          ['false', t('stepsRefuse')],
        ],
        (v) => {
          st.values.granted = v;
        },
      );
    case 'reasons':
      return text(st, field, 'stepsReasons', 'stepsReasonsHint', { area: true });
    case 'method':
      return select(st, field, 'stepsMethod', null, choices.service_methods);
    default:
      return null;
  }
}

function summary(st: FormState): HTMLElement | null {
  if (!st.errors.length) return null;
  return h(
    'div',
    { class: 'error-summary', id: 'step-errors', role: 'alert', tabindex: -1 },
    h('h3', { class: 'error-summary-title' }, t('stepsErrorTitle')),
    h(
      'ul',
      { class: 'error-summary-list' },
      st.errors.map((e) =>
        h(
          'li',
          null,
          e.field
            ? h(
                'a',
                {
                  href: `#step-${e.field}${e.field === 'event' || e.field === 'granted' ? `-${st.values[e.field] ?? ''}` : ''}`,
                },
                tx(e.message),
              )
            : tx(e.message),
        ),
      ),
    ),
  );
}

function confirmation(st: FormState, hooks: FormHooks): HTMLElement {
  const refuse = st.values.granted === 'false';
  return h(
    'div',
    {
      class: 'panel panel-pledge',
      id: 'step-confirm',
      role: 'alertdialog',
      'aria-labelledby': 'step-confirm-title',
      tabindex: -1,
    },
    h('h3', { class: 'panel-title', id: 'step-confirm-title' }, t('stepsConfirmTitle')),
    h('p', null, t(refuse ? 'stepsConfirmRefuse' : 'stepsConfirmGrant')),
    h(
      'div',
      { class: 'form-row' },
      h(
        'button',
        {
          type: 'button',
          class: 'button button-warning',
          id: 'step-confirm-yes',
          disabled: st.sending,
          onclick: () => void submit(st, hooks),
        },
        t('stepsConfirm'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary',
          id: 'step-confirm-back',
          onclick: () => {
            st.confirming = false;
            hooks.rerender();
            document.querySelector<HTMLElement>('#step-submit')?.focus();
          },
        },
        t('stepsBack'),
      ),
    ),
  );
}

function recordedView(st: FormState, hooks: FormHooks): HTMLElement | null {
  const r = st.recorded;
  if (!r) return null;
  return h(
    'div',
    { class: 'inset', id: 'step-recorded', role: 'status', tabindex: -1 },
    h('p', null, t('stepsRecorded', { what: tx(r.label) })),
    r.documentNumber
      ? h(
          'button',
          { type: 'button', class: 'button button-secondary', id: 'step-print-new', onclick: () => hooks.print(r.seq) },
          t('stepsPrintNew', { n: r.documentNumber }),
        )
      : null,
  );
}

/** The section: what was just recorded, the error summary, the choice of event and its fields. */
export function stepForm(choices: CaseChoices, st: FormState, hooks: FormHooks): HTMLElement {
  const allowed = choices.steps.map((c) => c.value as StepName);
  if (st.event && !allowed.includes(st.event)) st.event = null;
  const fields = st.event ? FIELDS[st.event] : [];
  const form = h(
    'form',
    {
      id: 'step-form',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (!st.event || st.sending) return;
        if (st.event === 'decided' && !st.confirming) {
          st.confirming = true;
          st.errors = [];
          hooks.rerender();
          document.querySelector<HTMLElement>('#step-confirm')?.focus();
          return;
        }
        void submit(st, hooks);
      },
    },
    summary(st),
    radios(
      st,
      'event',
      'stepsChoose',
      choices.steps.map((c) => [c.value, tx(c.label)]),
      (v) => {
        st.event = v as StepName;
        st.values = { event: v };
        st.errors = [];
        st.confirming = false;
        st.recorded = null;
        hooks.rerender();
        document.querySelector<HTMLElement>(`#step-event-${v}`)?.focus();
      },
    ),
    fields.map((f) => fieldView(st, f, choices)),
    st.confirming
      ? confirmation(st, hooks)
      : st.event
        ? h(
            'button',
            { type: 'submit', class: 'button', id: 'step-submit', disabled: st.sending },
            t(st.sending ? 'stepsSending' : 'stepsSubmit'),
          )
        : null,
  );
  return h(
    'section',
    { class: 'steps-record no-print', id: 'steps-record', 'aria-labelledby': 'steps-record-title' },
    h('h2', { class: 'section-title', id: 'steps-record-title' }, t('stepsRecord')),
    recordedView(st, hooks),
    allowed.length
      ? [h('p', { class: 'hint' }, t('stepsRecordLead')), form]
      : h('p', { class: 'inset' }, t('stepsNothing')),
  );
}
