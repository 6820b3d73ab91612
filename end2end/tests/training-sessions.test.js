// Training sessions in the browser: the project team schedules a session
// with one place; clerk A gets it, clerk B lands on the waiting list and
// moves up when A unregisters (and is told so); the calendar file
// downloads; list and detail pages pass an axe scan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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

test('schedule, register, waiting list moves up, calendar download', async () => {
  const title = `Aktenwerk kompakt ${Date.now().toString(36)}`;
  const day = berlinDay(7);

  const team = await newPage(browser);
  await login(team, 'projekt.mic');
  await team.goto(`${BASE}/schulungstermine`);
  await waitForHydration(team);
  await team.getByRole('heading', { level: 1, name: 'Schulungstermine' }).waitFor();
  await team.getByRole('link', { name: 'Neuen Termin anlegen' }).click();
  await team.getByRole('heading', { level: 1, name: 'Neuer Schulungstermin' }).waitFor();
  await waitForHydration(team);
  await team.getByLabel('Titel').fill(title);
  await team.getByLabel('Beschreibung').fill('Ablegen, Suchen, Wiedervorlage.');
  await team.getByLabel('Beginn').fill(`${day}T09:00`);
  await team.getByLabel('Ende').fill(`${day}T11:30`);
  await team.getByLabel('Ort').fill('Rathaus Michelstadt, Raum 2');
  await team.getByLabel('Plätze').fill('1');
  await team.getByRole('button', { name: 'Termin anlegen' }).click();
  await team.waitForURL(/\/schulungstermine\/\d+$/);
  await team.getByRole('heading', { level: 1, name: title }).waitFor();
  const url = team.url();

  // Clerk A gets the only place.
  const clerkA = await newPage(browser);
  await login(clerkA, 'sachbearbeitung.erb');
  await clerkA.goto(url);
  await waitForHydration(clerkA);
  await clerkA.getByText('1 von 1 Platz frei').waitFor();
  await clerkA.getByRole('button', { name: `Anmelden: ${title}` }).click();
  await clerkA.getByText('Sie sind angemeldet. Ihr Platz ist sicher.').waitFor();
  await clerkA.getByRole('button', { name: `Abmelden: ${title}` }).waitFor();

  // Clerk B: full, so the waiting list.
  const clerkB = await newPage(browser);
  await login(clerkB, 'sachbearbeitung.obz');
  await clerkB.goto(url);
  await waitForHydration(clerkB);
  await clerkB.getByText('ausgebucht, Warteliste offen').waitFor();
  await clerkB.getByRole('button', { name: `Auf die Warteliste: ${title}` }).click();
  await clerkB.getByText('Sie stehen auf der Warteliste (Platz 1).', { exact: true }).waitFor();

  // A unregisters; B moves up.
  await clerkA.getByRole('button', { name: `Abmelden: ${title}` }).click();
  await clerkA.getByText('Sie sind abgemeldet.').waitFor();

  await clerkB.goto(`${BASE}/schulungstermine`);
  await waitForHydration(clerkB);
  const notice = clerkB.getByRole('region', { name: 'Sie sind von der Warteliste nachgerückt' });
  await notice.getByRole('link', { name: title }).waitFor();
  const mine = clerkB.getByRole('region', { name: 'Meine Anmeldungen' });
  await mine.getByRole('link', { name: title }).waitFor();
  assert.equal(await mine.getByText('Sie sind angemeldet.', { exact: true }).count(), 1);
  await assertAccessible(clerkB, 'Schulungstermine (Liste)');
  await notice.getByRole('button', { name: 'Verstanden' }).click();
  await notice.waitFor({ state: 'detached' });

  // The calendar file.
  await clerkB.goto(url);
  await waitForHydration(clerkB);
  await clerkB.getByText('Sie sind angemeldet.', { exact: true }).waitFor();
  const [download] = await Promise.all([
    clerkB.waitForEvent('download'),
    clerkB.getByRole('link', { name: 'In meinen Kalender (.ics)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^schulungstermin-\d+\.ics$/);
  const ics = await readFile(await download.path(), 'utf8');
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.ok(ics.includes(`DTSTART;TZID=Europe/Berlin:${day.replaceAll('-', '')}T090000\r\n`), ics);

  // The project team sees B as confirmed participant; the page is accessible.
  await team.reload();
  await waitForHydration(team);
  const participants = team.getByRole('region', { name: 'Teilnehmende' });
  const row = participants.getByRole('row').filter({ hasText: 'Oberzent' });
  await row.getByRole('cell', { name: 'angemeldet', exact: true }).waitFor();
  assert.equal(await participants.getByRole('row').filter({ hasText: 'Erbach' }).count(), 0);
  await assertAccessible(team, 'Schulungstermin (Detail, Projektteam)');

  for (const page of [team, clerkA, clerkB]) await page.context().close();
});
