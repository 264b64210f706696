// The pages' own words. Every label of a matter, field, material, finding, outcome, document or
// engine concept (applicant kinds, channels, material forms and statuses, pledge blocks) comes
// from the engine's {zh, en} texts and its labels(); this dictionary holds only the chrome around
// them.
import type { Labels, PledgeBlock, Text } from './types';

export type Lang = 'zh' | 'en';

const LANG_KEY = 'qiquan.lang';
let lang: Lang = 'zh';
const listeners: (() => void)[] = [];

export function initLang(allowEn = true): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  let stored: string | null = null;
  try { stored = localStorage.getItem(LANG_KEY); } catch { /* private mode */ }
  const want = fromUrl ?? stored;
  lang = allowEn && want === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  return lang;
}

export function getLang(): Lang { return lang; }

export function setLang(l: Lang): void {
  lang = l;
  try { localStorage.setItem(LANG_KEY, l); } catch { /* ignore */ }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((f) => f());
}

export function onLangChange(f: () => void): void { listeners.push(f); }

/** An engine text in the current language. */
export function tx(t: Text | null | undefined): string {
  if (!t) return '';
  return lang === 'en' ? t.en : t.zh;
}

const D = {
  site: { zh: '政务服务中心', en: 'Government Service Centre' },
  siteSub: { zh: '申请材料齐全性预审', en: 'Application completeness check' },
  langToggle: { zh: 'English', en: '中文' },
  langToggleLabel: { zh: 'Switch to English', en: '切换为中文' },
  skip: { zh: '跳到主要内容', en: 'Skip to main content' },
  loading: { zh: '正在加载审查引擎…', en: 'Loading the checking engine…' },
  engineFailed: { zh: '审查引擎加载失败，请刷新页面重试。', en: 'The checking engine could not be loaded. Please reload the page.' },
  applicantTitle: { zh: '网上申请', en: 'Apply online' },
  applicantLead: {
    zh: '选择办理事项，填写申请信息并上传申请材料。页面会即时告诉您材料是否齐全；提交后以服务器复核结果为准。',
    en: 'Choose a service, fill in the form and upload the materials. The page tells you at once whether the application is complete; after you submit, the server’s re-check is what counts.',
  },
  matter: { zh: '办理事项', en: 'Service' },
  chooseMatter: { zh: '请选择事项', en: 'Choose a service' },
  department: { zh: '实施机关', en: 'Department' },
  legalBasis: { zh: '设定依据', en: 'Legal basis' },
  version: { zh: '版本', en: 'Version' },
  applicantKind: { zh: '申请人类型（服务对象）', en: 'Applicant type' },
  badCredit: { zh: '申请人存在未修复的失信记录', en: 'The applicant has an unrepaired bad-credit record' },
  creditStanding: { zh: '信用状况', en: 'Credit standing' },
  formInfo: { zh: '申请信息', en: 'Application details' },
  materials: { zh: '申请材料', en: 'Materials' },
  materialsLead: {
    zh: '每项材料选择一个文件（PDF、JPG 或 PNG）。提交时文件上传到服务器，服务器按实际收到的文件审查。',
    en: 'Choose one file (PDF, JPG or PNG) per material. On submitting, the files are uploaded to the server, which checks what it actually received.',
  },
  key: { zh: '主件', en: 'Key' },
  tolerable: { zh: '可容缺', en: 'May be pledged' },
  optional: { zh: '（选填）', en: '(optional)' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  chooseFile: { zh: '选择文件', en: 'Choose file' },
  removeFile: { zh: '移除', en: 'Remove' },
  provided: { zh: '已提供', en: 'Provided' },
  notProvided: { zh: '未提供', en: 'Not provided' },
  acceptanceStandard: { zh: '受理标准', en: 'Acceptance standard' },
  issuer: { zh: '出具机构', en: 'Issued by' },
  basis: { zh: '依据', en: 'Basis' },
  errorSummary: { zh: '有以下问题需要处理', en: 'There is a problem' },
  errorSummaryPledge: { zh: '以下材料尚未提交', en: 'These materials are still to come' },
  showAllProblems: { zh: '显示全部待处理问题（{n}项）', en: 'Show all {n} outstanding problems' },
  noProblems: { zh: '材料齐全，未发现问题。', en: 'Complete: no problems found.' },
  result: { zh: '预审结果', en: 'Result of the check' },
  outcomeNow: { zh: '当前结果', en: 'Current result' },
  datesIfToday: { zh: '如今天受理', en: 'If accepted today' },
  receivedAt: { zh: '收件时间', en: 'Received' },
  acceptedOn: { zh: '受理日期', en: 'Acceptance date' },
  acceptedOnOnline: { zh: '网上申请于收件后的下一个工作日生成受理通知。', en: 'For online applications the acceptance notice is issued on the next working day after receipt.' },
  promisedDue: { zh: '承诺办结日期', en: 'Promised decision date' },
  statutoryDue: { zh: '法定办结期限', en: 'Statutory deadline' },
  extendedDue: { zh: '经批准延长后', en: 'If extended with approval' },
  pledgeDue: { zh: '容缺材料补交期限', en: 'Pledged materials due' },
  clockWaits: { zh: '办理时限自材料补齐之日起计算。', en: 'The processing time runs from the day the materials are complete.' },
  provisional: {
    zh: '暂定日期：其中部分日期所在年份的节假日安排尚未公布，暂按周一至周五工作、扣除法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）计算，未计调休，国务院公布安排后可能调整。',
    en: 'Provisional: some dates fall in a year whose holiday arrangement has not been published yet. They count Monday–Friday less the statutory holidays (New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day), without make-up working days, and may move once the State Council publishes the arrangement.',
  },
  pausedDays: { zh: '特别程序不计入时限的天数', en: 'Days not counted (special procedures)' },
  pledgeTitle: { zh: '容缺受理：信用承诺', en: 'Accept now on a credit pledge' },
  pledgeLead: {
    zh: '主件齐全，仅有可容缺材料未提交。签署信用承诺书后可先行受理，请在期限内补交以下材料：',
    en: 'The key materials are complete; only materials that may be pledged are missing. Sign the credit pledge to be accepted now and supply these by the dates shown:',
  },
  pledgeItem: { zh: '材料', en: 'Material' },
  pledgeItemDue: { zh: '补交期限', en: 'Due' },
  pledgeAllDue: { zh: '全部补齐期限', en: 'Everything due by' },
  pledgeTerms: { zh: '承诺内容', en: 'Terms' },
  pledgeSign: { zh: '本人已阅读上述承诺内容，同意签署《容缺受理信用承诺书》', en: 'I have read the terms and sign the credit pledge' },
  pledgeSigned: { zh: '已签署信用承诺', en: 'Credit pledge signed' },
  pledgeBlocked: { zh: '暂不能容缺受理', en: 'A pledge is not possible yet' },
  submit: { zh: '提交申请', en: 'Submit application' },
  submitting: { zh: '正在提交，服务器复核中…', en: 'Submitting; the server is re-checking…' },
  submitFailed: { zh: '提交失败：无法连接服务器，申请未提交。请稍后重试。', en: 'Submission failed: the server could not be reached and nothing was submitted. Please try again later.' },
  serverResult: { zh: '服务器复核结果', en: 'Server’s re-check' },
  serverAgrees: { zh: '服务器复核结果与页面预审一致。', en: 'The server’s re-check agrees with the page.' },
  serverDisagrees: {
    zh: '服务器复核结果与页面预审结果不一致，以服务器结果为准。下方显示的是服务器的结果。',
    en: 'The server’s re-check differs from the page’s check. The server’s verdict is the one that counts; it is shown below.',
  },
  receipt: { zh: '受理回执', en: 'Receipt' },
  receiptNo: { zh: '回执编号', en: 'Receipt number' },
  receiptDocument: { zh: '文书', en: 'Document' },
  receiptOffice: { zh: '办理机构', en: 'Issuing office' },
  issuedAt: { zh: '签发时间', en: 'Issued at' },
  signature: { zh: '电子签名', en: 'Signature' },
  keyId: { zh: '签名密钥', en: 'Signing key' },
  noReceipt: { zh: '申请未被受理，未生成回执。请按一次性告知内容补正后重新提交。', en: 'The application was not accepted, so there is no receipt. Correct everything in the notice and submit again.' },
  fieldsNeeded: { zh: '申请信息', en: 'Details' },
  print: { zh: '打印', en: 'Print' },
  printAll: { zh: '全部打印', en: 'Print all' },
  printOnly: { zh: '只打印', en: 'Print only the ' },
  clerkTitle: { zh: '窗口收件', en: 'Window intake' },
  clerkLead: { zh: '逐项登记收到的材料，结果实时更新；按结果打印相应文书。', en: 'Record each material as received; the result updates live. Print the document that fits the result.' },
  received: { zh: '收取情况', en: 'Received as' },
  requirement: { zh: '要求', en: 'Required' },
  flawNote: { zh: '瑕疵说明', en: 'What is wrong' },
  flawNoteHint: { zh: '例如：未加盖公章', en: 'e.g. not stamped' },
  pledgeSignedClerk: { zh: '申请人已签署《容缺受理信用承诺书》', en: 'The applicant has signed the credit pledge' },
  findings: { zh: '审查意见', en: 'Findings' },
  kioskTitle: { zh: '自助申报', en: 'Self-service' },
  notApplicable: { zh: '本项不适用', en: 'Not applicable' },
  engineInfo: { zh: '审查引擎', en: 'Engine' },
  rulesDigest: { zh: '规则摘要', en: 'Rules digest' },
  none: { zh: '无', en: 'none' },
  footer: { zh: '齐全（qiquan）申请材料齐全性审查 · 规则与结果均由审查引擎给出，页面不含审查规则', en: 'qiquan application completeness check · every rule and result comes from the checking engine; the pages hold no rules' },
  footerApplicant: { zh: '网上申请', en: 'Apply online' },
  footerClerk: { zh: '窗口收件', en: 'Window intake' },
  footerKiosk: { zh: '自助终端', en: 'Self-service kiosk' },
  draftSaved: { zh: '您填写的内容只保存在本设备的浏览器中（不含所选文件），关闭页面后再打开可继续填写。', en: 'Your answers are kept only in this device’s browser (not the chosen files), so you can come back to them.' },
  clearData: { zh: '清除本设备上的填写内容', en: 'Clear my data from this device' },
  dataCleared: { zh: '已清除本设备上保存的填写内容。', en: 'Your saved answers have been cleared from this device.' },
  draftRestored: { zh: '已恢复您上次在本设备上填写的内容。', en: 'Your answers from last time on this device have been restored.' },
  progress: { zh: '已完成 {done} / {total} 项', en: '{done} of {total} done' },
  searchMatter: { zh: '查找办理事项', en: 'Find your service' },
  searchHint: { zh: '可输入事项名称、拼音首字母（如 ggcs）、部门或所需材料', en: 'Type a name, pinyin initials (e.g. ggcs), a department or a material' },
  searchPlaceholder: { zh: '例如：卫生许可、ggcs', en: 'e.g. hygiene, ggcs' },
  matterCount: { zh: '找到 {n} 个事项', en: '{n} services found' },
  changeMatter: { zh: '更换事项', en: 'Change service' },
  keepMatter: { zh: '不更换，继续填写', en: 'Keep this service' },
  aboutMatter: { zh: '事项信息（实施机关、设定依据、版本）', en: 'About this service (department, legal basis, version)' },
  switchConfirm: { zh: '更换事项将清除您已填写的内容和已选择的文件。确定更换吗？', en: 'Changing the service clears your answers and chosen files. Change anyway?' },
  switchYes: { zh: '确定更换', en: 'Yes, change' },
  switchNo: { zh: '取消', en: 'Cancel' },
  notStarted: { zh: '尚未填写', en: 'Not started yet' },
  notStartedHint: { zh: '开始填写后，这里即时显示预审结果。', en: 'The result of the check appears here once you start filling in the form.' },
  pleaseChoose: { zh: '请选择', en: 'Please choose' },
  maxLength: { zh: '最多 {n} 个字', en: 'Up to {n} characters' },
  charCount: { zh: '已输入 {n} / {max} 个字', en: '{n} of {max} characters' },
  maxLengthReached: { zh: '已达到 {n} 个字的上限，超出的文字不会被填入', en: 'You have reached the limit of {n} characters; anything more is not taken' },
  normalisedAs: { zh: '已识别为：{v}', en: 'Read as: {v}' },
  submitted: { zh: '已提交', en: 'Submitted' },
  acceptedTitle: { zh: '申请已受理', en: 'Your application has been accepted' },
  caseNumber: { zh: '受理编号', en: 'Case number' },
  stillOwed: { zh: '还需补交的材料', en: 'Still to be supplied' },
  nextSteps: { zh: '接下来', en: 'What happens next' },
  printReceipt: { zh: '打印或保存回执（PDF）', en: 'Print or save the receipt (PDF)' },
  verifyReceipt: { zh: '核验回执', en: 'Verify the receipt' },
  verifyCode: { zh: '核验码', en: 'Verification code' },
  verifyOk: { zh: '核验通过：回执由本中心签发，内容未被改动。', en: 'Verified: the receipt was issued by this centre and has not been altered.' },
  verifyBad: { zh: '核验未通过：回执内容与签名不符。', en: 'Not verified: the receipt does not match its signature.' },
  verifyLink: { zh: '核验网址', en: 'Verify at' },
  verifyTitle: { zh: '核验回执', en: 'Verify a receipt' },
  verifying: { zh: '正在核验…', en: 'Verifying…' },
  verifyUnavailable: { zh: '暂时无法在线核验此回执，请联系办理机构。', en: 'This receipt cannot be verified online just now; please contact the issuing office.' },
  datesOfCase: { zh: '办理时限', en: 'Dates of your case' },
  resultNotAccepted: { zh: '申请未被受理', en: 'Your application was not accepted' },
} satisfies Record<string, Text>;

export type Key = keyof typeof D;

export function t(k: Key, vars?: Record<string, string | number>): string {
  let s = tx(D[k]);
  if (vars) for (const [n, v] of Object.entries(vars)) s = s.replace(`{${n}}`, String(v));
  return s;
}

export function both(k: Key): Text { return D[k]; }

let labels: Labels | null = null;

/** Set once the engine is loaded (engine.ts). */
export function setEngineLabels(l: Labels): void { labels = l; }

/** The engine's labels (applicant kinds, channels, material forms, statuses, pledge blocks, documents). */
export function engineLabels(): Labels {
  if (!labels) throw new Error('engine labels are not loaded yet');
  return labels;
}

/** Why a pledge cannot be used, in the engine's words. */
export function blockedReason(code: PledgeBlock): string {
  return tx(engineLabels().pledge_blocks[code]);
}

export function fmtDate(d: string | null | undefined): string {
  if (!d) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return d;
  return lang === 'zh' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d;
}

export function fmtDateTime(s: string | null | undefined): string {
  if (!s) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  return lang === 'zh' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日 ${m[4]}:${m[5]}` : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]} (UTC+8)`;
}
