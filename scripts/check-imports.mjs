#!/usr/bin/env node
// Fails when the TypeScript files under a folder (default www/src) import each other in a
// circle. Reads the import/export lines (`import … from './x'`, `import './x'`, `export … from`,
// `import('./x')`), resolves relative specifiers to .ts files, and prints every circle found.
//
//   node scripts/check-imports.mjs [DIR]
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';

const root = resolve(process.argv[2] ?? 'www/src');

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function target(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const p of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (p.startsWith(root) && p.endsWith('.ts') && existsSync(p)) return p;
  }
  return null; // CSS, pkg/ or outside the folder
}

const spec = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const f of files(root)) {
  const text = readFileSync(f, 'utf8');
  const deps = new Set();
  for (const m of text.matchAll(spec)) {
    const t = target(f, m[1] ?? m[2] ?? m[3]);
    if (t) deps.add(t);
  }
  graph.set(f, [...deps]);
}

// Depth-first search; a back edge to a file on the current path closes a circle.
const circles = [];
const state = new Map(); // 1 = on the path, 2 = done
function visit(f, path) {
  state.set(f, 1);
  path.push(f);
  for (const d of graph.get(f) ?? []) {
    if (state.get(d) === 1) circles.push([...path.slice(path.indexOf(d)), d]);
    else if (!state.get(d)) visit(d, path);
  }
  path.pop();
  state.set(f, 2);
}
for (const f of graph.keys()) if (!state.get(f)) visit(f, []);

const rel = (p) => relative(root, p);
const edges = [...graph.values()].reduce((n, d) => n + d.length, 0);
if (circles.length) {
  for (const c of circles) console.error(`import circle: ${c.map(rel).join(' → ')}`);
  process.exit(1);
}
console.log(`check-imports: ${graph.size} files, ${edges} imports, no circle (${relative(process.cwd(), root) || '.'})`);
