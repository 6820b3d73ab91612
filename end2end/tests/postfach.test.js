// Postfächer in the browser: the Administration of Brombachtal connects
// its Poststelle's mailbox (a real Dovecot, started by scripts/test.sh);
// an e-mail with a PDF attached appears in the clerk's Posteingang with
// its sender and subject, and the attachment as a linked document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, api, launch, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

const PORT = process.env.AKTENWERK_TEST_IMAP_PORT;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Puts a message into the Poststelle's INBOX over IMAP (curl speaks it;
 * APPEND needs the size, so from a file). */
function deliver(raw) {
  const dir = mkdtempSync(join(tmpdir(), 'aktenwerk-mail-'));
  const file = join(dir, 'nachricht.eml');
  writeFileSync(file, raw.replace(/\n/g, '\r\n'));
  try {
    execFileSync('curl', ['-sS', '--url', `imap://127.0.0.1:${PORT}/INBOX`, '--user', 'poststelle:Brief-2026!', '-T', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an e-mail to the connected Postfach arrives in the Posteingang with its attachment', { skip: !PORT && 'no IMAP server (AKTENWERK_TEST_IMAP_PORT)' }, async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.bro');
  await admin.goto(`${BASE}/verwaltung`);
  await admin.getByRole('link', { name: 'Postfächer' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Verwaltung: Postfächer' }).waitFor();
  await waitForHydration(admin);
  await assertAccessible(admin, 'Postfächer, leer');

  const form = admin.getByRole('region', { name: 'Postfach verbinden' });
  await form.getByLabel('IMAP-Server').fill('127.0.0.1');
  await form.getByLabel('Port').fill(PORT);
  await form.getByLabel('Verschlüsselung').selectOption('keine');
  await form.getByLabel('Benutzername').fill('poststelle');
  // A wrong password is refused with the server's answer; nothing saved.
  await form.getByLabel('Kennwort').fill('falsch');
  await form.getByRole('button', { name: 'Postfach verbinden' }).click();
  await admin.getByText('Die Anmeldung als „poststelle“ wurde abgelehnt', { exact: false }).waitFor();
  await form.getByLabel('Kennwort').fill('Brief-2026!');
  await form.getByLabel('Dokumente werden abgelegt im Namen von').selectOption({ label: 'Sachbearbeitung Brombachtal' });
  await form.getByRole('button', { name: 'Postfach verbinden' }).click();
  await admin.getByText('Die Anmeldung hat geklappt; das Postfach ist verbunden.').waitFor();
  const row = admin.getByRole('row').filter({ hasText: 'Poststelle' });
  await row.waitFor();
  await assertAccessible(admin, 'Postfächer mit einem Postfach');

  const suffix = Date.now().toString(36);
  const subject = `Antrag Gewerbeanmeldung ${suffix}`;
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
      `trailer << /Root 1 0 R >>\n%%EOF ${suffix}\n`,
  ).toString('base64');
  deliver(
    `From: Erika Mustermann <erika@example.de>\nSubject: ${subject}\nDate: Mon, 07 Dec 2026 10:00:00 +0100\n` +
      'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="g"\n\n' +
      `--g\nContent-Type: text/plain; charset=utf-8\n\nAnbei die Gewerbeanmeldung ${suffix}.\n` +
      `--g\nContent-Type: application/pdf; name="Gewerbeanmeldung.pdf"\nContent-Disposition: attachment; filename="Gewerbeanmeldung.pdf"\n` +
      `Content-Transfer-Encoding: base64\n\n${pdf}\n--g--\n`,
  );
  await row.getByRole('button', { name: 'Jetzt abrufen' }).click();
  await admin.getByText('Abgerufen: 1 Nachricht übernommen.', { exact: false }).waitFor();

  const clerk = await newPage(browser);
  await login(clerk, 'sachbearbeitung.bro');
  const inbox = await api(clerk, 'load_inbox');
  const message = inbox.find((d) => d.title === subject);
  assert.ok(message, `${subject} arrived`);
  assert.equal(message.correspondent, 'Erika Mustermann <erika@example.de>');
  await clerk.goto(`${BASE}/dokumente/${message.id}`);
  await waitForHydration(clerk);
  const linked = clerk.getByRole('region', { name: 'Verknüpft' });
  await linked.getByRole('link', { name: 'Gewerbeanmeldung' }).click();
  await clerk.getByRole('heading', { level: 1, name: 'Gewerbeanmeldung' }).waitFor();
  await clerk.getByRole('region', { name: 'Verknüpft' }).getByRole('link', { name: subject }).waitFor();
  await assertAccessible(clerk, 'Anhang einer E-Mail');

  await row.getByRole('button', { name: 'Nicht mehr abrufen' }).click();
  await admin.getByText('Aus dem Postfach wird nichts mehr abgerufen.').waitFor();
});

test('a message dragged out of Outlook (.msg) arrives with its subject and its attachment linked', async () => {
  const msg = await readFile(new URL('../../extract/tests/fixtures/widerspruch.msg', import.meta.url));
  const page = await newPage(browser);
  await login(page, 'sachbearbeitung.erb');
  await page.goto(`${BASE}/posteingang`);
  await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
  await page.locator('.upload-panel input[type=file][multiple]').setInputFiles([
    { name: 'Widerspruch.msg', mimeType: 'application/vnd.ms-outlook', buffer: msg },
  ]);
  const subject = 'Widerspruch Straßenausbaubeitrag – Flurstück 12/3';
  await page.locator('table.documents tbody tr', { hasText: subject }).waitFor();
  await page.getByRole('link', { name: subject }).click();
  await page.getByRole('heading', { level: 1, name: subject }).waitFor();
  await waitForHydration(page);
  const linked = page.getByRole('region', { name: 'Verknüpft' });
  await linked.getByRole('link', { name: 'Antrag Müller' }).waitFor();
  await assertAccessible(page, 'Outlook-Nachricht mit Anhang');
  await page.context().close();
});
