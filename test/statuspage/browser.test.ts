/**
 * The built status page in a real browser: headless Chromium (Debian's `chromium`) loads the site
 * from a static server on a loopback port, at a phone and a desktop width, light and dark, with
 * JavaScript on and off, and the test reads what a visitor sees — component states, the public
 * updates newest first (a `<script>` in one shows as text), maintenance scheduled, in progress and
 * completed, and never an internal timeline entry. Screenshots are kept in
 * test-artifacts/status-page/. A missing Chromium skips loudly on a laptop and fails under CI.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { skipUnlessCI } from '../helpers/prereq.js';
import { onPath } from '../helpers/servers.js';
import { INTERNAL, recordScenario } from './scenario.js';

const CHROMIUM = process.env.IR_CHROMIUM ?? onPath('chromium') ?? onPath('chromium-browser');
const skip = CHROMIUM
  ? undefined
  : skipUnlessCI('chromium is not installed: the status page browser test cannot run (apt-get install chromium)');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'status-page');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.atom': 'application/atom+xml',
};

/** The site as any static host serves it: files by path, `/` → index.html, nothing else. */
function staticServer(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(root, normalize(path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

describe.skipIf(skip !== undefined)('the status page in Chromium', () => {
  let dir: string;
  let site: { server: Server; url: string };
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-browser-'));
    await recordScenario(dir);

    site = await staticServer(join(dir, 'site'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (site ? site.server.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page and records everything that went wrong while it loaded. */
  async function open(path: string, options: BrowserContextOptions) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('dialog', (d) => problems.push(`dialog opened: ${d.message()}`));
    const res = await page.goto(site.url + path, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return { page, problems, close: () => context.close() };
  }

  const text = (page: Page, selector: string) => page.locator(selector).innerText();
  /** Computed in the page (an expression string: the tests are compiled without the DOM's types). */
  const background = (page: Page, selector: string) =>
    page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);

  const widths = [
    { name: 'desktop', viewport: { width: 1280, height: 900 }, isMobile: false },
    { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
  ];

  for (const w of widths) {
    it(`shows a visitor the components, the public updates and maintenance (${w.name})`, async () => {
      const { page, problems, close } = await open('', { viewport: w.viewport, isMobile: w.isMobile });
      try {
        expect(await page.title()).toBe('Example status');
        expect(await text(page, 'h1')).toBe('Example status');
        expect(await text(page, '[role=status]')).toBe('Partial System Outage');
        expect(await page.locator('html').getAttribute('lang')).toBe('en');

        // Every component's state, in words.
        expect(await text(page, '#component-api .state')).toBe('Partial outage');
        expect(await text(page, '#component-db .state')).toBe('Operational');
        expect(await text(page, '#component-web .state')).toBe('Under maintenance');
        expect(await text(page, 'section[aria-labelledby=h-components] h3')).toBe('Core');

        // The open incident: its public updates, newest first; the <script> is text, not code.
        const incident = page.locator('section[aria-labelledby=h-open] article');
        await expect(incident.locator('h3').innerText()).resolves.toBe('API errors');
        const updates = await incident.locator('ol.updates > li p:first-child').allInnerTexts();
        expect(updates).toEqual([
          'Investigating — A fix is rolling out. <script>alert(1)</script>',
          'Investigating — We are investigating elevated error rates on the API.',
        ]);
        expect(await page.locator('script').count()).toBe(0);

        // Maintenance in each state it can show; a cancelled window is not on the page.
        expect(await text(page, 'section[aria-labelledby=h-active]')).toMatch(
          /CDN switch[\s\S]*In progress[\s\S]*Website/,
        );
        expect(await text(page, 'section[aria-labelledby=h-upcoming]')).toMatch(
          /Database upgrade[\s\S]*Scheduled[\s\S]*28 Nov 2026, 22:00 UTC[\s\S]*Database[\s\S]*Writes pause for up to a minute\./,
        );
        expect(await text(page, 'section[aria-labelledby=h-completed]')).toMatch(/Replica resync[\s\S]*Completed/);
        const body = await page.locator('body').innerText();
        expect(body).not.toContain('Called off');

        // The resolved incident is in the past; internal entries are nowhere.
        expect(await text(page, 'section[aria-labelledby=h-past]')).toContain('Slow database queries');
        for (const note of INTERNAL) expect(await page.content()).not.toContain(note);

        // The stylesheet loaded and the page fits the screen: nothing to scroll sideways.
        const banner = await background(page, '[role=status]');
        expect(banner).not.toBe('rgba(0, 0, 0, 0)');
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);
        // A phone shows the last 30 days of each strip, a desktop all 90.
        const days = await page.locator('#component-api ol.strip > li:visible').count();
        expect(days).toBe(w.name === 'phone' ? 30 : 90);
        expect(await text(page, '#component-api .strip-legend')).toMatch(
          new RegExp(`^${days} days ago\\s+99\\.97% uptime\\s+Today$`),
        );

        await page.screenshot({ path: join(ARTIFACTS, `${w.name}.png`), fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('reads the same without JavaScript, and in dark mode', async () => {
    const { page, problems, close } = await open('', {
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
      colorScheme: 'dark',
    });
    try {
      expect(await text(page, '[role=status]')).toBe('Partial System Outage');
      expect(await text(page, '#component-api .state')).toBe('Partial outage');
      expect(await page.locator('body').innerText()).toContain('A fix is rolling out. <script>alert(1)</script>');
      const bg = await background(page, 'body');
      expect(bg).toBe('rgb(13, 17, 23)');
      await page.screenshot({ path: join(ARTIFACTS, 'phone-dark.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('follows the links to the incident history and the JSON', async () => {
    const { page, problems, close } = await open('', { viewport: { width: 1280, height: 900 } });
    try {
      await page.getByRole('link', { name: 'Slow database queries' }).click();
      await page.waitForURL(/history\/inc-1\.html$/);
      expect(await text(page, 'h1')).toBe('Slow database queries');
      expect(await page.locator('main').innerText()).toMatch(
        /Resolved[\s\S]*Affected: Database[\s\S]*Some pages load slowly; we are looking into it\./,
      );
      await page.getByRole('link', { name: 'Incident history' }).click();
      expect(await page.locator('main ul.history a').allInnerTexts()).toEqual(['API errors', 'Slow database queries']);
      await page.getByRole('link', { name: 'API errors' }).click();
      const updates = await page.locator('ol.updates').innerText();
      for (const note of INTERNAL) expect(updates).not.toContain(note);
      expect(problems).toEqual([]);
      // (A bare JSON document has no <link rel=icon>, so Chromium asks for /favicon.ico: not checked.)
      await page.getByRole('link', { name: 'JSON (Statuspage v2)' }).click();
      const summary = JSON.parse(await page.locator('body').innerText());
      expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    } finally {
      await close();
    }
  });
});
