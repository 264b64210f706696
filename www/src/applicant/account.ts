// A signed-in applicant: sign in with the provincial identity platform (OIDC, the same
// authorization-code flow with PKCE as the staff pages) and see "我的申请" — the applications made
// while signed in (GET /v1/me/applications). The token opens no application by itself: each
// application is still opened with its capability link.
import { authFetch, signIn, signedIn, signOut } from '../auth';
import { h, clear } from '../dom';
import { t, tx, fmtDateTime } from '../i18n';
import type { Text } from '../types';

interface Mine {
  id: string;
  matter: string;
  status: string;
  created_at: string;
  number: string | null;
  case_state_label: Text;
}

let names: Record<string, Text> = {};

async function matterNames(): Promise<void> {
  if (Object.keys(names).length) return;
  type Summary = { id: string; name: Text };
  const body = (await fetch('/v1/matters')
    .then((r) => r.json())
    .catch(() => null)) as Summary[] | { matters?: Summary[] } | null;
  const list = Array.isArray(body) ? body : (body?.matters ?? []);
  names = Object.fromEntries(list.map((m) => [m.id, m.name]));
}

/** The account bar above the form: a sign-in link, or "我的申请". */
export async function renderAccount(): Promise<void> {
  const el = document.getElementById('account');
  if (!el) return;
  // Back from the identity platform with ?code=: finish signing in (this may reload the page).
  const params = new URLSearchParams(location.search);
  if (params.get('code') && params.get('state')) await signIn('applicant');
  if (!signedIn()) {
    clear(
      el,
      h(
        'p',
        { class: 'account-line' },
        h(
          'button',
          { type: 'button', class: 'button button-link', id: 'sign-in', onclick: () => void signIn('applicant') },
          t('accountSignIn'),
        ),
        ' ',
        h('span', { class: 'hint' }, t('accountHint')),
      ),
    );
    return;
  }
  let mine: Mine[] | null = null;
  try {
    const r = await authFetch('/v1/me/applications');
    if (r.ok) mine = (await r.json()).applications as Mine[];
    await matterNames();
  } catch (e) {
    console.warn('my applications', e);
  }
  clear(
    el,
    h(
      'section',
      { class: 'my-applications', id: 'my-applications', 'aria-labelledby': 'my-h' },
      h(
        'div',
        { class: 'account-head' },
        h('h2', { class: 'section-title', id: 'my-h' }, t('myApplications')),
        h(
          'button',
          {
            type: 'button',
            class: 'button button-link',
            id: 'sign-out',
            onclick: () => {
              signOut();
              void renderAccount();
            },
          },
          t('accountSignOut'),
        ),
      ),
      mine === null
        ? h('p', { class: 'inset inset-bad', role: 'alert' }, t('myFailed'))
        : mine.length === 0
          ? h('p', { class: 'hint', id: 'my-none' }, t('myNone'))
          : h(
              'ul',
              { class: 'my-list' },
              mine.map((a) =>
                h(
                  'li',
                  { 'data-application': a.id },
                  h('strong', null, a.number ?? t('myNoNumber')),
                  ' · ',
                  names[a.matter] ? tx(names[a.matter]) : a.matter,
                  ' · ',
                  a.status === 'draft' ? t('myDraft') : tx(a.case_state_label),
                  ' · ',
                  fmtDateTime(a.created_at),
                ),
              ),
            ),
    ),
  );
}
