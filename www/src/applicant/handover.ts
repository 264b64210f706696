// Hand-over: the answers stored on the server under a short code (with its QR code) for the window.
import { h, clear } from '../dom';
import { t } from '../i18n';
import { S, currentSubmission } from './state';

/** Stores this pre-check under a short code for the window (the kiosk offers the same). */
export async function getHandover(): Promise<void> {
  const box = document.getElementById('handover');
  if (!box || !S.def) return;
  box.hidden = false;
  const title = h('h2', { class: 'panel-title' }, t('handoverTitle'));
  const { received_at: _clientClock, ...submission } = currentSubmission();
  try {
    const r = await fetch('/v1/handover', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ matter: S.matterId, submission }),
    });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const answer = await r.json();
    const code = String(answer.code ?? '');
    clear(
      box,
      title,
      h('p', { class: 'handover-code', id: 'handover-code' }, code),
      h('img', {
        class: 'handover-qr',
        src: `/v1/handover/${encodeURIComponent(code)}/qr.svg`,
        alt: `${t('handoverQr')} ${code}`,
        width: '160',
        height: '160',
      }),
      h('p', null, t('handoverHintOnline', { hours: Number(answer.valid_hours) })),
    );
  } catch (e) {
    console.warn('hand-over', e);
    clear(box, title, h('p', { class: 'inset inset-bad', role: 'alert' }, t('handoverFailedOnline')));
  }
  box.focus?.();
}
