// Every role walks the whole site the way a person would: from the start
// page, breadth-first along the in-app links, each opened as a click (the
// router renders it and the page fetches its data) and as a reload (the
// server renders it). Nobody may be shown a page or control whose requests
// the server then refuses, and no page may carry a serious or critical
// accessibility finding.
//
// The file is named to run last: visiting pages records activity (rollout
// figures, read announcements), which the other tests must not see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, AXE_SCRIPT, axeFindings, launch, newPage, login } from './helpers.js';

// One account per kind of person the guards distinguish: both kinds of
// Administration and Projektteam (all municipalities or one), staff, and a
// trainee (always in the practice area). The demo accounts need no password
// change; an account that did would only see the password page.
const ACCOUNTS = [
  'admin.mic',
  'admin.erb',
  'projekt.mic',
  'projekt.erb',
  'sachbearbeitung.mic',
  'sachbearbeitung.erb',
  'schulung.mic',
];

const MAX_PAGES = 60;
// Pages of one route (say /dokumente/:id) look alike; a few show the shape.
const MAX_PER_ROUTE = 3;
// Roles walk side by side; two cores serve them.
const PARALLEL = 3;

/** Links that are not pages: files, exports and the login/logout forms. */
function isPage(url) {
  const path = url.pathname;
  return !(
    /\.(csv|ics|pdf|svg|png|json)$/.test(path) ||
    /\/(datei|vorschaubild)$/.test(path) ||
    path.startsWith('/anmelden') ||
    path.startsWith('/abmelden') ||
    path.startsWith('/api/') ||
    path.startsWith('/pkg/')
  );
}

/** /dokumente/17/… and /dokumente/18/… are one route. */
const routeOf = (path) => path.replace(/\/\d+(?=\/|$)/g, '/:id');

/** Watches the page's own requests: counts those in flight, keeps refusals. */
function watchRequests(page) {
  const state = { inflight: new Set(), refused: [], current: '' };
  const origin = new URL(BASE).origin;
  page.on('request', (request) => {
    if (new URL(request.url()).origin === origin) state.inflight.add(request);
  });
  const done = (request) => state.inflight.delete(request);
  page.on('requestfailed', done);
  page.on('requestfinished', async (request) => {
    done(request);
    const response = await request.response().catch(() => null);
    if (response && response.status() >= 400 && new URL(request.url()).origin === origin) {
      const url = new URL(request.url());
      state.refused.push({
        page: state.current,
        request: `${request.method()} ${url.pathname}${url.search} (${request.resourceType()})`,
        status: response.status(),
      });
    }
  });
  return state;
}

/** Until the page has hydrated and its own requests have settled. */
async function settle(page, state) {
  await page
    .waitForFunction(
      () => document.documentElement.dataset.hydrated === 'true' || !document.querySelector('.site-header'),
      null,
      { timeout: 30000 },
    )
    .catch(() => {});
  let quietSince = Date.now();
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (state.inflight.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 250) return;
    await page.waitForTimeout(50);
  }
}

/** The same-origin page links on the current page, in document order. */
async function pageLinks(page) {
  const hrefs = await page.$$eval('a[href]:not([download])', (links) => links.map((a) => a.href));
  const origin = new URL(BASE).origin;
  return hrefs
    .map((href) => new URL(href))
    .filter((url) => url.origin === origin && isPage(url));
}

/**
 * Opens `url` as a click on an in-app link would: the router renders the
 * page in the browser and the page asks the server for its data, exactly
 * the requests a person's click causes.
 */
async function follow(page, url) {
  await page.evaluate((href) => {
    const link = document.createElement('a');
    link.href = href;
    document.body.append(link);
    link.click();
    link.remove();
  }, url.href);
  await page.waitForURL((now) => now.pathname === url.pathname, { timeout: 10000 }).catch(() => {});
}

async function walk(browser, username) {
  const page = await newPage(browser);
  await page.context().addInitScript({ path: AXE_SCRIPT });
  const state = watchRequests(page);
  const problems = [];
  // A panic in the WASM ends every later click; say where it happened.
  page.on('pageerror', (error) => problems.push(`${state.current}: script error ${error.message.split('\n')[0]}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /panicked at/.test(message.text())) {
      problems.push(`${state.current}: ${message.text().split('\n')[0]}`);
    }
  });
  try {
    state.current = '/';
    await login(page, username);
    if (new URL(page.url()).pathname === '/konto/passwort') {
      return { username, visited: [], problems: [], skipped: 'must change the password first' };
    }
    const queue = [new URL(`${BASE}/`)];
    const seen = new Set(['/']);
    const perRoute = new Map();
    const visited = [];
    while (queue.length > 0 && visited.length < MAX_PAGES) {
      const url = queue.shift();
      state.current = url.pathname + url.search;
      if (visited.length > 0) {
        // The page as the server renders it (a reload, a bookmark) ...
        const document = await page.request.get(url.href);
        if (document.status() >= 400) {
          problems.push(`${state.current}: ${document.status()} for GET ${state.current} (document)`);
        }
        // ... and as a click renders it.
        await follow(page, url);
      }
      await settle(page, state);
      visited.push(state.current);
      for (const finding of (await axeFindings(page)).bad) problems.push(`${state.current}: ${finding}`);
      for (const link of await pageLinks(page)) {
        if (seen.has(link.pathname)) continue;
        const route = routeOf(link.pathname);
        const count = perRoute.get(route) ?? 0;
        if (count >= MAX_PER_ROUTE) continue;
        seen.add(link.pathname);
        perRoute.set(route, count + 1);
        link.hash = '';
        queue.push(link);
      }
    }
    for (const { page: where, request, status } of state.refused) {
      problems.push(`${where}: ${status} for ${request}`);
    }
    return { username, visited, problems };
  } finally {
    await page.context().close();
  }
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('every role walks every reachable page without refused requests or serious axe findings', async () => {
  const results = [];
  const pending = [...ACCOUNTS];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (pending.length > 0) {
        const username = pending.shift();
        results.push(await walk(browser, username));
      }
    }),
  );
  results.sort((a, b) => ACCOUNTS.indexOf(a.username) - ACCOUNTS.indexOf(b.username));
  const report = [];
  for (const { username, visited, problems, skipped } of results) {
    if (skipped) {
      console.log(`${username}: skipped (${skipped})`);
      continue;
    }
    console.log(`${username}: ${visited.length} pages`);
    if (process.env.WALK_VERBOSE) console.log(`  ${visited.join('\n  ')}`);
    assert.ok(visited.length >= 5, `${username} reached only ${visited.join(', ')}`);
    for (const problem of problems) report.push(`${username} ${problem}`);
  }
  assert.equal(report.length, 0, `refused requests or accessibility findings:\n${report.join('\n')}`);
});
