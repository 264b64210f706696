// 关怀模式 (工信部《互联网应用适老化及无障碍改造专项行动方案》; GB/T 37668-2019): large type (body
// ≥ 18 px), higher contrast and more space, switched on every page and kept across pages (this
// device's localStorage). Only the page's presentation changes: the engine's answers are the same.
const KEY = 'qiquan.care';

export function careOn(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

/** Puts the page in (or out of) care mode as stored. */
export function applyCare(): void {
  if (careOn()) document.documentElement.dataset.care = 'on';
  else delete document.documentElement.dataset.care;
}

export function setCare(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    /* private mode: this page only */
  }
  if (on) document.documentElement.dataset.care = 'on';
  else delete document.documentElement.dataset.care;
}
