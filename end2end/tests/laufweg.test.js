// Mitzeichnung and Freigabe in the browser: the Administration names the
// Funktion „Bauamtsleitung“ and gives it to the head; a clerk starts a
// Laufweg on a draft reply; a colleague co-signs with a remark, the
// Funktion approves (its holder answers), each signed in as themselves;
// the approved version's hash is shown, and a new version asks for a new
// Freigabe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newClerk, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

const PASSWORD = 'Laufweg-Test-Passwort-2026';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});


/** A clerk of Oberzent, signed in, with a password of their own. */
const clerk = (admin, username, name) =>
  newClerk(browser, admin, { username, name, municipality: 3, password: PASSWORD });

test('a colleague co-signs with a remark, the head approves, and the Freigabe is bound to the version', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.obz');
  const suffix = Date.now().toString(36);
  const anna = await clerk(admin, `anna.${suffix}`, `Anna Mitzeichnerin ${suffix}`);
  const chef = await clerk(admin, `leitung.${suffix}`, `Leitung Fachbereich ${suffix}`);
  const funktion = `Bauamtsleitung ${suffix}`;
  await admin.goto(`${BASE}/verwaltung/funktionen`);
  await admin.getByRole('heading', { level: 1, name: 'Verwaltung: Funktionen' }).waitFor();
  await waitForHydration(admin);
  await admin.getByLabel('Name der Funktion').fill(funktion);
  await admin.getByRole('button', { name: 'Funktion anlegen' }).click();
  const held = admin.getByRole('region', { name: funktion });
  await held.getByLabel('Person hinzufügen').selectOption({ label: chef.name });
  await held.getByRole('button', { name: 'Hinzufügen' }).click();
  await held.getByRole('button', { name: `${chef.name} aus „${funktion}“ entfernen` }).waitFor();
  await assertAccessible(admin, 'Funktionen');
  await admin.context().close();

  const starter = await newPage(browser);
  await login(starter, 'sachbearbeitung.obz');
  const upload = await starter.request.post(`${BASE}/dokumente/hochladen?name=Antwortentwurf-${suffix}.txt`, {
    headers: { Origin: BASE },
    data: Buffer.from(`Sehr geehrte Familie Brenner, Ihr Bauantrag ist vollständig. (${suffix})`),
  });
  assert.equal(upload.status(), 201, await upload.text());
  const document = (await upload.json()).id;

  await starter.goto(`${BASE}/dokumente/${document}`);
  await waitForHydration(starter);
  const panel = starter.getByRole('region', { name: 'Mitzeichnung und Freigabe' });
  await panel.getByText('Noch keine Version dieses Dokuments ist freigegeben.').waitFor();
  await panel.locator('summary', { hasText: 'Laufweg starten' }).click();
  await panel.getByLabel('Betreff').fill('Antwort an Familie Brenner');
  const first = panel.getByRole('group', { name: 'Schritt 1' });
  await first.getByLabel('Person').selectOption({ label: anna.name });
  await first.getByLabel('Art').selectOption('mitzeichnung');
  const second = panel.getByRole('group', { name: 'Schritt 2' });
  await second.getByLabel('Person').selectOption({ label: `Funktion ${funktion}` });
  await second.getByLabel('Art').selectOption('freigabe');
  await panel.getByRole('button', { name: 'Laufweg starten' }).click();
  await panel.getByText('Der Laufweg ist gestartet; die ersten Personen sind gefragt.').waitFor();
  await assertAccessible(starter, 'Dokument mit Laufweg');

  // The colleague finds it in her Postkorb and co-signs with a remark.
  await anna.page.goto(`${BASE}/postkorb`);
  const asked = anna.page.getByRole('region', { name: /^Mitzeichnung und Freigabe/ });
  await asked.getByText('zur Mitzeichnung: Antwort an Familie Brenner').waitFor();
  await asked.getByRole('link', { name: `Antwortentwurf-${suffix}` }).click();
  await anna.page.getByRole('heading', { level: 1, name: `Antwortentwurf-${suffix}` }).waitFor();
  await waitForHydration(anna.page);
  const annaPanel = anna.page.getByRole('region', { name: 'Mitzeichnung und Freigabe' });
  await annaPanel.getByLabel('Mit Anmerkung zustimmen').check();
  await annaPanel.getByLabel('Anmerkung oder Begründung').fill('Bitte die Frist für Nachreichungen nennen.');
  await annaPanel.getByRole('button', { name: 'Antwort senden' }).click();
  await annaPanel.getByText('Ihre Antwort ist gespeichert.').waitFor();
  await annaPanel.getByRole('cell', { name: 'mit Anmerkung zugestimmt' }).waitFor();

  // The head holds the Funktion: it waits in his Postkorb, he approves;
  // the Laufweg is complete, the version approved.
  await chef.page.goto(`${BASE}/postkorb`);
  const chefAsked = chef.page.getByRole('region', { name: /^Mitzeichnung und Freigabe/ });
  await chefAsked.getByText(`an die Funktion ${funktion}`, { exact: false }).waitFor();
  await chef.page.goto(`${BASE}/dokumente/${document}`);
  await waitForHydration(chef.page);
  const chefPanel = chef.page.getByRole('region', { name: 'Mitzeichnung und Freigabe' });
  await chefPanel.getByText('Bitte die Frist für Nachreichungen nennen.').waitFor();
  await chefPanel.getByRole('button', { name: 'Antwort senden' }).click();
  await chefPanel.getByText('Ihre Antwort ist gespeichert. Der Laufweg ist abgeschlossen.').waitFor();
  await chefPanel.getByText(/^Freigegeben: Version 1 \(SHA-256 [0-9a-f]{12}…\)\.$/).waitFor();
  await chefPanel.getByRole('cell', { name: `Funktion ${funktion} (beantwortet von ${chef.name})` }).waitFor();
  await chefPanel.getByRole('link', { name: 'Alle Laufwege als CSV für die Akte herunterladen' }).waitFor();
  await assertAccessible(chef.page, 'Freigegebenes Dokument');

  // A new version needs a new Freigabe.
  const again = await starter.request.post(`${BASE}/dokumente/hochladen?name=Antwortentwurf-${suffix}.txt&dokument=${document}`, {
    headers: { Origin: BASE },
    data: Buffer.from(`Sehr geehrte Familie Brenner, Ihr Bauantrag ist vollständig. Frist: 4 Wochen. (${suffix})`),
  });
  assert.equal(again.status(), 201, await again.text());
  await starter.reload();
  await starter.getByText(/Die neuere Version 2 braucht eine neue Freigabe\./).waitFor();
  for (const page of [starter, anna.page, chef.page]) await page.context().close();
});
