// User administration in the browser: an administrator creates an account,
// the new colleague logs in with the one-time password and must choose
// their own; the administrator then deactivates the account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, waitForHydration } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('admin creates an account, the new user sets a password, admin deactivates it', async () => {
  const suffix = Date.now().toString(36);
  const username = `test.${suffix}`;
  const person = `Paula Probe ${suffix}`;
  const admin = await newPage(browser);
  await login(admin, 'admin.bro');
  await admin.getByRole('link', { name: 'Verwaltung', exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: 'Verwaltung: Benutzerkonten' }).waitFor();

  const form = admin.getByRole('region', { name: 'Neues Benutzerkonto' });
  await form.getByLabel('Benutzername').fill(username);
  await form.getByLabel('Name (wie er angezeigt wird)').fill(person);
  await form.getByLabel('Rolle').selectOption('sachbearbeitung');
  // Only Brombachtal can be chosen by a Brombachtal admin.
  assert.deepEqual(await form.getByLabel('Gemeinde').locator('option').allInnerTexts(), ['Brombachtal']);
  await form.getByRole('button', { name: 'Konto anlegen' }).click();

  const secret = admin.locator('.one-time-password code.secret');
  await secret.waitFor();
  const password = (await secret.innerText()).trim();
  assert.match(password, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  // The list re-reads after the action: the new account is there.
  await admin.getByRole('cell', { name: person, exact: true }).waitFor();

  const colleague = await newPage(browser);
  await login(colleague, username, password);
  await colleague.waitForURL(`${BASE}/konto/passwort`);
  await colleague.getByText('Ihr Passwort wurde zurückgesetzt').waitFor();
  // The password page's module loads after the main module; a click
  // before it has hydrated submits the plain form instead.
  await waitForHydration(colleague);
  await colleague.getByLabel('Bisheriges Passwort').fill(password);
  await colleague.getByLabel('Neues Passwort', { exact: true }).fill('Mein-eigenes-Passwort-2026');
  await colleague.getByLabel('Neues Passwort wiederholen').fill('Mein-eigenes-Passwort-2026');
  await colleague.getByRole('button', { name: 'Passwort ändern' }).click();
  await colleague.getByText('Ihr Passwort wurde geändert.').waitFor();
  await colleague.goto(`${BASE}/`);
  await colleague.getByRole('heading', { level: 1, name: `Guten Tag, ${person}!` }).waitFor();

  await admin.getByRole('button', { name: `${person} deaktivieren` }).click();
  await admin.getByText('Der Status des Kontos wurde geändert.').waitFor();
  await admin.getByRole('button', { name: `${person} reaktivieren` }).waitFor();

  await colleague.goto(`${BASE}/`);
  assert.match(colleague.url(), /\/anmelden/, 'deactivation ended the session');
  await admin.context().close();
  await colleague.context().close();
});

test('a wrong current password is refused with a German message', async () => {
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.erb');
  await page.goto(`${BASE}/konto/passwort`);
  await waitForHydration(page);
  await page.getByLabel('Bisheriges Passwort').fill('ganz-falsch-123');
  await page.getByLabel('Neues Passwort', { exact: true }).fill('Odenwald-Kreis-2026');
  await page.getByLabel('Neues Passwort wiederholen').fill('Odenwald-Kreis-2026');
  await page.getByRole('button', { name: 'Passwort ändern' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /bisherige Passwort ist nicht korrekt/);
  await page.context().close();
});
