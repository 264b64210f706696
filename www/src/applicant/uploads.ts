// Uploads: each material's file (or 告知承诺 instead), its upload state, and sending the chosen
// files to the case register with progress and retries.
import { h, $ } from '../dom';
import { t, tx, engineLabels } from '../i18n';
import { materialTags, materialDetails } from '../ui';
import { uploadWithRetry } from '../register';
import type { MatterDef, Text } from '../types';
import { S } from './state';

type MaterialDef = MatterDef['materials'][number];
type UploadWord = 'limits' | 'empty' | 'wrong_type' | 'too_large';

const MB = 1024 * 1024;

/** A size as the engine's upload words print it: `11.0 MB`; a whole limit `10 MB`. */
function megabytes(bytes: number, wholeIfExact: boolean): string {
  return wholeIfExact && bytes % MB === 0 ? `${bytes / MB} MB` : `${(bytes / MB).toFixed(1)} MB`;
}

/** The engine's upload sentence `key` for material `x` (and the chosen file), its blanks filled. */
function uploadWords(key: UploadWord, x: MaterialDef, file?: File): Text {
  const l = engineLabels();
  const accept = x.accept ?? l.default_accept;
  const limit = x.max_bytes ?? l.default_max_bytes;
  const names = accept.map((a) => l.file_types[a]?.zh ?? a);
  // The engine's list: 'PDF、JPG 或 PNG' / 'PDF, JPG or PNG' (labels.rs file_types_text).
  const list = (sep: string, or: string) =>
    names.length > 1 ? `${names.slice(0, -1).join(sep)}${or}${names[names.length - 1]}` : (names[0] ?? '');
  const fill = (template: string, types: string) =>
    template
      .replace('{name}', file?.name ?? '')
      .replace('{size}', megabytes(file?.size ?? 0, false))
      .replace('{limit}', megabytes(limit, true))
      .replace('{types}', types);
  const tpl = l.uploads[key];
  return { zh: fill(tpl.zh, list('、', ' 或 ')), en: fill(tpl.en, list(', ', ' or ')) };
}

/** What is wrong with a chosen file before it is sent, in the engine's words (null: nothing). */
function fileProblem(x: MaterialDef, file: File): Text | null {
  const l = engineLabels();
  if (file.size === 0) return uploadWords('empty', x, file);
  if (!(x.accept ?? l.default_accept).includes(file.type)) return uploadWords('wrong_type', x, file);
  if (file.size > (x.max_bytes ?? l.default_max_bytes)) return uploadWords('too_large', x, file);
  return null;
}

/** A refused choice: said beside the picker (never "已提供"), cleared by the next good one. */
function showProblem(id: string): void {
  const el = document.getElementById(`mp-${id}`);
  if (!el) return;
  const problem = S.fileProblems[id];
  el.textContent = problem ? tx(problem) : '';
  el.hidden = !problem;
}

/** What the page does when an answer changed (`m:ID` for a material). */
export type OnChange = (id: string | null) => void;

/** One material: its name and tags, what it must be, the file chosen for it and its upload state. */
export function materialItem(x: MatterDef['materials'][number], onChange: OnChange): HTMLElement {
  const inputId = `m-${x.id}`;
  const fileName = S.files[x.id];
  return h(
    'li',
    { class: 'material', id: `mg-${x.id}`, 'data-material': x.id },
    h(
      'div',
      { class: 'material-head' },
      h('label', { class: 'material-name', for: inputId }, tx(x.name)),
      materialTags(x),
    ),
    materialDetails(x),
    h('p', { class: 'field-error', id: `me-${x.id}`, hidden: true }),
    h(
      'p',
      { class: 'field-error upload-problem', id: `mp-${x.id}`, role: 'alert', hidden: !S.fileProblems[x.id] },
      S.fileProblems[x.id] ? tx(S.fileProblems[x.id]) : '',
    ),
    h(
      'div',
      { class: 'upload' },
      h('input', {
        type: 'file',
        id: inputId,
        class: 'file-input visually-hidden-focusable',
        'aria-describedby': `mp-${x.id} me-${x.id} ms-${x.id} ml-${x.id}`,
        'aria-label': `${t('chooseFile')}：${tx(x.name)}`,
        onchange: (e: Event) => {
          const input = e.target as HTMLInputElement;
          const f = input.files?.[0];
          const problem = f ? fileProblem(x, f) : null;
          if (f && problem) {
            // Refused when chosen, from the material's limits: nothing is kept or sent.
            S.fileProblems[x.id] = problem;
            delete S.files[x.id];
            delete S.fileObjs[x.id];
            delete S.uploads[x.id];
            delete S.materials[x.id];
            input.value = '';
          } else if (f) {
            delete S.fileProblems[x.id];
            S.files[x.id] = f.name;
            S.fileObjs[x.id] = f;
            delete S.uploads[x.id];
            S.materials[x.id] = { status: 'provided', medium: 'electronic' };
          }
          showProblem(x.id);
          onChange(`m:${x.id}`);
          renderUploadState(x.id);
        },
      }),
      h(
        'label',
        { class: 'button button-secondary button-upload', for: inputId, 'aria-hidden': 'true' },
        t('chooseFile'),
      ),
      h(
        'span',
        { class: 'upload-state', id: `ms-${x.id}` },
        fileName ? `${t('provided')}：${fileName}` : t('notProvided'),
      ),
      h('span', { class: 'hint upload-limits', id: `ml-${x.id}` }, tx(uploadWords('limits', x))),
      h(
        'button',
        {
          type: 'button',
          class: 'button button-link',
          id: `mr-${x.id}`,
          hidden: !fileName,
          onclick: () => {
            delete S.fileProblems[x.id];
            showProblem(x.id);
            delete S.files[x.id];
            delete S.materials[x.id];
            delete S.fileObjs[x.id];
            delete S.uploads[x.id];
            ($(`#${inputId}`) as HTMLInputElement).value = '';
            onChange(`m:${x.id}`);
            renderUploadState(x.id);
          },
        },
        t('removeFile'),
      ),
    ),
    x.commitment ? commitmentChoice(x.id, x.commitment.terms, onChange) : null,
  );
}

// 告知承诺 (format 2): the applicant may commit instead of uploading the proof.

function commitmentChoice(id: string, terms: { zh: string; en: string }, onChange: OnChange): HTMLElement {
  const boxId = `mc-${id}`;
  return h(
    'div',
    { class: 'checkbox commitment' },
    h('input', {
      type: 'checkbox',
      id: boxId,
      checked: S.materials[id]?.status === 'committed',
      onchange: (e: Event) => {
        if ((e.target as HTMLInputElement).checked) {
          delete S.files[id];
          delete S.fileObjs[id];
          delete S.uploads[id];
          S.materials[id] = { status: 'committed' };
        } else delete S.materials[id];
        onChange(`m:${id}`);
        renderUploadState(id);
      },
    }),
    h('label', { for: boxId }, tx(engineLabels().window.commit_instead), tx(terms)),
  );
}

function uploadText(id: string): string {
  const name = S.files[id];
  if (!name) return t('notProvided');
  const u = S.uploads[id];
  if (!u) return `${t('provided')}：${name}`;
  if (u.state === 'done') return t('uploaded', { name });
  if (u.state === 'uploading') {
    return t('uploading', { pct: u.pct }) + (u.attempt > 1 ? t('retrying', { n: u.attempt }) : '');
  }
  return t('uploadFailed', { why: u.message ? tx(u.message) : t('unreachable') });
}

export function renderUploadState(id: string): void {
  const el = document.getElementById(`ms-${id}`);
  if (!el) return;
  el.textContent = uploadText(id);
  el.dataset.upload = S.uploads[id]?.state ?? '';
  $(`#mr-${id}`).hidden = !S.files[id];
  const committed = document.getElementById(`mc-${id}`) as HTMLInputElement | null;
  if (committed) committed.checked = S.materials[id]?.status === 'committed';
}

/** Sends each chosen file not yet uploaded to the application `draftId`; false if any failed. */
export async function uploadFiles(draftId: string, files: [string, File][]): Promise<boolean> {
  let all = true;
  for (const [id, file] of files) {
    if (S.uploads[id]?.state === 'done') continue;
    all =
      (await uploadWithRetry(draftId, id, file, (st) => {
        S.uploads[id] = st;
        renderUploadState(id);
      })) && all;
  }
  return all;
}
