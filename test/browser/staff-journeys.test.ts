// What officials do on a phone (360×740) with the demo accounts of province 15 (Lào Cai): sign in, see their
// roles, get refused another commune, administer accounts; every page, error states included, is checked with
// axe. One journey runs with JavaScript switched off: the pages are plain HTML forms and must work without it.
//   motcua.xa1 works at commune 02647; 02671 is another commune of the same province.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../support/app.ts';
import {
  assertAccessible,
  browserSkip,
  browserAndApp,
  openPhonePage,
  signIn,
  submitSignIn,
  textOf,
} from './browser.ts';

describe('officials in a browser', { skip: browserSkip() }, () => {
  const fixture = browserAndApp();

  test('a desk officer signs in, sees the roles, is refused another commune and signs out', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/dang-nhap');
    assert.equal(await textOf(page, 'h1'), 'Đăng nhập');
    await assertAccessible(page);

    await submitSignIn(page, 'motcua.xa1', 'mat-khau-sai-roi');
    const fieldError = page.locator('#username-error');
    assert.equal(
      (await fieldError.innerText()).trim(),
      'Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra và thử lại.',
    );
    const usernameInput = page.getByLabel('Tên đăng nhập', { exact: true });
    assert.equal(await usernameInput.getAttribute('aria-invalid'), 'true');
    assert.equal(await usernameInput.getAttribute('aria-describedby'), 'username-error');
    assert.equal(await usernameInput.inputValue(), 'motcua.xa1');
    assert.match(await page.getByRole('alert').innerText(), /Có lỗi cần sửa/);
    await assertAccessible(page);

    await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL('**/tai-khoan');
    assert.equal(await textOf(page, 'h1'), 'Tài khoản của tôi');
    assert.match(await textOf(page, 'main ul'), /Cán bộ một cửa tại .*\(02647\)/);
    await assertAccessible(page);

    const refused = await page.goto('/quan-tri/don-vi/02671');
    assert.equal(refused?.status(), 403);
    assert.equal(await textOf(page, 'h1'), 'Đã có lỗi');
    assert.match(await textOf(page, 'main'), /Bạn không có quyền truy cập dữ liệu của đơn vị 02671/);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/dang-nhap?thong-bao=da-dang-xuat');
    assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0);
    await assertAccessible(page);

    await page.goto('/tai-khoan');
    assert.match(page.url(), /\/dang-nhap\?/, 'the account page asks to sign in again');
  });

  test('signing out says so on the sign-in page', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await signIn(page, 'lanhdao.xa1');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/dang-nhap?thong-bao=da-dang-xuat');
    assert.equal(await textOf(page, '.notice'), 'Bạn đã đăng xuất.');
  });

  test('a province admin creates an account, grants it a second role and revokes it', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await signIn(page, 'quantri.tinh');
    await page.getByRole('link', { name: 'Quản trị người dùng' }).click();
    await page.waitForURL('**/quan-tri/nguoi-dung');
    assert.equal(await textOf(page, 'h1'), 'Quản trị người dùng');
    await assertAccessible(page);

    const createButton = page.getByRole('button', { name: 'Tạo tài khoản' });
    await createButton.click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    assert.equal(await summary.getByRole('link').count(), 4);
    for (const [field, message] of [
      ['username', /^Tên đăng nhập phải dài 3–50 ký tự/],
      ['fullName', /^Họ và tên phải có từ 2 đến 100 ký tự/],
      ['password', /^Mật khẩu phải có ít nhất 10 ký tự/],
      ['unitCode', /^Mã đơn vị phải gồm 2 chữ số \(tỉnh\) hoặc 5 chữ số \(xã\)/],
    ] as const) {
      assert.match(await textOf(page, `#${field}-error`), message);
      assert.equal(await page.locator(`#${field}`).getAttribute('aria-invalid'), 'true');
      assert.equal(await summary.locator(`a[href="#${field}"]`).count(), 1, `summary links to ${field}`);
    }
    await assertAccessible(page);

    await page.getByLabel('Tên đăng nhập', { exact: true }).fill('motcua.moi');
    await page.getByLabel('Họ và tên', { exact: true }).fill('Đặng Thị Thuỳ Dương');
    await page.getByLabel('Mật khẩu ban đầu', { exact: true }).fill('mot-mat-khau-du-dai');
    await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Cán bộ một cửa' });
    await page.getByLabel('Mã đơn vị (tỉnh hoặc xã)', { exact: true }).fill('02647');
    await createButton.click();
    await page.waitForURL('**/quan-tri/nguoi-dung?thong-bao=da-tao');
    assert.equal(await page.getByRole('status').innerText(), 'Đã tạo tài khoản mới.');
    await assertAccessible(page);

    await page.getByRole('link', { name: 'motcua.moi', exact: true }).click();
    await page.waitForURL(/\/quan-tri\/nguoi-dung\/[0-9a-f-]{36}$/);
    const userUrl = page.url();
    assert.equal(await textOf(page, 'h1'), 'Tài khoản motcua.moi');
    assert.match(await textOf(page, 'dl.summary'), /Đặng Thị Thuỳ Dương/);
    await assertAccessible(page);

    const grantRows = (role: string) => page.locator('main table tr').filter({ hasText: role });
    await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Chuyên viên' });
    await page.getByLabel('Mã đơn vị (tỉnh hoặc xã)', { exact: true }).fill('02647');
    await page.getByRole('button', { name: 'Giao vai trò' }).click();
    await page.waitForURL(`${userUrl}?thong-bao=da-giao`);
    assert.equal(await page.getByRole('status').innerText(), 'Đã giao vai trò.');
    assert.equal(await grantRows('Chuyên viên').count(), 1);
    assert.equal(await grantRows('Cán bộ một cửa').count(), 1);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Thu hồi: Chuyên viên – 02647' }).click();
    await page.waitForURL(`${userUrl}?thong-bao=da-thu-hoi`);
    assert.equal(await page.getByRole('status').innerText(), 'Đã thu hồi vai trò.');
    assert.equal(await grantRows('Chuyên viên').count(), 0);
    assert.equal(await grantRows('Cán bộ một cửa').count(), 1);
    await assertAccessible(page);
  });

  test('signing in and searching the units work with JavaScript switched off', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl, {
      javaScriptEnabled: false,
    });
    await signIn(page, 'chuyenvien.xa1');
    assert.equal(await textOf(page, 'h1'), 'Tài khoản của tôi');

    await page.getByRole('link', { name: 'Đơn vị hành chính' }).click();
    await page.waitForURL('**/don-vi-hanh-chinh');
    await page.getByLabel(/^Tìm theo tên/).fill('ba dinh');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.getByRole('link', { name: 'Phường Ba Đình', exact: true }).click();
    await page.waitForURL(/\/don-vi-hanh-chinh\/\d{5}$/);
    assert.equal(await textOf(page, 'h1'), 'Phường Ba Đình');
  });
});
