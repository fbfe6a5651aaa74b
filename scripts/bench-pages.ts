// Page timings of the citizen's online-filing journey on a slow mobile line, for `npm run bench`: Debian's Chromium
// (/usr/bin/chromium, driven by playwright-core, never downloaded) throttled through the DevTools protocol to
// 400 kbit/s each way with 400 ms of added latency and its CPU slowed 4×, a 360×740 phone. Each page is reached
// the way a citizen reaches it (a link, or a form's POST and its redirects), and timed from the navigation's start
// to DOMContentLoaded, to load and to the first contentful paint; medians of 3 rounds, each round a fresh browser
// context (empty cache, no cookies) doing the whole journey, after one unthrottled warm-up round. The baseline, in
// the same context and under the same throttling: a static HTML page of about 1 KB from a bare Node.js http server,
// what the line costs before any of our bytes or work. The app runs in this process on its own embedded
// PostgreSQL, with the demo accounts, the shipped national catalogue and the test procedure.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { drizzle } from 'drizzle-orm/node-postgres';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { Agent } from '../test/support/app.ts';
import { command, SCAN_PDF, TEST_PROCEDURE_CODE, testProcedureRecord } from '../test/support/dossiers.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadDemoData } from '../src/demo-data.ts';
import { createModules } from '../src/modules.ts';
import { readCatalogueFile } from '../src/modules/procedures/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createPool, ensureDatabase, type Database } from '../src/platform/db/database.ts';
import { EmbeddedServer } from '../src/platform/db/embedded-server.ts';
import { migrate } from '../src/platform/db/migrate.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
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
const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../reference-data/procedures');
const PROVINCE = '15';
const ROUNDS = 3;
/** The budget of the issue: each page of the journey usable within 2 s on this line. */
export const PAGE_BUDGET_MS = 2000;

/** DevTools throttling: kbit/s means 1,024 bits here, as in Chromium's own presets. */
export const THROTTLING = {
  latencyMs: 400,
  downloadKbit: 400,
  uploadKbit: 400,
  cpuSlowdown: 4,
} as const;

export interface PageTiming {
  /** From the navigation's start (the click or the form's submit, before any redirect). */
  domContentLoadedMs: number;
  loadMs: number;
  firstContentfulPaintMs: number | null;
  /** The later of load and the first contentful paint: the page is complete and on the screen. */
  usableMs: number;
  redirects: number;
  /** The document and the resources it fetched, as sent (headers included; the app does not compress). */
  wireBytes: number;
  /** The document's HTML, gzipped here (what a compressing proxy would send). */
  htmlGzipBytes: number;
}

export interface JourneyPage {
  name: string;
  label: string;
  /** How the citizen gets there. */
  how: string;
  samples: PageTiming[];
}

export interface PagesBench {
  chromium: string;
  throttling: typeof THROTTLING;
  viewport: { width: number; height: number };
  rounds: number;
  css: { path: string; bytes: number; gzipBytes: number };
  baseline: { htmlBytes: number; samples: PageTiming[] };
  pages: JourneyPage[];
}

export type PagesResult = PagesBench | { skipped: string };

/** The bare page of the baseline: about 1 KB of static Vietnamese HTML, no stylesheet, no script. */
const BARE_HTML = `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Trang tĩnh</title></head>
<body>
<h1>Thủ tục hành chính</h1>
<p>Trang tĩnh khoảng 1 KB, phục vụ bởi một máy chủ Node.js http trần: mức sàn của đường truyền chậm, trước mọi byte
và mọi xử lý của xaso. Không có bảng định kiểu, không có mã chạy phía trình duyệt, không có cookie.</p>
<p>Người dân mở trang trên điện thoại rẻ tiền, sóng 3G yếu: mỗi lượt đi về mất 400 ms, băng thông 400 kbit/s mỗi
chiều, bộ xử lý chậm gấp bốn lần máy đo. Mọi trang của hành trình nộp hồ sơ trực tuyến được đo cùng điều kiện.</p>
<ul><li>Tìm thủ tục</li><li>Nộp hồ sơ</li><li>Tra cứu hồ sơ</li><li>Đánh giá</li></ul>
</body>
</html>
`;

// Runs in the page. Plain JavaScript in a string: tsx would wrap named functions of a TypeScript callback in a
// helper (`__name`) that does not exist in the page.
const READ_TIMING = `(async () => {
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const navigation = () => performance.getEntriesByType('navigation')[0];
  for (let i = 0; i < 200 && !(navigation() && navigation().loadEventEnd); i++) await wait(10);
  // The first paint may come after load on a slowed CPU: wait a little for it.
  const paint = () => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
  for (let i = 0; i < 100 && !paint(); i++) await wait(20);
  const nav = navigation();
  const resources = performance.getEntriesByType('resource').reduce((sum, e) => sum + (e.transferSize || 0), 0);
  return {
    domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : NaN,
    loadMs: nav ? nav.loadEventEnd : NaN,
    firstContentfulPaintMs: paint() ? paint().startTime : null,
    redirects: nav ? nav.redirectCount : 0,
    wireBytes: (nav ? nav.transferSize : 0) + resources,
  };
})()`;

/** The navigation timing of the page's current document, once its load event has finished. */
async function readTiming(page: Page): Promise<Omit<PageTiming, 'htmlGzipBytes' | 'usableMs'>> {
  await page.waitForLoadState('load');
  return page.evaluate<Omit<PageTiming, 'htmlGzipBytes' | 'usableMs'>>(READ_TIMING);
}

/** Runs `act` (which starts one navigation) and times the document it lands on. */
async function timed(page: Page, act: () => Promise<unknown>): Promise<PageTiming> {
  let document: Response | undefined;
  const onResponse = (response: Response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame())
      document = response;
  };
  page.on('response', onResponse);
  try {
    const loaded = page.waitForEvent('load');
    loaded.catch(() => {}); // awaited below; when `act` throws first, the context's close rejects it
    await act();
    await loaded;
    const timing = await readTiming(page);
    const body = document ? await document.body() : Buffer.alloc(0);
    return {
      ...timing,
      usableMs: Math.max(timing.loadMs, timing.firstContentfulPaintMs ?? 0),
      htmlGzipBytes: gzipSync(body).length,
    };
  } finally {
    page.off('response', onResponse);
  }
}

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: THROTTLING.latencyMs,
    downloadThroughput: (THROTTLING.downloadKbit * 1024) / 8,
    uploadThroughput: (THROTTLING.uploadKbit * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING.cpuSlowdown });
}

interface Step {
  name: string;
  label: string;
  how: string;
  act(page: Page): Promise<unknown>;
}

export async function benchPages(
  progress: (message: string) => void,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-bench-pages-')),
): Promise<PagesResult> {
  if (!fs.existsSync(CHROMIUM_PATH))
    return {
      skipped: `Chromium not found at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`); page timings skipped`,
    };
  fs.mkdirSync(dir, { recursive: true });
  const server = new EmbeddedServer({ clusterDir: path.join(dir, 'postgres'), port: 0, ownedRoot: dir });
  await server.start();
  const pool = createPool(server.connectionString('xaso'), 10);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let bare: http.Server | undefined;
  let browser: Browser | undefined;
  try {
    progress('pages: database, demo accounts, the national catalogue and the test procedure');
    await ensureDatabase(server.connectionString('postgres'), 'xaso');
    await migrate(pool);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PROVINCE_CODE: PROVINCE,
      STORAGE_DIR: path.join(dir, 'files'),
      DATA_DIR: dir,
    });
    const database: Database = {
      pool,
      db: drizzle(pool),
      description: 'bench',
      embedded: undefined,
      lock: undefined,
      close: async () => {},
    };
    const modules = createModules({ config, db: database.db, clock: systemClock });
    const { adminUnits, identity, procedures, calendar } = modules;
    await adminUnits.service.loadReferenceData();
    await loadDemoData(adminUnits.service, identity.service, PROVINCE);
    await calendar.service.ensureSeeded(PROVINCE);
    const national = 'national-commune-procedures.json';
    await procedures.service.importCatalogue(
      await readCatalogueFile(national, fs.readFileSync(path.join(SEED, national))),
      { fileName: national, dryRun: false, actor: null },
    );
    await procedures.service.importCatalogue(
      {
        format: 'announcement-json',
        rows: [{ row: 1, record: testProcedureRecord(), effectiveFrom: '2026-01-01' }],
        abolished: [],
        errors: [],
      },
      { fileName: 'bench.json', dryRun: false, actor: null },
    );

    app = await buildApp({ config, clock: systemClock, database, ...modules });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    bare = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(BARE_HTML);
    });
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/`;

    const desk = new Agent(app);
    const specialist = new Agent(app);
    const leader = new Agent(app);
    for (const [agent, username] of [
      [desk, 'motcua.xa1'],
      [specialist, 'chuyenvien.xa1'],
      [leader, 'lanhdao.xa1'],
    ] as const) {
      const login = await agent.login(username);
      if (login.statusCode !== 200) throw new Error(`Sign-in of ${username} failed: ${login.statusCode}`);
    }
    const specialistId = (
      await pool.query<{ id: string }>("select id from users where username = 'chuyenvien.xa1'")
    ).rows[0]!.id;

    /** The one-time code just sent to `phone`, from the outbox (as the SMS gateway would deliver it). */
    const lastCode = async (phone: string) => {
      const { rows } = await pool.query<{ code: string }>(
        `select params->>'code' as code from notification_outbox
         where destination = $1 and template = 'one_time_code' order by created_at desc limit 1`,
        [phone],
      );
      if (!rows[0]) throw new Error(`No one-time code went to ${phone}.`);
      return rows[0].code;
    };
    /** The desk accepts the dossier and the office takes it to its returned result, through the API. */
    const processToResult = async (code: string) => {
      const steps: [Agent, string, Record<string, unknown>][] = [
        [desk, 'accept', {}],
        [desk, 'assign', { assigneeId: specialistId }],
        [specialist, 'submit-for-approval', {}],
        [leader, 'approve', {}],
        [leader, 'issue-result', { resultTitle: 'Giấy khai sinh', resultContent: 'Họ và tên: Lò Văn An' }],
        [desk, 'return-result', {}],
      ];
      for (const [agent, action, payload] of steps) {
        const response = await command(
          agent,
          `/api/dossiers/${code}/${action}`,
          payload,
          crypto.randomUUID(),
        );
        if (response.statusCode !== 200)
          throw new Error(`${action} ${code}: ${response.statusCode} ${response.body}`);
      }
      const detail = (await desk.request({ method: 'GET', url: `/api/dossiers/${code}` })).json() as {
        dossier: { trackingUrl: string };
      };
      const url = new URL(detail.dossier.trackingUrl);
      return `${url.pathname}${url.search}`;
    };

    const procedurePath = `/thu-tuc/${encodeURIComponent(TEST_PROCEDURE_CODE)}`;
    const submit = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();
    const journey = (round: number, state: { phone: string; code: string }): Step[] => [
      {
        name: 'catalogue-search',
        label: 'catalogue search result',
        how: 'GET /thu-tuc?q=dang+ky+khai+sinh, first page of the visit (CSS not cached yet)',
        act: (page) => page.goto(`${baseUrl}/thu-tuc?q=dang+ky+khai+sinh`, { waitUntil: 'commit' }),
      },
      {
        name: 'procedure',
        label: 'procedure page',
        how: `link to ${procedurePath}`,
        act: (page) => page.getByRole('link', { name: testProcedureRecord().name, exact: true }).click(),
      },
      {
        name: 'filing-start',
        label: 'filing start',
        how: 'link “Nộp hồ sơ trực tuyến”',
        act: (page) => page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến', exact: true }).click(),
      },
      {
        name: 'code',
        label: 'code page',
        how: 'POST the phone, 200',
        act: async (page) => {
          await page.getByLabel('Số điện thoại di động hoặc thư điện tử').fill(state.phone);
          await submit(page, 'Gửi mã xác minh');
        },
      },
      {
        name: 'centre',
        label: 'draft: where to file',
        how: 'POST the code, 303 to the draft, 303 to its first page',
        act: async (page) => {
          await page.getByLabel('Mã xác minh').fill(await lastCode(state.phone));
          await submit(page, 'Xác minh và tiếp tục');
        },
      },
      {
        name: 'applicant',
        label: 'draft: applicant',
        how: 'POST the centre, 303',
        act: async (page) => {
          await page.getByLabel('Trung tâm tiếp nhận hồ sơ').selectOption('02647');
          await submit(page, 'Tiếp tục');
        },
      },
      {
        name: 'question',
        label: 'draft: question page',
        how: 'POST the applicant, 303',
        act: async (page) => {
          await page.getByLabel('Họ và tên (tên tổ chức)').fill('Lò Thị Mai');
          await page.getByLabel(/^Số định danh cá nhân/).fill('010203004567');
          await page.getByLabel('Địa chỉ').fill('Thôn Nà Hỏm, xã Bảo Yên, tỉnh Lào Cai');
          await page.getByLabel('Số điện thoại').fill(state.phone);
          await submit(page, 'Tiếp tục');
        },
      },
      {
        name: 'documents',
        label: 'draft: documents',
        how: 'POST the answer, 303',
        act: async (page) => {
          await page
            .getByLabel('Nội dung yêu cầu giải quyết')
            .fill(`Đăng ký khai sinh cho con, lượt ${round}`);
          await submit(page, 'Tiếp tục');
        },
      },
      {
        name: 'documents-uploaded',
        label: 'draft: documents, after an upload',
        how: `POST one file (${SCAN_PDF.length} B PDF), 200`,
        act: async (page) => {
          await page
            .getByLabel('Chọn tệp cho “Tờ khai đăng ký khai sinh”')
            .setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF });
          await page.locator('form[action$="/giay-to/1"]').getByRole('button', { name: 'Tải lên' }).click();
        },
      },
      {
        name: 'summary',
        label: 'draft: summary',
        how: 'link “Tiếp tục”',
        act: (page) => page.getByRole('link', { name: 'Tiếp tục', exact: true }).click(),
      },
      {
        name: 'confirmation',
        label: 'confirmation',
        how: 'POST submit, 303',
        act: (page) => submit(page, 'Nộp hồ sơ'),
      },
      {
        name: 'tracking',
        label: 'tracking page with the rating form',
        how: 'GET the QR link after the office returned the result',
        act: async (page) => {
          const done = /\/nop-ho-so\/da-nop\/(\d{5}-\d{6}-\d{4,})\?/.exec(page.url());
          if (!done) throw new Error(`Not on the confirmation page: ${page.url()}`);
          state.code = done[1]!;
          return page.goto(`${baseUrl}${await processToResult(state.code)}`, { waitUntil: 'commit' });
        },
      },
    ];

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    const viewport = { width: 360, height: 740 };
    const steps = journey(0, { phone: '', code: '' });
    const pages: JourneyPage[] = steps.map((s) => ({
      name: s.name,
      label: s.label,
      how: s.how,
      samples: [],
    }));
    const baselineSamples: PageTiming[] = [];
    // Round 0 warms the app's code paths and is not throttled or kept.
    for (let round = 0; round <= ROUNDS; round++) {
      progress(round === 0 ? 'pages: warm-up journey' : `pages: slow-3G journey, round ${round}/${ROUNDS}`);
      const context = await browser.newContext({ viewport });
      try {
        const isMeasured = round > 0;
        // The bare page first, in its own tab: three loads under the same throttling, the median kept.
        const floor = await context.newPage();
        await floor.goto(`${bareUrl}?start`);
        if (isMeasured) await throttle(floor);
        const floorTimes: PageTiming[] = [];
        for (let i = 0; i < 3; i++) floorTimes.push(await timed(floor, () => floor.goto(`${bareUrl}?${i}`)));
        if (isMeasured) baselineSamples.push(floorTimes.sort((a, b) => a.usableMs - b.usableMs)[1]!);
        await floor.close();

        // The journey's tab starts on the app's origin (so that no process swap drops the throttling), with
        // nothing cached: /health is JSON and links no stylesheet.
        const page = await context.newPage();
        await page.goto(`${baseUrl}/health`);
        if (isMeasured) await throttle(page);
        const state = { phone: `091234${5670 + round}`, code: '' };
        for (const [index, step] of journey(round, state).entries()) {
          const timing = await timed(page, () => step.act(page));
          if (isMeasured) pages[index]!.samples.push(timing);
        }
      } finally {
        await context.close();
      }
    }

    const home = await (await fetch(`${baseUrl}/thu-tuc`)).text();
    const cssPath = /<link rel="stylesheet" href="([^"]+)"/.exec(home)?.[1];
    if (!cssPath) throw new Error('The catalogue page links no stylesheet.');
    const css = Buffer.from(await (await fetch(`${baseUrl}${cssPath}`)).arrayBuffer());
    return {
      chromium: browser.version(),
      throttling: THROTTLING,
      viewport,
      rounds: ROUNDS,
      css: { path: cssPath, bytes: css.length, gzipBytes: gzipSync(css).length },
      baseline: { htmlBytes: Buffer.byteLength(BARE_HTML), samples: baselineSamples },
      pages,
    };
  } finally {
    await browser?.close();
    await app?.close();
    if (bare) await new Promise((resolve) => bare!.close(resolve));
    await pool.end();
    await server.stop();
  }
}
