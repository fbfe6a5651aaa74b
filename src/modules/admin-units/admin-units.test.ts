import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { fixedClock } from '../../platform/clock.ts';
import { ADMIN_UNITS_FILE, parseAdminUnits } from './admin-units.reference.ts';
import { createAdminUnitsService } from './admin-units.service.ts';

let t: TestApp;
let agent: Agent;
before(async () => {
  t = await createTestApp();
  agent = new Agent(t.app);
});
after(() => t.close());

test('the dataset has 34 provinces and 3,321 communes with known types', () => {
  const rows = parseAdminUnits(fs.readFileSync(ADMIN_UNITS_FILE, 'utf8'));
  assert.equal(rows.filter((r) => r.level === 'province').length, 34);
  assert.equal(rows.filter((r) => r.level === 'commune').length, 3321);
  const types = new Set(rows.map((r) => r.type));
  assert.deepEqual([...types].sort(), ['dac_khu', 'phuong', 'thanh_pho', 'tinh', 'xa']);
  assert.ok(
    rows.every((r) => /^[A-ZĐÂ]/u.test(r.fullName)),
    'every full name starts with a capital',
  );
});

test('a malformed dataset is refused with the offending entry named', () => {
  assert.throws(() => parseAdminUnits('[{"Code":"1","Name":"X"}]'), /thiếu trường NameEn|không đúng dạng/);
  assert.throws(
    () =>
      parseAdminUnits(
        JSON.stringify([
          {
            Code: '99',
            Name: 'X',
            NameEn: 'X',
            FullName: 'Vùng X',
            FullNameEn: 'X',
            CodeName: 'x',
            Wards: [],
          },
        ]),
      ),
    /không nhận ra loại của "Vùng X"/,
  );
});

test('the API lists 34 provinces and 3,321 communes', async () => {
  const provinces = (
    await agent.request({ method: 'GET', url: '/api/admin-units?level=province&pageSize=100' })
  ).json();
  assert.equal(provinces.total, 34);
  assert.equal(provinces.items.length, 34);
  const communes = (
    await agent.request({ method: 'GET', url: '/api/admin-units?level=commune&pageSize=5000' })
  ).json();
  assert.equal(communes.total, 3321);
  assert.equal(communes.items.length, 3321);
  const hanoi = provinces.items.find((p: { code: string }) => p.code === '01');
  assert.equal(hanoi.type, 'thanh_pho');
  assert.equal(hanoi.fullName, 'Thành phố Hà Nội');
});

test('search ignores diacritics: "ba dinh" finds Phường Ba Đình', async () => {
  const result = (await agent.request({ method: 'GET', url: '/api/admin-units?q=ba%20dinh' })).json();
  assert.ok(
    result.items.some(
      (u: { code: string; fullName: string }) => u.code === '00004' && u.fullName === 'Phường Ba Đình',
    ),
  );
  const accented = (
    await agent.request({ method: 'GET', url: `/api/admin-units?q=${encodeURIComponent('Ba Đình')}` })
  ).json();
  assert.deepEqual(
    accented.items.map((u: { code: string }) => u.code),
    result.items.map((u: { code: string }) => u.code),
  );
  const byCode = (await agent.request({ method: 'GET', url: '/api/admin-units?q=00004' })).json();
  assert.equal(byCode.items[0].code, '00004');
});

test('an unknown unit code answers 404 with a Vietnamese message; a malformed one 400', async () => {
  const missing = await agent.request({ method: 'GET', url: '/api/admin-units/99999' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'ADMIN_UNIT_NOT_FOUND');
  assert.match(missing.json().error.message, /Không có đơn vị hành chính nào mang mã “99999”/);
  const malformed = await agent.request({ method: 'GET', url: '/api/admin-units/abc' });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().error.code, 'VALIDATION_FAILED');
});

test('the browse page lists provinces and the communes of one, and searches without diacritics', async () => {
  const home = await agent.request({ method: 'GET', url: '/don-vi-hanh-chinh' });
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /Tỉnh Lào Cai/);
  const laoCai = await agent.request({ method: 'GET', url: '/don-vi-hanh-chinh?tinh=15' });
  assert.match(laoCai.body, /Xã, phường, đặc khu thuộc Tỉnh Lào Cai/);
  const search = await agent.request({ method: 'GET', url: '/don-vi-hanh-chinh?q=ba+dinh' });
  assert.match(search.body, /Phường Ba Đình/);
  const unknown = await agent.request({ method: 'GET', url: '/don-vi-hanh-chinh?tinh=99' });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /Không có đơn vị hành chính nào mang mã/);
});

test('reloading the same dataset changes nothing; a unit dropped from a later dataset is closed, not deleted', async () => {
  const clock = fixedClock('2027-01-01T00:00:00Z');
  const service = createAdminUnitsService({ db: t.database.db, clock });
  assert.deepEqual(await service.loadReferenceData(), { loaded: false, units: 3355 });

  const data = JSON.parse(fs.readFileSync(ADMIN_UNITS_FILE, 'utf8'));
  data[0].Wards = data[0].Wards.filter((w: { Code: string }) => w.Code !== '00004');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-units-')), 'units.json');
  fs.writeFileSync(file, JSON.stringify(data));
  assert.deepEqual(await service.loadReferenceData(file), { loaded: true, units: 3354 });
  assert.equal(await service.findUnit('00004'), undefined);
  const { rows } = await t.database.pool.query(
    "select valid_from::text, valid_to::text from admin_units where code = '00004'",
  );
  assert.deepEqual(rows, [{ valid_from: '2025-07-01', valid_to: '2027-01-01' }]);
  // Restore for the other tests of this file.
  assert.equal((await service.loadReferenceData()).loaded, true);
  assert.ok(await service.findUnit('00004'));
});
