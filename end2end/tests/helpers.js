// Shared helpers for the browser tests: Debian's Chromium through
// playwright-core, demo accounts, and an axe-core accessibility scan.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);

export const BASE = process.env.AKTENWERK_URL ?? 'http://127.0.0.1:3917';
export const DEMO_PASSWORD = 'Aktenwerk-Demo-2026';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser context (own cookies). `bypassCSP` lets axe be injected. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'de-DE', bypassCSP: true, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

/** A server function called with the page's session, as the page would (same origin). */
export async function api(page, name, form = {}) {
  const response = await page.request.post(`${BASE}/api/${name}`, {
    headers: { Origin: BASE, 'Content-Type': 'application/x-www-form-urlencoded' },
    data: new URLSearchParams(form).toString(),
  });
  assert.equal(response.status(), 200, `${name}: ${await response.text()}`);
  return response.json();
}

/**
 * A new clerk account made by `admin` (a page signed in as the
 * municipality's Administration), signed in in a fresh context with
 * `password` of its own instead of the one-time password.
 */
export async function newClerk(browser, admin, { username, name, municipality, password }) {
  const created = await api(admin, 'create_user', {
    username, display_name: name, email: '', municipality_id: String(municipality), role: 'sachbearbeitung',
  });
  const page = await newPage(browser);
  await login(page, username, created.password);
  await api(page, 'change_password', { current: created.password, new_password: password, repeat: password });
  return { name, page, username };
}

export async function login(page, username, password = DEMO_PASSWORD) {
  await page.goto(`${BASE}/anmelden`);
  await page.getByLabel('Benutzername').fill(username);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForLoadState('load');
}

/** Waits until the WASM has hydrated the whole page, its lazy module included (set by frontend/src/lib.rs). */
export async function waitForHydration(page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30000 });
}

/**
 * Clicks until the hydrated control reacts: before the WASM has loaded a
 * click does nothing, so this also proves hydration happened.
 */
export async function clickUntil(page, locator, attribute, expected, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await locator.click();
    if ((await locator.getAttribute(attribute)) === expected) return;
    await page.waitForTimeout(250);
  }
  assert.fail(`control did not react (${attribute} never became ${expected}); did hydration fail?`);
}

/** The axe-core script, for `addScriptTag` or `addInitScript`. */
export const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

/**
 * Runs axe-core (WCAG 2.1 A/AA) on a page that has it loaded: the serious
 * or critical findings, one line each, and how many checks passed.
 */
export async function axeFindings(page) {
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} – ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  return { bad, passes: result.passes.length };
}

/** Runs axe-core (WCAG 2.1 A/AA) and fails on serious or critical findings. */
export async function assertAccessible(page, label) {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const { bad, passes } = await axeFindings(page);
  assert.equal(bad.length, 0, `accessibility violations on ${label}:\n${bad.join('\n')}`);
  assert.ok(passes > 5, `axe ran only ${passes} checks on ${label}`);
}
