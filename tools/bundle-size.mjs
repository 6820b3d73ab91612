#!/usr/bin/env node
// What a browser downloads from /pkg, raw, gzip -9 and brotli -q 11 (the
// .gz/.br copies the release build writes and the server sends, or computed
// the same way when they are missing):
//
// - every file of the bundle and the whole bundle,
// - per route, the WASM + JS a first visit transfers: the main module, its
//   JS and the split loader, plus the modules the split manifest
//   (split-manifest.json) lists for the route's lazy page group.
//   Which group a route shows is read from the router (app/src/lib.rs) and
//   the group table (app/src/shell/lazy.rs), so nothing here names a chunk.
//
// With --check it also holds the bundle to bundle-budget.toml and exits 1
// when a limit is exceeded.
//
// Usage: node tools/bundle-size.mjs <pkg dir> [--check]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN_WASM = 'aktenwerk.wasm';
const MAIN_JS = 'aktenwerk.js';
const MANIFEST = 'split-manifest.json';
/** Routes whose first visit is reported: login, start, a clerk's and a
 * trainee's first steps, and the heavier pages of each group. */
const ROUTES = [
  '/anmelden',
  '/',
  '/posteingang',
  '/aktenplan',
  '/dokumente/:id',
  '/suche',
  '/schulung',
  '/uebung',
  '/neuigkeiten',
  '/dienstanweisungen',
  '/einfuehrung',
  '/verwaltung',
  '/aktenplan/abstimmung',
];

const args = process.argv.slice(2);
const pkg = args.find((arg) => !arg.startsWith('--'));
const check = args.includes('--check');
if (!pkg || !existsSync(join(pkg, MAIN_WASM))) {
  console.error('Kein Build gefunden; zuerst: scripts/build.sh release');
  process.exit(2);
}

const cache = new Map();
/** Sizes of one file of the bundle as the server sends it. */
function sizes(name) {
  if (cache.has(name)) return cache.get(name);
  const path = join(pkg, name);
  const bytes = readFileSync(path);
  const gzip = existsSync(`${path}.gz`)
    ? readFileSync(`${path}.gz`).length
    : gzipSync(bytes, { level: 9 }).length;
  const brotli = existsSync(`${path}.br`)
    ? readFileSync(`${path}.br`).length
    : brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length;
  const result = { raw: bytes.length, gzip, brotli };
  cache.set(name, result);
  return result;
}

function sum(names) {
  const total = { raw: 0, gzip: 0, brotli: 0, files: names.length };
  for (const name of names) {
    const s = sizes(name);
    total.raw += s.raw;
    total.gzip += s.gzip;
    total.brotli += s.brotli;
  }
  return total;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const row = (label, s, extra = '') =>
  console.log(`${label.padEnd(40)} ${extra.padStart(7)} ${kib(s.raw).padStart(12)} ${kib(s.gzip).padStart(12)} ${kib(s.brotli).padStart(12)}`);

// --- the router: path -> lazy group (or the main module) ---------------
function routeGroups() {
  const lib = readFileSync(join(ROOT, 'app/src/lib.rs'), 'utf8');
  const lazy = readFileSync(join(ROOT, 'app/src/shell/lazy.rs'), 'utf8');
  const groupOf = new Map();
  for (const [, group, body] of lazy.matchAll(/lazy_pages!\(\s*(\w+)\s*,\s*\w+\s*,\s*\w+\s*\{([^}]*)\}/g)) {
    for (const [, route] of body.matchAll(/(\w+)\s*=>/g)) groupOf.set(route, group);
  }
  const routes = new Map();
  for (const [, path, view] of lib.matchAll(/path=path!\("([^"]*)"\)\s+view=(\{[^}]*\}|[\w:]+)/g)) {
    const lazyRoute = view.match(/Lazy::<lazy::(\w+)>/);
    const key = path === '' ? '/' : path;
    if (routes.has(key)) continue;
    if (lazyRoute) {
      const group = groupOf.get(lazyRoute[1]);
      if (!group) throw new Error(`${path}: ${lazyRoute[1]} steht in keiner Gruppe in app/src/shell/lazy.rs`);
      routes.set(key, group);
    } else {
      routes.set(key, null);
    }
  }
  return routes;
}

const files = readdirSync(pkg).filter((name) => /\.(wasm|js|css)$/.test(name));
const mainJs = readFileSync(join(pkg, MAIN_JS), 'utf8');
// Every JS module the main JS imports statically (the split loader).
const imported = [...mainJs.matchAll(/^import .* from ["']\.\/([^"']+)["']/gm)].map((m) => m[1]);
const base = [MAIN_WASM, MAIN_JS, ...new Set(imported)];
const manifest = existsSync(join(pkg, MANIFEST)) ? JSON.parse(readFileSync(join(pkg, MANIFEST), 'utf8')) : {};

function modulesOf(group) {
  if (group === null) return [];
  const keys = Object.keys(manifest).filter((key) => key.replace(/_\d+$/, '') === group);
  if (keys.length !== 1) {
    throw new Error(`Gruppe ${group}: ${keys.length} Einträge im Manifest ${MANIFEST} (erwartet: einer)`);
  }
  return manifest[keys[0]].map((module) => `${module}.wasm`);
}

console.log(`${'Datei'.padEnd(40)} ${'Anzahl'.padStart(7)} ${'roh'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
for (const name of [...base, 'aktenwerk.css']) if (files.includes(name)) row(name, sum([name]));
const chunks = files.filter((name) => name.endsWith('.wasm') && name !== MAIN_WASM);
if (chunks.length > 0) row('Module der Lazy-Seiten', sum(chunks), String(chunks.length));
const whole = sum(files);
row('gesamt', whole, String(files.length));

console.log('');
console.log(`${'Erster Besuch (WASM + JS)'.padEnd(40)} ${'Dateien'.padStart(7)} ${'roh'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
const routes = routeGroups();
const visits = new Map();
for (const route of ROUTES) {
  if (!routes.has(route)) throw new Error(`${route} ist keine Route in app/src/lib.rs`);
  const group = routes.get(route);
  const visit = sum([...base, ...modulesOf(group)]);
  visits.set(route, visit);
  row(`${route}${group ? ` (${group.replace(/_pages$/, '')})` : ''}`, visit, String(visit.files));
}

// --- the budget ---------------------------------------------------------
function readBudget() {
  const text = readFileSync(join(ROOT, 'bundle-budget.toml'), 'utf8');
  const budget = {};
  for (const line of text.split('\n')) {
    const m = line.replace(/#.*/, '').match(/^\s*(\w+)\s*=\s*(?:"([^"]*)"|([\d_]+))\s*$/);
    if (m) budget[m[1]] = m[2] ?? Number(m[3].replaceAll('_', ''));
  }
  for (const key of ['total_gzip_bytes', 'first_page_route', 'first_page_brotli_bytes']) {
    if (budget[key] === undefined) throw new Error(`bundle-budget.toml: ${key} fehlt`);
  }
  return budget;
}

const budget = readBudget();
const first = visits.get(budget.first_page_route) ?? sum([...base, ...modulesOf(routes.get(budget.first_page_route))]);
const checks = [
  ['ganzes Bundle, gzip', whole.gzip, budget.total_gzip_bytes],
  [`erste Seite nach der Anmeldung (${budget.first_page_route}), WASM + JS, brotli`, first.brotli, budget.first_page_brotli_bytes],
];
console.log('');
let over = false;
for (const [what, actual, limit] of checks) {
  const ok = actual <= limit;
  over ||= !ok;
  console.log(`Budget ${what}: ${kib(actual)} von ${kib(limit)} ${ok ? 'ok' : 'ÜBERSCHRITTEN'}`);
}
if (check && over) {
  console.error('Das Bundle ist größer als bundle-budget.toml erlaubt.');
  process.exit(1);
}
