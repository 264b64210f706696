// Finding one's matter: a search box over the engine's matter list (name, pinyin initials,
// department, legal basis, material names), results grouped by department and sorted by their
// Chinese names in pinyin order. Choosing is a click or Enter on a result: moving through the
// list with the arrow keys never rebuilds the form.
import { h, clear } from './dom';
import { t, tx, getLang } from './i18n';
import type { MatterSummary } from './types';

const collator = new Intl.Collator('zh-u-co-pinyin');

/**
 * The first character of each initial's range in the pinyin collation (no syllable starts with
 * i, u or v). A character's initial is the last letter whose first character sorts at or before
 * it: the browser's own pinyin collation (ICU) decides, so no table of words or matters is kept.
 */
const LETTERS = 'ABCDEFGHJKLMNOPQRSTWXYZ';
const FIRSTS = '阿八嚓哒妸发旮哈讥咔垃痳拏噢妑七呥仨他穵夕丫帀';

function initial(ch: string): string {
  if (/[a-z0-9]/i.test(ch)) return ch.toLowerCase();
  if (!/\p{Script=Han}/u.test(ch)) return '';
  let letter = '';
  for (let i = 0; i < FIRSTS.length; i++) {
    if (collator.compare(ch, FIRSTS[i]) >= 0) letter = LETTERS[i].toLowerCase();
    else break;
  }
  return letter;
}

/** 公共场所卫生许可 → "ggcswsxk". */
export function pinyinInitials(s: string): string {
  return [...s].map(initial).join('');
}

export interface FinderOpts {
  matters: MatterSummary[];
  current: string;
  /** Extra words per matter (material names), fetched when the person first searches. */
  keywords: (id: string) => string;
  /** Loads what keywords() needs (every matter's rules), on the first search. */
  prepare?: () => Promise<void>;
  onPick: (id: string) => void;
}

interface Entry {
  m: MatterSummary;
  hay: string;
  initials: string;
}

export function sortedByName(ms: MatterSummary[]): MatterSummary[] {
  return [...ms].sort((a, b) => collator.compare(a.name.zh, b.name.zh));
}

/** The finder: a search field and the grouped result list. Returns its element. */
export function renderFinder(o: FinderOpts): HTMLElement {
  let entries: Entry[] | null = null;
  const build = (): Entry[] =>
    sortedByName(o.matters).map((m) => ({
      m,
      initials: pinyinInitials(m.name.zh),
      hay: [m.id, m.name.zh, m.name.en, m.department.zh, m.department.en, o.keywords(m.id)].join(' ').toLowerCase(),
    }));
  const list = h('div', { class: 'finder-results', id: 'matter-results' });
  const count = h('p', { class: 'hint', id: 'matter-count', role: 'status' });
  const input = h('input', {
    type: 'search',
    id: 'matter-search',
    class: 'input',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: t('searchPlaceholder'),
    'aria-describedby': 'matter-search-hint matter-count',
    'aria-controls': 'matter-results',
  });
  let preparing: Promise<void> | null = null;
  // Until every matter's material names are in, an empty result is not yet an answer.
  let prepared = !o.prepare;
  const show = () => {
    const q = input.value.trim().toLowerCase();
    if (q && !preparing && o.prepare) {
      // Material names are in each matter's rules: load them all once, then search again.
      preparing = o.prepare().then(
        () => {
          prepared = true;
          entries = null;
          show();
        },
        () => {
          prepared = true;
          show();
        },
      );
    }
    if (q && !entries) entries = build();
    const all = entries ?? sortedByName(o.matters).map((m) => ({ m, hay: '', initials: '' }));
    const hits = q ? all.filter((e) => e.hay.includes(q) || e.initials.startsWith(q) || e.initials.includes(q)) : all;
    const groups = new Map<string, Entry[]>();
    for (const e of hits) groups.set(tx(e.m.department), [...(groups.get(tx(e.m.department)) ?? []), e]);
    const names = [...groups.keys()].sort((a, b) => collator.compare(a, b));
    clear(
      list,
      names.map((d, gi) =>
        h(
          'section',
          { class: 'finder-group', 'aria-labelledby': `fgh-${gi}` },
          h('h3', { class: 'finder-dept', id: `fgh-${gi}` }, d),
          h(
            'ul',
            { class: 'finder-list' },
            groups.get(d)!.map((e) =>
              h(
                'li',
                null,
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'finder-item',
                    'data-pick-matter': e.m.id,
                    'aria-current': e.m.id === o.current ? 'true' : null,
                    onclick: () => o.onPick(e.m.id),
                  },
                  tx(e.m.name),
                ),
              ),
            ),
          ),
        ),
      ),
    );
    count.textContent =
      q && !prepared && hits.length === 0 ? t('searchingMaterials') : t('matterCount', { n: hits.length });
  };
  input.addEventListener('input', show);
  // Enter in the search field picks the only (or first) result; arrows move between results.
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      list.querySelector<HTMLButtonElement>('[data-pick-matter]')?.click();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      list.querySelector<HTMLButtonElement>('[data-pick-matter]')?.focus();
    }
  });
  list.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...list.querySelectorAll<HTMLButtonElement>('[data-pick-matter]')];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    e.preventDefault();
    const next = items[i + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) next.focus();
    else if (e.key === 'ArrowUp') input.focus();
  });
  show();
  return h(
    'div',
    { class: 'finder', lang: getLang() === 'zh' ? null : 'en' },
    h('label', { class: 'label', for: 'matter-search' }, t('searchMatter')),
    h('p', { class: 'hint', id: 'matter-search-hint' }, t('searchHint')),
    input,
    count,
    list,
  );
}
