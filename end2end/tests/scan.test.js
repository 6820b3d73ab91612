// Scan-Ordner in the browser: the Administration of Oberzent sets up a
// folder for its Poststelle; a letter the scanner writes into it appears
// in the clerk's Posteingang by itself, with its text; the page names
// the folder on the server and counts what it took.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, api, launch, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a letter written into a Scan-Ordner arrives in the Posteingang by itself', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.obz');
  await admin.goto(`${BASE}/verwaltung`);
  await admin.getByRole('link', { name: 'Scan-Ordner' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Verwaltung: Scan-Ordner' }).waitFor();
  await waitForHydration(admin);
  await assertAccessible(admin, 'Scan-Ordner, leer');

  const suffix = Date.now().toString(36);
  const name = `Poststelle ${suffix}`;
  const form = admin.getByRole('region', { name: 'Neuer Scan-Ordner' });
  await form.getByLabel('Name des Ordners').fill(name);
  await form.getByLabel('Dokumente werden abgelegt im Namen von').selectOption({ label: 'Sachbearbeitung Oberzent' });
  await form.getByRole('button', { name: 'Scan-Ordner anlegen' }).click();
  await admin.getByText('Der Scan-Ordner ist angelegt.').waitFor();
  const row = admin.getByRole('row').filter({ hasText: name });
  const path = (await row.locator('code').textContent()).trim();
  assert.ok(path.endsWith(join('OBZ', name)), path);
  await assertAccessible(admin, 'Scan-Ordner mit einem Ordner');

  // The scanner writes a letter (under a temporary name, then renamed).
  const letter = `Sehr geehrte Damen und Herren, wir beantragen die Sondernutzung (${suffix}).`;
  writeFileSync(join(path, `Antrag_${suffix}.txt.tmp`), letter);
  renameSync(join(path, `Antrag_${suffix}.txt.tmp`), join(path, `Antrag_${suffix}.txt`));

  const clerk = await newPage(browser);
  await login(clerk, 'sachbearbeitung.obz');
  const title = `Antrag ${suffix}`;
  let found;
  for (let i = 0; i < 60 && !found; i++) {
    const inbox = await api(clerk, 'load_inbox');
    found = inbox.find((d) => d.title === title);
    if (!found) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(found, `${title} arrived`);
  await clerk.goto(`${BASE}/posteingang`);
  await clerk.getByRole('link', { name: title }).waitFor();

  // Its text is extracted like that of any upload.
  await clerk.goto(`${BASE}/dokumente/${found.id}`);
  await clerk.locator('.found-text', { hasText: `Sondernutzung (${suffix})` }).waitFor({ state: 'attached', timeout: 30000 });

  await admin.reload();
  await waitForHydration(admin);
  const counted = admin.getByRole('row').filter({ hasText: name });
  assert.equal((await counted.locator('td').nth(4).textContent()).trim(), '1');
});
