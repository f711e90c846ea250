// Builds the web app into dist/: type-checks (tsc), bundles and minifies (esbuild) into
// dist/static/ with content-hashed names, and writes dist/index.html pointing at them. The
// hoglet build embeds dist/ (cmake/embed_web_assets.cmake). Usage: node build.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const JS_BUDGET_GZIP_BYTES = 400 * 1024;  // the app's JavaScript, gzipped

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root],
             { stdio: 'inherit' });

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const result = await esbuild.build({
  entryPoints: [join(root, 'src/main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outdir: join(dist, 'static'),
  entryNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) =>
  '/' + relative(dist, join(process.cwd(), file)).split('\\').join('/'));
const script = outputs.find((file) => file.endsWith('.js'));
const style = outputs.find((file) => file.endsWith('.css'));
writeFileSync(join(dist, 'index.html'), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hoglet</title>
${style ? `<link rel="stylesheet" href="${style}">` : ''}
<script type="module" src="${script}"></script>
</head>
<body><div id="app"></div></body>
</html>
`);
const jsBytes = outputs.filter((file) => file.endsWith('.js'))
  .reduce((total, file) => total + gzipSync(readFileSync(join(dist, file))).length, 0);
console.log(`web: built ${outputs.join(', ')} (JavaScript ${(jsBytes / 1024).toFixed(1)} kB gzipped, ` +
            `budget ${JS_BUDGET_GZIP_BYTES / 1024} kB)`);
if (jsBytes > JS_BUDGET_GZIP_BYTES) {
  console.error('web: the JavaScript is over its size budget');
  process.exit(1);
}
