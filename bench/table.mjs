// The one table of scripts/bench.sh: the rows of bench/side_by_side.mjs (`--rows FILE`) followed
// by one row per `RATIO name value goal…` line any benchmark printed (collected by bench.sh),
// each with its goal and whether it is met. Writes Markdown and prints the table.
//
//   node bench/table.mjs --rows bench/out/rows.json --ratios bench/out/ratios.txt --markdown bench/out/table.md
//
// RATIO lines: `RATIO <name> <value> goal<op><x>` or `RATIO <name> <value> goal <x>`; <op> is one
// of <= >= < > (a bare goal means <=: a ratio of times, lower is better). The last line of a
// name wins (a benchmark run twice reports its latest).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const rowsFile = arg('--rows');
const ratiosFile = arg('--ratios');
const markdownOut = arg('--markdown');

const base = rowsFile && existsSync(rowsFile)
  ? JSON.parse(readFileSync(rowsFile, 'utf8'))
  : { header: ['case', 'runtime', 'median', 'p99', 'ratio', 'goal'], table: [], machine: 'side_by_side.mjs did not run' };

/** Parses RATIO lines → [{ name, value, op, goal }], the last per name, in first-seen order. */
export function parseRatios(text) {
  const byName = new Map();
  for (const line of text.split('\n')) {
    const m = /^RATIO\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const g = /goal\s*(<=|>=|≤|≥|<|>)?\s*([-+0-9.eE]+)/.exec(m[3]);
    const op = { '≤': '<=', '≥': '>=' }[g?.[1]] ?? g?.[1] ?? '<=';
    byName.set(m[1], { name: m[1], value: Number(m[2]), op, goal: g ? Number(g[2]) : null });
  }
  return [...byName.values()];
}

function met({ value, op, goal }) {
  if (goal === null || Number.isNaN(value)) return '?';
  const ok = { '<=': value <= goal, '>=': value >= goal, '<': value < goal, '>': value > goal }[op];
  return ok ? 'met' : 'NOT met';
}

const ratios = ratiosFile && existsSync(ratiosFile) ? parseRatios(readFileSync(ratiosFile, 'utf8')) : [];
const shown = { '<=': '≤', '>=': '≥', '<': '<', '>': '>' };
const table = [
  ...base.table,
  ...ratios.map((r) => [
    `RATIO ${r.name}`, 'ratio', '', '', String(r.value),
    r.goal === null ? '' : `${shown[r.op]} ${r.goal} (${met(r)})`,
  ]),
];
const { header } = base;
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => [...t[i]].length)));
const line = (cells) => cells.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));
console.log(`\n${base.date ?? new Date().toISOString().slice(0, 10)} — ${base.machine}`);
if (markdownOut) {
  writeFileSync(markdownOut, [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...table.map((t) => `| ${t.join(' | ')} |`),
    '',
    `${base.date ?? new Date().toISOString().slice(0, 10)} — ${base.machine}`,
    '',
  ].join('\n'));
}
