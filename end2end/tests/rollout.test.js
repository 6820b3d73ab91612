// The rollout dashboard (Einführungsstand) in the browser: the project team
// opens it from the navigation, sees eleven accessible charts with tables,
// switches to weeks and to one municipality with the filter form, and
// downloads the CSV; a municipality's Administration sees only its own
// figures; clerks have no way in. Axe scans the dashboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, waitForHydration, assertAccessible } from './helpers.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** `YYYY-MM-DD` in Berlin, `days` from today. */
function berlinDay(days) {
  return new Date(Date.now() + days * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
}

test('the project team reads the dashboard, filters it and downloads the CSV', async () => {
  // Somebody in Brombachtal used Aktenwerk today.
  const clerk = await newPage(browser);
  await login(clerk, 'sachbearbeitung.bro');
  // Clerks see no link and no figures.
  await clerk.goto(`${BASE}/`);
  await waitForHydration(clerk);
  assert.equal(await clerk.getByRole('link', { name: 'Einführungsstand' }).count(), 0);
  await clerk.goto(`${BASE}/einfuehrung`);
  await clerk.getByText('Dafür fehlt Ihnen die Berechtigung.').waitFor();
  assert.equal(await clerk.locator('svg.line-chart').count(), 0);

  const team = await newPage(browser);
  await login(team, 'projekt.mic');
  await team.goto(`${BASE}/`);
  await waitForHydration(team);
  await team.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einführungsstand' }).click();
  await team.getByRole('heading', { level: 1, name: 'Einführungsstand' }).waitFor();
  await waitForHydration(team);

  // Thirteen charts, each an image with a name, and the standing per municipality.
  const charts = team.getByRole('img');
  await team.locator('svg.line-chart').first().waitFor();
  assert.equal(await team.locator('svg.line-chart').count(), 13);
  await team.getByRole('img', { name: /^Aktive Personen Liniendiagramm, Tage/ }).waitFor();
  assert.ok((await charts.count()) >= 13);
  const standing = team.getByRole('table', { name: /Konten, Nutzung, Schulung/ });
  const brombachtal = standing.getByRole('row', { name: /^Brombachtal/ });
  // At least the clerk was active today.
  assert.match(await brombachtal.innerText(), /^Brombachtal\t\d+\t[1-9]\d* von \d+/);
  assert.match(await standing.getByRole('row', { name: /^Alle Gemeinden/ }).innerText(), /^Alle Gemeinden\t\d+\t/);

  // The table behind a chart.
  const section = team.getByRole('region', { name: 'Aktive Personen' });
  await section.getByText('Werte als Tabelle').click();
  const table = section.getByRole('table', { name: 'Aktive Personen je Zeitraum und Gemeinde' });
  await table.waitFor();
  const header = await table.getByRole('row').first().innerText();
  assert.match(header, /Zeitraum\tMichelstadt\tErbach\tOberzent\tBrombachtal\tAlle Gemeinden/);
  assert.equal(await table.getByRole('row').count(), 1 + 28);
  await assertAccessible(team, 'Einführungsstand');

  // Weeks, Brombachtal only.
  await team.getByLabel('Von', { exact: true }).fill(berlinDay(-20));
  await team.getByLabel('Einteilung', { exact: true }).selectOption('woche');
  await team.getByLabel('Gemeinde', { exact: true }).selectOption({ label: 'Brombachtal' });
  await team.getByRole('button', { name: 'Anzeigen' }).click();
  await team.waitForURL(/einteilung=woche/);
  await team.getByText(/Kalenderwochen · Brombachtal$/).waitFor();
  const weekly = team.getByRole('region', { name: 'Hochgeladene Dokumente' });
  await weekly.getByText('Werte als Tabelle').click();
  const weeklyTable = weekly.getByRole('table');
  await weeklyTable.waitFor();
  assert.match(await weeklyTable.getByRole('row').first().innerText(), /^Zeitraum\tBrombachtal$/);
  assert.match(await weeklyTable.getByRole('row').nth(1).innerText(), /^KW \d+\/\d{4}/);

  // The CSV has the same range and municipality.
  const href = await team.getByRole('link', { name: 'Zahlen als CSV herunterladen' }).getAttribute('href');
  assert.match(href, /einteilung=woche/);
  assert.match(href, /gemeinde=4/);
  const csv = await team.context().request.get(`${BASE}${href}`);
  assert.equal(csv.status(), 200);
  const text = await csv.text();
  assert.match(text, /^\uFEFF?Zeitraum;Von;Bis;Gemeinde;Aktive Personen;/);
  assert.match(text, /;Brombachtal;/);
  assert.doesNotMatch(text, /;Erbach;/);

  for (const page of [clerk, team]) await page.context().close();
});

test('a municipality\'s Administration sees its own figures only', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin.erb');
  await admin.goto(`${BASE}/`);
  await waitForHydration(admin);
  await admin.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einführungsstand' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Einführungsstand' }).waitFor();
  await waitForHydration(admin);
  await admin.getByText(/Tage · Erbach$/).waitFor();
  // No choice of municipality, one line per chart, one row in the standing.
  assert.equal(await admin.getByLabel('Gemeinde', { exact: true }).count(), 0);
  const standing = admin.getByRole('table', { name: /Konten, Nutzung, Schulung/ });
  assert.equal(await standing.getByRole('row').count(), 2);
  assert.match(await standing.getByRole('row').nth(1).innerText(), /^Erbach\t/);
  // Asking for another municipality in the address is refused.
  await admin.goto(`${BASE}/einfuehrung?gemeinde=1`);
  await admin.getByText('Dafür fehlt Ihnen die Berechtigung.').waitFor();
  await admin.context().close();
});
