/**
 * Screenshots of an HTML report for reviewers, at a desktop and a phone width:
 * `tsx scripts/report-screenshot.ts report.html out.png` writes `out.png`
 * (1280 px wide) and `out.phone.png` (390 px), full page. Needs Chromium
 * (`/usr/bin/chromium`, or the path in CHROMIUM_PATH).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write("usage: tsx scripts/report-screenshot.ts report.html out.png\n");
  process.exit(2);
}
const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  process.stderr.write(`no Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)\n`);
  process.exit(1);
}
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const url = pathToFileURL(resolve(input)).href;
  const shots: [number, number, string][] = [
    [1280, 900, output],
    [390, 844, output.replace(/(\.png)?$/i, ".phone.png")],
  ];
  for (const [width, height, path] of shots) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: width < 600 ? 2 : 1 });
    await page.goto(url);
    await page.screenshot({ path, fullPage: true });
    await page.close();
    process.stdout.write(`${path}\n`);
  }
} finally {
  await browser.close();
}
