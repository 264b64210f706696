// A tiny static server for the browser benchmarks, on 127.0.0.1 (random port): /pkg/ → pkg/,
// /bench/ → bench/, /tests/wasm/ → tests/wasm/ (the signed-rules loader), everything else → www/dist/ (the built web forms). Cross-origin isolated
// (COOP/COEP), so performance.now() has its fine resolution in Chromium.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export async function serve(root) {
  const mounts = [
    ['/pkg/', join(root, 'pkg')],
    ['/bench/', join(root, 'bench')],
    ['/tests/wasm/', join(root, 'tests/wasm')],
    ['/', join(root, 'www/dist')],
  ];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
    let file = normalize(join(dir, path.slice(prefix.length) || 'index.html'));
    if (file !== dir && !file.startsWith(dir + sep)) file = null;
    try {
      if (!file) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
