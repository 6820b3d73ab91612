// Vertretung in the browser: a clerk enters her absence from her Postkorb
// with a colleague standing in; during the absence the deputy finds the
// absent colleague's Postkorb in her own, opens it and co-signs the draft
// asked of the absent colleague, recorded „i. V.“; the Administration
// sees the absence in its list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, launch, newClerk, newPage, login, assertAccessible, waitForHydration } from './helpers.js';

const PASSWORD = 'Vertretung-Test-Passwort-2026';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A clerk of Brombachtal, signed in, with a password of their own. */
const clerk = (admin, username, name) =>
  newClerk(browser, admin, { username, name, municipality: 4, password: PASSWORD });

test('the deputy answers in the absent colleague’s name during the absence', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.bro');
  const suffix = Date.now().toString(36);
  const anna = await clerk(admin, `anna.${suffix}`, `Anna Urlaub ${suffix}`);
  const berta = await clerk(admin, `berta.${suffix}`, `Berta Vertretung ${suffix}`);

  // A colleague asks Anna to co-sign a draft.
  const starter = await newPage(browser);
  await login(starter, 'sachbearbeitung.bro');
  const upload = await starter.request.post(`${BASE}/dokumente/hochladen?name=Entwurf-${suffix}.txt`, {
    headers: { Origin: BASE },
    data: Buffer.from(`Sehr geehrter Herr Keller, anbei die Genehmigung. (${suffix})`),
  });
  assert.equal(upload.status(), 201, await upload.text());
  const document = (await upload.json()).id;
  const annaId = (await api(anna.page, 'load_abwesenheiten')).absentees[0].id;
  await api(starter, 'start_laufweg', {
    document_id: String(document),
    title: 'Genehmigung Keller',
    'steps[0][user_id]': String(annaId),
    'steps[0][kind]': 'mitzeichnung',
    'steps[0][stage]': '1',
  });

  // Anna enters her absence from today to in three days, Berta standing in.
  await anna.page.goto(`${BASE}/postkorb`);
  await waitForHydration(anna.page);
  await anna.page.getByRole('link', { name: 'Abwesenheit und Vertretung eintragen' }).click();
  await anna.page.getByRole('heading', { level: 1, name: 'Abwesenheit und Vertretung' }).waitFor();
  await waitForHydration(anna.page);
  const form = anna.page.getByRole('region', { name: 'Abwesenheit eintragen' });
  const first = await form.getByLabel('Erster Tag').inputValue();
  const last = new Date(`${first}T12:00:00Z`);
  last.setUTCDate(last.getUTCDate() + 3);
  await form.getByLabel('Letzter Tag').fill(last.toISOString().slice(0, 10));
  await form.getByLabel('Vertretung', { exact: true }).selectOption({ label: berta.name });
  await form.getByLabel('Hinweis für die Vertretung (freiwillig)').fill('Urlaub');
  await form.getByRole('button', { name: 'Abwesenheit eintragen' }).click();
  await anna.page.getByText('Die Abwesenheit ist eingetragen.').waitFor();
  const mine = anna.page.getByRole('region', { name: 'Meine Abwesenheiten' });
  await mine.getByRole('cell', { name: berta.name }).waitFor();
  await assertAccessible(anna.page, 'Abwesenheit eingetragen');

  // Berta finds Anna's Postkorb in her own, counted in the navigation.
  await berta.page.goto(`${BASE}/postkorb`);
  await waitForHydration(berta.page);
  const nav = berta.page.getByRole('navigation', { name: 'Hauptnavigation' });
  await nav.getByRole('link', { name: /^Postkorb\s*,\s*1\s+wartend$/ }).waitFor();
  const deputising = berta.page.getByRole('region', { name: 'In Vertretung' });
  await deputising.getByRole('link', { name: `Postkorb von ${anna.name}` }).click();
  await berta.page.getByText(`Sie sehen den Postkorb von ${anna.name} in Vertretung.`, { exact: false }).waitFor();
  const asked = berta.page.getByRole('region', { name: /^Mitzeichnung und Freigabe/ });
  await asked.getByText('zur Mitzeichnung: Genehmigung Keller').waitFor();
  await assertAccessible(berta.page, 'Postkorb in Vertretung');
  await asked.getByRole('link', { name: `Entwurf-${suffix}` }).click();
  await berta.page.getByRole('heading', { level: 1, name: `Entwurf-${suffix}` }).waitFor();
  await waitForHydration(berta.page);

  // She co-signs i. V.; the step shows who answered for whom.
  const panel = berta.page.getByRole('region', { name: 'Mitzeichnung und Freigabe' });
  await panel.getByRole('group', { name: `Ihre Antwort zur Mitzeichnung i. V. für ${anna.name}` }).waitFor();
  await panel.getByRole('button', { name: 'Antwort senden' }).click();
  await panel.getByText('Ihre Antwort ist gespeichert. Der Laufweg ist abgeschlossen.').waitFor();
  await panel.getByText(`(beantwortet von ${berta.name} i. V.)`).waitFor();
  await nav.getByRole('link', { name: /^Postkorb$/ }).waitFor();

  // The Administration sees the absence of its municipality.
  await admin.goto(`${BASE}/abwesenheit`);
  const managed = admin.getByRole('region', { name: 'Abwesenheiten der Gemeinde' });
  const row = managed.getByRole('row', { name: new RegExp(anna.name) });
  await row.getByRole('cell', { name: berta.name }).waitFor();
  await assertAccessible(admin, 'Abwesenheiten der Gemeinde');
  for (const page of [admin, starter, anna.page, berta.page]) await page.context().close();
});
