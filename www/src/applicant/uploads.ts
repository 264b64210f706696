// Uploads: each material's file (or 告知承诺 instead), its upload state, and sending the chosen
// files to the case register with progress and retries.
import { h, $ } from '../dom';
import { t, tx, engineLabels } from '../i18n';
import { materialTags, materialDetails } from '../ui';
import { uploadWithRetry } from '../register';
import type { MatterDef } from '../types';
import { S } from './state';

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
    x.form && x.form !== 'copy'
      ? h('p', { class: 'hint upload-original', 'data-upload-original': '' }, tx(engineLabels().upload_original))
      : null,
    h('p', { class: 'field-error', id: `me-${x.id}`, hidden: true }),
    h(
      'div',
      { class: 'upload' },
      h('input', {
        type: 'file',
        id: inputId,
        class: 'file-input visually-hidden-focusable',
        'aria-describedby': `me-${x.id} ms-${x.id}`,
        'aria-label': `${t('chooseFile')}：${tx(x.name)}`,
        onchange: (e: Event) => {
          const input = e.target as HTMLInputElement;
          const f = input.files?.[0];
          if (f) {
            S.files[x.id] = f.name;
            S.fileObjs[x.id] = f;
            delete S.uploads[x.id];
            S.materials[x.id] = { status: 'provided', medium: 'electronic' };
          }
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
      h(
        'button',
        {
          type: 'button',
          class: 'button button-link',
          id: `mr-${x.id}`,
          hidden: !fileName,
          onclick: () => {
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
