// A plain hand-written JS validator of the typical form (bench/engine.rs: the generated
// `bench_typical` matter, 20 fields and 15 materials), written the way a channel checks its own
// form by hand: required fields, types and ranges, patterns, check digits of ID card and USCC
// numbers, calendar dates, phone shapes, conditional fields and materials, the material's form
// and medium. No prose, no dates, no notice: a list of { target, code } problems, like the
// engine's compact check (`checkCompact`), which bench/side_by_side.mjs times against it.
//
// It is the floor a hand-written form validator sets in the same process; it knows only this
// one form (a channel would write one per form), so it is not a second rule engine.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** 居民身份证号码 (GB 11643): 17 digits, a MOD 11-2 check character, a real birth date. */
function idCardOk(s, receivedOn) {
  if (!/^\d{17}[\dXx]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  if (ID_CHECK[sum % 11] !== s[17].toUpperCase()) return false;
  const born = s.slice(6, 14);
  return dateOk(`${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6)}`) && born <= receivedOn.replaceAll('-', '');
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** 统一社会信用代码 (GB 32100): 18 characters of its alphabet, a MOD 31 check character. */
function usccOk(s) {
  if (s.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const v = USCC_ALPHABET.indexOf(s[i].toUpperCase());
    if (v < 0) return false;
    if (i < 17) sum += v * USCC_WEIGHTS[i];
    else return v === (31 - (sum % 31)) % 31;
  }
  return false;
}

const PHONE = /^(?:(?:\+86)?[ -]?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** YYYY-MM-DD naming a day that exists. */
function dateOk(s) {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
}

const isText = (v) => typeof v === 'string' && v.trim() !== '';
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const CHOICES = new Set(['a', 'b', 'c']);
const KINDS = new Set(['enterprise_legal_person', 'other_organization']);

/** The typical form's fields: id → (value, submission) → problem code or null; `required`. */
const FIELDS = [
  ['f000', true, (v) => (isText(v) && [...v].length <= 100 ? null : 'too_long')],
  ['f001', true, (v) => (/^[A-Z]{2}[0-9]{6}$/.test(v) ? null : 'pattern_mismatch')],
  ['f002', true, (v) => (usccOk(v) ? null : 'invalid_uscc')],
  ['f003', true, (v, s) => (idCardOk(v, s.received_at.slice(0, 10)) ? null : 'invalid_id_card')],
  ['f004', true, (v) => (PHONE.test(v) ? null : 'invalid_phone')],
  ['f005', true, (v) => (isNumber(v) && v >= 0 && v <= 1000000 ? null : 'out_of_range')],
  ['f006', true, (v) => (isNumber(v) && v >= 0 ? null : 'out_of_range')],
  ['f007', true, (v) => (typeof v === 'boolean' ? null : 'wrong_type')],
  ['f008', true, (v) => (typeof v === 'boolean' ? null : 'wrong_type')],
  ['f009', true, (v) => (CHOICES.has(v) ? null : 'invalid_choice')],
  ['f010', true, (v) => (dateOk(v) ? null : 'invalid_date')],
  ['f011', false, (v) => (typeof v === 'string' && [...v].length <= 200 ? null : 'too_long')],
  ['f012', (f) => f.f007 === true, (v) => (isText(v) ? null : 'wrong_type')],
  ['f013', (f) => isNumber(f.f005) && f.f005 > 100, (v) => (isNumber(v) ? null : 'wrong_type')],
  ['f014', true, (v) => (CHOICES.has(v) ? null : 'invalid_choice')],
  ['f015', false, (v) => (dateOk(v) ? null : 'invalid_date')],
  ['f016', false, (v) => (PHONE.test(v) ? null : 'invalid_phone')],
  ['f017', false, (v) => (typeof v === 'boolean' ? null : 'wrong_type')],
  ['f018', true, (v) => (isText(v) && [...v].length >= 2 && [...v].length <= 50 ? null : 'length')],
  ['f019', (f) => f.f009 === 'a' || f.f009 === 'b', (v) => (isText(v) ? null : 'wrong_type')],
];

const ORIGINAL = new Set(['original', 'original_and_copy']);
const ANY_FORM = new Set(['original', 'copy', 'original_and_copy']);
const BOTH = new Set(['original_and_copy']);
const PAPER = new Set(['paper']);
const ELECTRONIC = new Set(['electronic']);
const EITHER = new Set(['paper', 'electronic']);
/** The typical form's materials: id, required (or a condition), accepted forms and media. */
const MATERIALS = [
  ['m000', true, ORIGINAL, EITHER],
  ['m001', true, ANY_FORM, EITHER],
  ['m002', true, BOTH, PAPER],
  ['m003', true, ORIGINAL, PAPER],
  ['m004', true, ANY_FORM, EITHER],
  ['m005', true, ANY_FORM, EITHER],
  ['m006', true, ORIGINAL, EITHER],
  ['m007', true, ANY_FORM, EITHER],
  ['m008', true, ORIGINAL, PAPER],
  ['m009', true, ANY_FORM, EITHER],
  ['m010', true, ORIGINAL, EITHER],
  ['m011', (s) => s.fields?.f007 === true, ANY_FORM, EITHER],
  ['m012', (s) => s.applicant?.kind === 'enterprise_legal_person', ORIGINAL, EITHER],
  ['m013', true, ORIGINAL, EITHER],
  ['m014', true, ORIGINAL, ELECTRONIC],
];

const FIELD_IDS = new Set(FIELDS.map((f) => f[0]));
const MATERIAL_IDS = new Set(MATERIALS.map((m) => m[0]));

/** The problems of a typical-form submission (an object), [] when it is complete. */
export function validateTypical(s) {
  const problems = [];
  if (!KINDS.has(s.applicant?.kind)) problems.push({ target: 'applicant', code: 'applicant_not_eligible' });
  const fields = s.fields ?? {};
  for (const [id, required, check] of FIELDS) {
    const v = fields[id];
    const needed = typeof required === 'function' ? required(fields) : required;
    if (v === undefined || v === null || v === '') {
      if (needed) problems.push({ target: id, code: 'field_missing' });
      continue;
    }
    const code = check(v, s);
    if (code) problems.push({ target: id, code });
  }
  const materials = s.materials ?? {};
  for (const [id, required, forms, media] of MATERIALS) {
    const m = materials[id];
    const needed = typeof required === 'function' ? required(s) : required;
    if (!m || m.status === 'missing') {
      if (needed) problems.push({ target: id, code: 'material_missing' });
      continue;
    }
    if (m.status === 'flawed') problems.push({ target: id, code: 'material_flawed' });
    else if (m.status !== 'provided') problems.push({ target: id, code: 'material_status' });
    else if (m.form && !forms.has(m.form)) problems.push({ target: id, code: 'wrong_form' });
    else if (m.medium && !media.has(m.medium)) problems.push({ target: id, code: 'wrong_medium' });
  }
  for (const id in fields) if (!FIELD_IDS.has(id)) problems.push({ target: id, code: 'unknown_field' });
  for (const id in materials) if (!MATERIAL_IDS.has(id)) problems.push({ target: id, code: 'unknown_material' });
  return problems;
}
