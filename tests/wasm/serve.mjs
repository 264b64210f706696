// A tiny static file server for the browser tests: 127.0.0.1 only, a random port, only the
// paths the pages need. `GET /__cases` lists the conformance cases (paths under
// tests/conformance/, in the native runner's order).
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { join, normalize, extname, relative } from 'node:path';
import { statSync } from 'node:fs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};
const ALLOWED = ['pkg/', 'tests/wasm/', 'tests/conformance/'];

export async function listCases(dir, base = dir) {
  const out = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...(await listCases(path, base)));
    else if (name.endsWith('.json') && !name.endsWith('.expected.json'))
      out.push(relative(base, path).split('\\').join('/'));
  }
  return out;
}

/** Starts the server; resolves to { url, close }. */
export function serve(root) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname).slice(1);
      if (path === '__cases') {
        res.writeHead(200, { 'content-type': TYPES['.json'] });
        res.end(JSON.stringify(await listCases(join(root, 'tests/conformance'))));
        return;
      }
      const clean = normalize(path);
      if (clean.startsWith('..') || !ALLOWED.some((p) => clean.startsWith(p))) {
        res.writeHead(404).end();
        return;
      }
      const body = await readFile(join(root, clean));
      res.writeHead(200, {
        'content-type': TYPES[extname(clean)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
