// The browser tier: journeys in Debian's Chromium (/usr/bin/chromium) driven by playwright-core, with axe-core
// checking every page against WCAG 2.1 A and AA. Playwright never downloads a browser here; a machine without
// Chromium skips the tier, unless REQUIRE_BROWSER=1 (CI) makes that a failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../support/app.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

// Playwright adds a fresh temporary --user-data-dir of its own and deletes it on close (it refuses one in args).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const INSTALL_HINT = 'install it with `apt-get install -y chromium`';

/** A cheap phone: the width most citizens see the pages at. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const axeSource = fs.readFileSync(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');

/** The `skip` option of a browser suite: a reason when Chromium is missing, false when the suite must run. */
export function browserSkip(): string | false {
  if (fs.existsSync(CHROMIUM_PATH) || process.env.REQUIRE_BROWSER === '1') return false;
  return `Chromium not found at ${CHROMIUM_PATH}: ${INSTALL_HINT} (REQUIRE_BROWSER=1 turns this skip into a failure)`;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH))
    throw new Error(`REQUIRE_BROWSER=1 but Chromium is not at ${CHROMIUM_PATH}: ${INSTALL_HINT}.`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface ServedApp {
  testApp: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/** The whole app on its own cloned database with the demo accounts, listening on a free local port. */
export async function serveTestApp(): Promise<ServedApp> {
  const testApp = await createTestApp();
  const baseUrl = await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  return { testApp, baseUrl, close: () => testApp.close() };
}

// page.evaluate never settles in a context without JavaScript, so axe cannot run there: fail fast instead of hanging.
const pagesWithoutJavaScript = new WeakSet<Page>();

/**
 * A page in a fresh context (no cookies) at phone size, closed when the test ends. CSP is bypassed only so that
 * axe can be injected; the pages themselves never need a script.
 */
export async function openPhonePage(
  t: TestContext,
  browser: Browser,
  baseUrl: string,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<Page> {
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: PHONE_VIEWPORT,
    bypassCSP: true,
    javaScriptEnabled,
  });
  t.after(() => context.close());
  const page = await context.newPage();
  if (!javaScriptEnabled) pagesWithoutJavaScript.add(page);
  return page;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** What the page's global scope offers; the project compiles without the DOM library. */
interface PageGlobal {
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
  document: { documentElement: { scrollWidth: number } };
}

/**
 * Runs axe (WCAG 2.0/2.1 A and AA) on the page as it is now and fails listing every violation. Also checks what
 * axe cannot: that the page reflows to the phone's width without scrolling sideways (WCAG 1.4.10).
 */
export async function assertAccessible(page: Page): Promise<void> {
  if (pagesWithoutJavaScript.has(page))
    throw new Error('axe needs JavaScript: check the page in a context with JavaScript enabled.');
  // Contrast is computed from the styles, so wait for the stylesheet as well as the markup.
  await page.waitForLoadState('load');
  const hasAxe = await page.evaluate(() => (globalThis as unknown as PageGlobal).axe !== undefined);
  if (!hasAxe) await page.evaluate(axeSource);
  const { violations, scrollWidth } = await page.evaluate(async (tags) => {
    const scope = globalThis as unknown as PageGlobal;
    const results = await scope.axe!.run(scope.document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return {
      scrollWidth: scope.document.documentElement.scrollWidth,
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })),
    };
  }, WCAG_TAGS);
  const report = violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes.map((n) => `    ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`).join('\n'),
    )
    .join('\n');
  assert.equal(violations.length, 0, `axe found problems on ${page.url()}:\n${report}`);
  const width = page.viewportSize()?.width ?? PHONE_VIEWPORT.width;
  assert.ok(
    scrollWidth <= width,
    `${page.url()} scrolls sideways: ${scrollWidth} px wide on a ${width} px screen`,
  );
}

/** The text of the element, trimmed; waits for it like any Playwright action. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).trim();
}

export interface PageWeight {
  html: number;
  css: number;
  total: number;
}

/** Gzipped bytes of a page's HTML and the stylesheets it links: what a citizen downloads on a first visit. */
export async function gzippedPageWeight(url: string): Promise<PageWeight> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  const html = await response.text();
  const stylesheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(stylesheets.length > 0, `${url} links no stylesheet`);
  let css = 0;
  for (const href of stylesheets) {
    const cssResponse = await fetch(new URL(href, url));
    assert.equal(cssResponse.status, 200, `GET ${href}`);
    css += gzipSync(Buffer.from(await cssResponse.arrayBuffer())).length;
  }
  const htmlSize = gzipSync(Buffer.from(html)).length;
  return { html: htmlSize, css, total: htmlSize + css };
}

/**
 * Registers, in the calling describe, a browser and a served test app for its tests. The browser starts first:
 * when it cannot start, no app is left listening to keep the test process alive.
 */
export function browserAndApp(): { readonly browser: Browser; readonly server: ServedApp } {
  const fixture = {} as { browser: Browser; server: ServedApp };
  before(async () => {
    fixture.browser = await launchBrowser();
    fixture.server = await serveTestApp();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}

export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Signs a demo account in through the sign-in page and waits for the account page. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/dang-nhap');
  await submitSignIn(page, username, DEMO_PASSWORD);
  await page.waitForURL('**/tai-khoan');
}
