// Debian's Chromium under playwright-core, started the one way this machine allows (no sandbox, no background network).
'use strict';
const { chromium } = require('playwright-core');

/** Launches headless Chromium and opens one 1280×800 page with a 10 s default timeout. */
async function openPage() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(10000);
  return { browser, page };
}

module.exports = { openPage };
