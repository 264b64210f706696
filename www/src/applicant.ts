// Applicant page (online application). Renders the matter from matter(id) and the engine's verdict.
// The page's parts live in ./applicant/: state, form, drafts, uploads, hand-over, submit, receipt.
import './styles.css';
import './upload.css';
import { h, clear, $ } from './dom';
import { engineMessage, loadEngine, type Engine } from './engine';
import { initLang, onLangChange, t } from './i18n';
import { renderHeader } from './ui';
import { Rechecker } from './recheck';
import type { MatterDef } from './types';
import { S } from './applicant/state';
import { loadDraft, applyDraft, type Draft } from './applicant/drafts';
import { completeForm, renderAll, restoreDraft, selectMatter } from './applicant/form';
import { verifyView } from './applicant/receipt';
import { applicationView } from './applicant/mine';
import { openCapabilityLink } from './register';
import { renderAccount } from './applicant/account';

async function main(): Promise<void> {
  initLang(true);
  const header = $('#site-header');
  renderHeader(header, 'applicantTitle', { langToggle: true });
  const main = $('#main');
  clear(main, h('p', { class: 'loading' }, t('loading')));
  const verifyNo = new URLSearchParams(location.search).get('verify');
  if (verifyNo) {
    await verifyView(main, verifyNo);
    return;
  }
  // The receipt's capability link: the capability from the fragment, kept in memory only.
  const mine = openCapabilityLink();
  if (mine) {
    await applicationView(main, mine);
    return;
  }
  // The signed-in applicant's "我的申请" (or the sign-in link), above the form.
  void renderAccount();
  const fromUrl = new URLSearchParams(location.search).get('matter');
  const draft = loadDraft();
  const want = fromUrl ?? draft?.matterId ?? null;

  onLangChange(() => {
    renderHeader(header, 'applicantTitle', { langToggle: true });
    renderAll();
    void renderAccount();
  });
  const engineArrives = loadEngine(want);
  // A matter in the URL (or a draft): its questions from the server while the engine loads.
  const early = want ? earlyForm(want, draft) : Promise.resolve(false);
  let engine: Engine;
  try {
    engine = await engineArrives;
  } catch (e) {
    const slot = document.getElementById('rest-slot');
    const why = engineMessage(e);
    const failed = h(
      'div',
      { class: 'inset inset-bad', role: 'alert', id: 'engine-failed' },
      t('engineFailed'),
      why ? h('p', { class: 'engine-error' }, why) : null,
    );
    if (slot) slot.replaceWith(failed);
    else clear(main, failed);
    console.error(e);
    return;
  }
  S.engine = engine;
  S.checker = new Rechecker(engine);
  S.matters = engine.matters();
  if ((await Promise.race([early, Promise.resolve(false)])) && S.def && S.matterId === want) {
    completeForm();
  } else if (want && S.matters.some((m) => m.id === want)) {
    await selectMatter(want);
    if (draft && draft.matterId === want) restoreDraft(draft);
  } else renderAll();
  document.body.dataset.ready = 'true';
}

/** The questions of a matter from `GET /v1/matters/{id}`, before the engine is there. */
async function earlyForm(id: string, draft: Draft | null): Promise<boolean> {
  try {
    const res = await fetch(`/v1/matters/${encodeURIComponent(id)}`);
    if (!res.ok) return false;
    const def = (await res.json()) as MatterDef;
    if (S.engine || !Array.isArray(def?.fields ?? []) || !Array.isArray(def?.materials)) return false;
    S.matterId = id;
    S.def = def;
    S.kind = def.applicant_kinds[0];
    if (draft && draft.matterId === id) applyDraft(draft);
    renderAll();
    document.body.dataset.early = 'true';
    return true;
  } catch {
    return false;
  }
}

main();
