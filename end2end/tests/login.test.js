// Login, the German shell, hydration, logout, no-JavaScript use and
// accessibility of the login and shell pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, clickUntil, assertAccessible } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('login page is German and its hydrated password toggle works', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/`);
  assert.match(page.url(), /\/anmelden\?weiter=\//, 'unauthenticated visitors are sent to the login page');
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  const password = page.getByLabel('Passwort', { exact: true });
  assert.equal(await password.getAttribute('type'), 'password');
  const toggle = page.locator('button[aria-controls="passwort"]');
  assert.equal(await toggle.innerText(), 'Passwort anzeigen');
  await clickUntil(page, toggle, 'aria-pressed', 'true');
  assert.equal(await password.getAttribute('type'), 'text');
  assert.equal(await toggle.innerText(), 'Passwort verbergen');
  await page.context().close();
});

test('wrong password gives a German error and no session', async () => {
  const page = await newPage(browser);
  // A fresh name each run, so that repeated local runs do not trip throttling;
  // unknown and known names get the same answer by design.
  await login(page, `niemand.${Date.now().toString(36)}`, 'falsches-passwort');
  assert.match(page.url(), /fehler=ungueltig/);
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /Benutzername oder Passwort ist nicht korrekt/);
  await page.goto(`${BASE}/posteingang`);
  assert.match(page.url(), /\/anmelden/);
  await page.context().close();
});

test('staff log in, see the German shell, use the mobile menu and log out', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 } });
  await login(page, 'sachbearbeitung.mic');
  assert.equal(new URL(page.url()).pathname, '/');
  await page.getByRole('heading', { level: 1, name: 'Guten Tag, Sachbearbeitung Michelstadt!' }).waitFor();
  const header = page.getByRole('banner');
  assert.match(await header.innerText(), /Michelstadt/);
  assert.match(await header.innerText(), /Sachbearbeitung/);

  // On a phone the navigation folds away behind a hydrated "Menü" button.
  const menu = page.getByRole('button', { name: 'Menü' });
  await menu.waitFor({ state: 'visible' });
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  assert.equal(await nav.isVisible(), false);
  await clickUntil(page, menu, 'aria-expanded', 'true');
  await nav.waitFor({ state: 'visible' });
  for (const name of ['Start', 'Posteingang', 'Aktenplan', 'Suche', 'Neuigkeiten', 'Schulung']) {
    assert.ok(await nav.getByRole('link', { name, exact: true }).isVisible(), `${name} in navigation`);
  }
  assert.equal(await nav.getByRole('link', { name: 'Verwaltung' }).count(), 0, 'staff see no administration');

  // Client-side navigation keeps the session and marks the current page.
  await nav.getByRole('link', { name: 'Aktenplan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Aktenplan' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Aktenplan' }).getAttribute('aria-current'), 'page');

  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.waitForURL(/\/anmelden\?abgemeldet=1/);
  assert.match(await page.getByRole('status').innerText(), /abgemeldet/);
  await page.goto(`${BASE}/`);
  assert.match(page.url(), /\/anmelden/, 'the old session no longer works');
  await page.context().close();
});

test('login and the shell work with JavaScript disabled', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(`${BASE}/suche`);
  await page.getByLabel('Benutzername').fill('projekt.erb');
  await page.getByLabel('Passwort', { exact: true }).fill('Aktenwerk-Demo-2026');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${BASE}/suche`);
  await page.getByRole('heading', { level: 1, name: 'Suche' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  assert.ok(await nav.isVisible(), 'navigation stays open without JavaScript');
  assert.equal(await page.getByRole('button', { name: 'Menü' }).isVisible(), false);
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.waitForURL(/abgemeldet=1/);
  await page.context().close();
});

test('unknown pages answer with a German 404', async () => {
  const page = await newPage(browser);
  await login(page, 'schulung.bro');
  const response = await page.goto(`${BASE}/barrierefreiheit/gibt-es-nicht`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Seite nicht gefunden' }).waitFor();
  await page.context().close();
});

test('login, start, administration and audit pages have no serious accessibility violations', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/anmelden?fehler=ungueltig`);
  await assertAccessible(page, 'login page with error');
  await login(page, 'admin.mic');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await assertAccessible(page, 'start page');
  for (const [path, heading] of [
    ['/verwaltung', 'Verwaltung: Benutzerkonten'],
    ['/verwaltung/protokoll', 'Protokoll'],
    ['/konto/passwort', 'Passwort ändern'],
    ['/barrierefreiheit', 'Erklärung zur Barrierefreiheit'],
  ]) {
    await page.goto(`${BASE}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    await assertAccessible(page, path);
  }
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${BASE}/`);
  await assertAccessible(page, 'start page at 360 px');
  await page.context().close();
});
