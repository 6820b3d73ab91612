// The split bundle as the browser sees it: a first visit of a page fetches
// the main module and exactly the modules the split manifest lists for the
// page's group, each announced by a preload link in the page's head; the
// start page fetches no lazy module at all. `make size` counts the bytes of
// a first visit this way (tools/bundle-size.mjs), so this test keeps that
// count honest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, waitForHydration } from './helpers.js';

let browser;
let manifest;
before(async () => {
  browser = await launch();
  const response = await fetch(`${BASE}/pkg/split-manifest.json`);
  assert.equal(response.status, 200, 'the build writes the split manifest');
  manifest = await response.json();
});
after(async () => {
  await browser?.close();
});

/** The manifest's modules of a group (`other_pages` → its entry). */
function groupModules(group) {
  const keys = Object.keys(manifest).filter((key) => key.replace(/_\d+$/, '') === group);
  assert.equal(keys.length, 1, `one manifest entry for ${group}: ${Object.keys(manifest).join(', ')}`);
  return manifest[keys[0]].map((module) => `${module}.wasm`).sort();
}

/**
 * Signs in in a fresh browser, then opens `path` as a first visit (a new
 * page of the same session, so nothing is cached in the page) and returns
 * the WASM files it fetched and the ones its head announces.
 */
async function firstVisit(username, path) {
  const page = await newPage(browser);
  await login(page, username);
  const visit = await page.context().newPage();
  const fetched = new Set();
  const errors = [];
  visit.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/pkg/') && url.pathname.endsWith('.wasm')) fetched.add(url.pathname.slice(5));
  });
  visit.on('pageerror', (error) => errors.push(error.message));
  await visit.goto(`${BASE}${path}`);
  await waitForHydration(visit);
  // The page's own module group is loaded once hydration reaches it.
  await visit.waitForLoadState('networkidle');
  const announced = await visit.$$eval('link[rel="preload"][as="fetch"]', (links) =>
    links.map((link) => new URL(link.href).pathname.slice(5)),
  );
  await page.context().close();
  assert.deepEqual(errors, [], `${path}: script errors`);
  return { fetched: [...fetched].sort(), announced: announced.sort() };
}

test('the start page loads only the main module', async () => {
  const { fetched, announced } = await firstVisit('sachbearbeitung.erb', '/');
  assert.deepEqual(fetched, ['aktenwerk.wasm']);
  assert.deepEqual(announced, ['aktenwerk.wasm']);
});

test('a lazy page loads the main module and exactly its group’s modules, all announced in the head', async () => {
  for (const [username, path, group] of [
    ['admin.erb', '/verwaltung', 'other_pages'],
    ['sachbearbeitung.erb', '/posteingang', 'other_pages'],
    ['schulung.erb', '/schulung', 'learning_pages'],
  ]) {
    const expected = ['aktenwerk.wasm', ...groupModules(group)].sort();
    const { fetched, announced } = await firstVisit(username, path);
    assert.deepEqual(fetched, expected, `${path}: fetched modules`);
    assert.deepEqual(announced, expected, `${path}: preload links`);
  }
});
