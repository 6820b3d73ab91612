// The browser half of `make bench-memory` (bench/src/bin/bench_memory.rs):
// a clerk drops a day's post onto the Posteingang, later opens every
// document. Prints one line of counts for the Rust half.
//
//   node bench/ingest.mjs upload <dir>   all files of <dir> at once
//   node bench/ingest.mjs visit <dir>    every document page, then the Posteingang
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, login, newPage, waitForHydration } from '../tests/helpers.js';

const [phase, dir] = process.argv.slice(2);
const user = process.env.BENCH_USER ?? 'sachbearbeitung.mic';

const browser = await launch();
try {
  const page = await newPage(browser);
  await login(page, user);
  await page.goto(`${BASE}/posteingang`);
  await waitForHydration(page);

  if (phase === 'upload') {
    const files = readdirSync(dir).sort().map((name) => join(dir, name));
    await page.locator('.upload-zone[data-ready="true"]').first().waitFor();
    await page.locator('.upload-panel input[type=file][multiple]').setInputFiles(files);
    const finished = page.locator('.upload-item.done, .upload-item.failed');
    const deadline = Date.now() + 10 * 60 * 1000;
    while ((await finished.count()) < files.length) {
      if (Date.now() > deadline) throw new Error(`uploads unfinished: ${await finished.count()} of ${files.length}`);
      await page.waitForTimeout(250);
    }
    const failed = await page.locator('.upload-item.failed').count();
    console.log(`uploaded=${files.length - failed} failed=${failed}`);
  } else if (phase === 'visit') {
    await page.reload();
    await waitForHydration(page);
    const links = await page.locator('a[href^="/dokumente/"]').evaluateAll((as) =>
      [...new Set(as.map((a) => a.getAttribute('href')).filter((h) => /^\/dokumente\/\d+$/.test(h)))],
    );
    let previews = 0;
    for (const link of links) {
      await page.goto(`${BASE}${link}`);
      await page.waitForLoadState('load');
      previews += await page
        .locator('img.preview-image')
        .evaluateAll((imgs) => imgs.filter((img) => img.complete && img.naturalWidth > 0).length);
    }
    await page.goto(`${BASE}/posteingang`);
    await waitForHydration(page);
    console.log(`visited=${links.length} previews=${previews}`);
  } else {
    throw new Error(`unknown phase ${phase}: upload or visit`);
  }
} finally {
  await browser.close();
}
