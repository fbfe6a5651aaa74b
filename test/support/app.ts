// The whole app on a fresh test database, with the demo accounts, driven through fastify.inject with a cookie jar.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo-data.ts';
import type { AdminUnitsModule } from '../../src/modules/admin-units/index.ts';
import type { IdentityModule } from '../../src/modules/identity/index.ts';
import { createModules } from '../../src/modules.ts';
import { startSigningWorker } from '../../src/signing-worker.ts';
import type { ProceduresModule } from '../../src/modules/procedures/index.ts';
import type { CalendarModule } from '../../src/modules/calendar/index.ts';
import type { DossiersModule } from '../../src/modules/dossiers/index.ts';
import type { FeedbackModule } from '../../src/modules/feedback/index.ts';
import type { NotificationsModule } from '../../src/modules/notifications/index.ts';
import type { FindIssuedFile, SigningModule } from '../../src/modules/signing/index.ts';
import { systemClock, type Clock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createTestDatabase } from './database.ts';

export { DEMO_PASSWORD };

/** Where the test process's demo CA and test certificates live (removed when the process exits). */
export const TEST_SIGNING_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-test-signing-'));
process.on('exit', () => fs.rmSync(TEST_SIGNING_DIR, { recursive: true, force: true }));

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  adminUnits: AdminUnitsModule;
  identity: IdentityModule;
  procedures: ProceduresModule;
  calendar: CalendarModule;
  dossiers: DossiersModule;
  notifications: NotificationsModule;
  feedback: FeedbackModule;
  signing: SigningModule;
  close(): Promise<void>;
}

export async function createTestApp(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    findIssuedFile?: FindIssuedFile;
    /** Receipts signed in the signing worker thread, as `npm start` does (its clock is the system's). */
    signingWorker?: boolean;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = options.clock ?? systemClock;
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-test-files-'));
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PROVINCE_CODE: '15',
    STORAGE_DIR: storageDir,
    // One demo certification authority per test process: made once, shared by the test apps of the file.
    SIGNING_DIR: TEST_SIGNING_DIR,
    ...options.env,
  };
  const config = loadConfig(env);
  const worker = options.signingWorker
    ? startSigningWorker({ connectionString: database.pool.options.connectionString!, env })
    : undefined;
  const modules = createModules({
    config,
    db: database.db,
    clock,
    findIssuedFile: options.findIssuedFile,
    backgroundSigner: worker,
  });
  const { adminUnits, identity, procedures, calendar, dossiers, notifications, feedback, signing } = modules;
  await loadDemoData(adminUnits.service, identity.service, config.provinceCode);
  await calendar.service.ensureSeeded(config.provinceCode);
  const app = await buildApp({ config, clock, database, ...modules });
  await app.ready();
  return {
    app,
    database,
    config,
    adminUnits,
    identity,
    procedures,
    calendar,
    dossiers,
    notifications,
    feedback,
    signing,
    close: async () => {
      await app.close();
      await signing.documents.idle();
      await worker?.close();
      await database.close();
      fs.rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps cookies between requests and knows how to fetch a CSRF token. */
export class Agent {
  private cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.inject({
      ...options,
      headers: { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) },
    });
    for (const c of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0)
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  async csrfToken(): Promise<string> {
    const response = await this.request({ method: 'GET', url: '/api/session/csrf-token' });
    return (response.json() as { token: string }).token;
  }

  /** A JSON command with a fresh CSRF token. */
  async command(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    const token = await this.csrfToken();
    return this.request({
      method,
      url,
      payload: payload as InjectOptions['payload'],
      headers: { 'x-csrf-token': token },
    });
  }

  async login(username: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    return this.command('POST', '/api/session', { username, password });
  }

  forgetCookies(): void {
    this.cookies.clear();
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}
