import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  PASSWORD,
  seedUser,
  signIn,
  type TestApp,
} from '../../test-support/app.js';

const login = (t: TestApp, user: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: user, password }, headers });

describe('sign-in and sessions', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
    await seedUser(t, 'zhangsan', ['staff']);
  });
  afterAll(() => t.close());

  it('sets an httpOnly, SameSite=Strict session cookie and returns the user and a CSRF token', async () => {
    const res = await login(t, 'ZhangSan ', PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'kedang_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(res.json()).toMatchObject({ user: { login: 'zhangsan', roles: ['staff'], clearance: 'normal' } });
    expect(res.json().csrfToken).toMatch(/^[\w-]{20,}$/);
    // Only a hash of the cookie is stored.
    const stored = await t.database.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(cookie?.value);
  });

  it('stores argon2id password hashes', async () => {
    const row = await t.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('login', '=', 'zhangsan')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await login(t, 'zhangsan', 'wrong-password-1');
    const unknown = await login(t, 'nobody', 'wrong-password-1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(wrong.json().title).toBe(unknown.json().title);
    expect(wrong.json().title).toBe('用户名或密码错误');
    const audit = await admin.get('/api/audit?action=auth.login&outcome=failure');
    const reasons = audit
      .json()
      .items.map((e: { actorLogin: string; details: { reason: string } }) => [
        e.actorLogin,
        e.details.reason,
      ]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['zhangsan', 'wrong_password'],
        ['nobody', 'unknown_user'],
      ]),
    );
  });

  it('cannot use a session cookie after logout', async () => {
    const client = await signIn(t.app, 'zhangsan');
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    const after = await client.get('/api/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('session_expired');
  });

  it('expires an idle session after the configured hours', async () => {
    const client = await signIn(t.app, 'zhangsan');
    t.clock.advance((t.config.sessionHours + 1) * 3_600_000);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('requires the CSRF token for writes made with the cookie', async () => {
    const client = await signIn(t.app, 'admin');
    const body = { name: '无令牌部门', code: null };
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      cookies: { kedang_session: client.cookie },
      payload: body,
    });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('csrf_failed');
    const wrong = await client.inject({
      method: 'POST',
      url: '/api/departments',
      payload: body,
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(wrong.statusCode).toBe(403);
    const depts = await client.get('/api/departments');
    expect(depts.json().items.map((d: { name: string }) => d.name)).not.toContain('无令牌部门');
    expect((await client.post('/api/departments', body)).statusCode).toBe(201);
  });

  it('marks the cookie Secure when served over HTTPS behind a trusted proxy', async () => {
    const https = await createTestApp({ trustProxy: true });
    try {
      const res = await login(https, 'admin', PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(res.cookies.find((c) => c.name === 'kedang_session')?.secure).toBe(true);
    } finally {
      await https.close();
    }
  });
});

describe('lockout after 5 failed sign-ins (15 minutes)', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
    await seedUser(t, 'lisi', ['staff']);
  });
  afterAll(() => t.close());

  it('locks on the fifth failure, refuses even the right password, and opens again after 15 minutes', async () => {
    for (let i = 1; i <= 4; i++) expect((await login(t, 'lisi', `wrong-${i}-password`)).statusCode).toBe(401);
    const fifth = await login(t, 'lisi', 'wrong-5-password');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('account_locked');

    const right = await login(t, 'lisi', PASSWORD);
    expect(right.statusCode).toBe(423);

    t.clock.advance(14 * 60_000);
    expect((await login(t, 'lisi', PASSWORD)).statusCode).toBe(423);
    t.clock.advance(61_000);
    expect((await login(t, 'lisi', PASSWORD)).statusCode).toBe(200);

    const lockouts = await admin.get('/api/audit?action=auth.lockout');
    expect(lockouts.json().items).toHaveLength(1);
    expect(lockouts.json().items[0]).toMatchObject({ targetLabel: 'lisi', details: { failures: 5 } });
  });

  it('locks a login nobody has just as it locks an account, so the lockout tells no one who exists', async () => {
    const answers = async (loginName: string) => {
      const out: [number, string][] = [];
      for (let i = 1; i <= 6; i++) {
        const res = await login(t, loginName, `wrong-${i}-password`);
        out.push([res.statusCode, res.json().code]);
      }
      return out;
    };
    await seedUser(t, 'wangba', ['staff']);
    const known = await answers('wangba');
    const unknown = await answers('nobody-here');
    expect(unknown).toEqual(known);
    expect(unknown.slice(4)).toEqual([
      [423, 'account_locked'],
      [423, 'account_locked'],
    ]);
    t.clock.advance(16 * 60_000);
    expect((await login(t, 'nobody-here', 'wrong-7-password')).json().code).toBe('invalid_credentials');
  });

  it('resets the count after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) await login(t, 'lisi', 'wrong-password-x');
    expect((await login(t, 'lisi', PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(t, 'lisi', 'wrong-password-y')).statusCode).toBe(401);
  });

  it('can be lifted by an administrator', async () => {
    await login(t, 'lisi', 'wrong-password-z'); // fifth in a row
    const user = await t.database.db
      .selectFrom('users')
      .select(['id', 'locked_until'])
      .where('login', '=', 'lisi')
      .executeTakeFirstOrThrow();
    expect(user.locked_until).not.toBeNull();
    const res = await admin.post(`/api/users/${user.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(res.json().lockedUntil).toBeNull();
    expect((await login(t, 'lisi', PASSWORD)).statusCode).toBe(200);
  });

  it('rate-limits the login route per address', async () => {
    const limited = await createTestApp({ loginRateLimit: 3 });
    try {
      for (let i = 0; i < 3; i++) await login(limited, 'admin', 'wrong-password-1');
      const res = await login(limited, 'admin', PASSWORD);
      expect(res.statusCode).toBe(429);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedUser(t, 'newbie', ['staff'], { mustChangePassword: true });
    await seedUser(t, 'wangwu', ['staff']);
  });
  afterAll(() => t.close());

  it('makes a user with an initial password change it before doing anything else', async () => {
    const client = await signIn(t.app, 'newbie');
    const me = await client.get('/api/auth/me');
    expect(me.json().user.mustChangePassword).toBe(true);
    const blocked = await client.get('/api/departments');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');

    const weak = await client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([
      { field: 'newPassword', code: 'password_short', message: '密码至少 10 位' },
    ]);

    const changed = await client.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'Brand-new-pass-9',
    });
    expect(changed.statusCode).toBe(204);
    expect((await client.get('/api/departments')).statusCode).toBe(200);
  });

  it('checks the current password and signs out the other sessions', async () => {
    const a = await signIn(t.app, 'wangwu');
    const b = await signIn(t.app, 'wangwu');
    const wrong = await a.post('/api/auth/password', {
      currentPassword: 'not-my-password-1',
      newPassword: 'Another-pass-77',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'currentPassword', code: 'wrong_password' });

    expect(
      (await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Another-pass-77' }))
        .statusCode,
    ).toBe(204);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(t, 'wangwu', PASSWORD)).statusCode).toBe(401);
    expect((await login(t, 'wangwu', 'Another-pass-77')).statusCode).toBe(200);
  });

  it('refuses common and guessable passwords, saying why in Chinese (or English)', async () => {
    const client = await signIn(t.app, 'wangwu', 'Another-pass-77');
    const change = (newPassword: string, headers: Record<string, string> = {}) =>
      client.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'Another-pass-77', newPassword },
        headers,
      });
    const cases: [string, string, string][] = [
      // Letters and digits, ten characters: what the old rule let through.
      ['Password123', 'password_common', '这是常用密码，或与常用密码相近'],
      ['Passw0rd-test', 'password_common', '这是常用密码，或与常用密码相近'],
      ['1qaz2wsx3edc', 'password_common', '这是常用密码，或与常用密码相近'],
      // The login, and also the placeholder name 王五 everyone types: common first.
      ['wangwu123456', 'password_common', '这是常用密码，或与常用密码相近'],
      ['kedang2026!', 'password_personal', '密码含有登录名、姓名、邮箱或系统名称'],
      ['aaaaaaaaaaaa', 'password_repeat', '重复的字符或片段'],
      ['abcdefghijkl', 'password_sequence', '连续的字母或数字'],
    ];
    for (const [password, code, reason] of cases) {
      const res = await change(password);
      expect(res.statusCode, password).toBe(422);
      expect(res.json()).toMatchObject({ code: 'weak_password', title: '密码太短或太容易被猜到，不能使用' });
      expect(res.json().errors, password).toEqual([
        { field: 'newPassword', code, message: expect.stringContaining(reason) },
      ]);
    }
    const en = await change('Password123', { 'accept-language': 'en' });
    expect(en.json().errors[0].message).toBe(
      'This is a common password or close to one; choose a longer, uncommon one',
    );
    // Unrelated words with a number and separators pass, without any composition rule.
    expect((await change('tea kettle orbit lantern')).statusCode).toBe(204);
  });

  it('knows what Chinese passwords are made of: pinyin of names, work words, 1314', async () => {
    const admin = await signIn(t.app, 'admin');
    const { id } = await seedUser(t, 'liyw', ['staff']);
    expect((await admin.patch(`/api/users/${id}`, { name: '李业务' })).statusCode).toBe(200);
    const client = await signIn(t.app, 'liyw');
    const change = (newPassword: string) =>
      client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword });
    for (const password of [
      'woaini1314',
      'zhangwei1988',
      'zhangsan123',
      'lilei19900101',
      'xiaoshoubu123',
      'zhiliangbu2026',
      // The person's own name in pinyin, whole, given name or initials.
      'liyewu2026',
      'lyw12345678',
    ]) {
      const res = await change(password);
      expect(res.statusCode, password).toBe(422);
      expect(res.json(), password).toMatchObject({ code: 'weak_password' });
    }
    expect((await change('Quiet-Lantern-Orbit-26')).statusCode).toBe(204);
  });
});

describe('a deactivated account answers like a wrong password', () => {
  let t: TestApp;
  let admin: Client;
  let leaver: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
    leaver = (await seedUser(t, 'leaver', ['staff'])).id;
    await seedUser(t, 'stayer', ['staff']);
    expect((await admin.patch(`/api/users/${leaver}`, { active: false })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  /** The answer without the request id, which differs for any two requests. */
  const shape = (res: Awaited<ReturnType<typeof login>>) => {
    const { requestId: _, ...body } = res.json();
    return { status: res.statusCode, type: res.headers['content-type'], body };
  };

  it('with the right password: the same status, code and message as a wrong one, in both languages', async () => {
    for (const headers of [{}, { 'accept-language': 'en' }] as Record<string, string>[]) {
      const deactivated = await login(t, 'leaver', PASSWORD, headers);
      const wrong = await login(t, 'stayer', 'wrong-password-1', headers);
      const unknown = await login(t, 'nobody', 'wrong-password-1', headers);
      expect(shape(deactivated)).toEqual(shape(wrong));
      expect(shape(unknown)).toEqual(shape(wrong));
    }
    expect(shape(await login(t, 'leaver', PASSWORD))).toMatchObject({
      status: 401,
      body: { code: 'invalid_credentials', title: '用户名或密码错误' },
    });
  });

  it('counts towards the lockout like wrong passwords, and audits the reason', async () => {
    // Three tries above (two for the active one); the fifth locks both alike.
    expect((await login(t, 'leaver', PASSWORD)).statusCode).toBe(401);
    for (let i = 0; i < 2; i++) expect((await login(t, 'stayer', 'wrong-password-2')).statusCode).toBe(401);
    const leaverFifth = await login(t, 'leaver', PASSWORD);
    const stayerFifth = await login(t, 'stayer', 'wrong-password-3');
    expect(shape(leaverFifth)).toEqual(shape(stayerFifth));
    expect(leaverFifth.statusCode).toBe(423);
    const audit = await admin.get('/api/audit?action=auth.login&outcome=failure&target=leaver');
    expect(audit.json().items.map((e: { details: { reason: string } }) => e.details.reason)).toContain(
      'inactive',
    );
  });
});

describe('personal API tokens', () => {
  let t: TestApp;
  let zhao: Client;

  beforeAll(async () => {
    t = await createTestApp();
    await seedUser(t, 'zhaoliu', ['staff']);
    await seedUser(t, 'other', ['staff']);
    zhao = await signIn(t.app, 'zhaoliu');
  });
  afterAll(() => t.close());

  it('shows a token once, stores only its hash, and accepts it as a Bearer credential', async () => {
    const created = await zhao.post('/api/auth/tokens', { name: 'ERP 同步', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^kd_/);

    const rows = await t.database.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    const list = await zhao.get('/api/auth/tokens');
    expect(list.json().items).toEqual([
      expect.objectContaining({ id, name: 'ERP 同步', prefix: token.slice(0, 10) }),
    ]);
    expect(JSON.stringify(list.json())).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(me.json().user.login).toBe('zhaoliu');
    // Bearer requests need no CSRF token: no cookie rides along with them.
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: bearer,
      payload: { name: '第二个' },
    });
    expect(write.statusCode).toBe(201);

    expect((await zhao.delete(`/api/auth/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    // Said as what it is: the token, not a session, no longer works.
    expect(revoked.json()).toMatchObject({ code: 'token_invalid', title: 'API 令牌无效、已过期或已被撤销' });
    expect(
      (await zhao.get('/api/auth/tokens')).json().items.find((x: { id: string }) => x.id === id).revokedAt,
    ).not.toBeNull();
  });

  it('expires tokens and keeps other users from revoking them', async () => {
    const { token, id } = (await zhao.post('/api/auth/tokens', { name: '短期', expiresInDays: 1 })).json();
    const other = await signIn(t.app, 'other');
    expect((await other.delete(`/api/auth/tokens/${id}`)).statusCode).toBe(404);
    t.clock.advance(2 * 86_400_000);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('stops working when its owner is deactivated', async () => {
    const admin = await signIn(t.app, 'admin');
    // Signed in again: the clock moved two days on in the test above, past the session's end.
    zhao = await signIn(t.app, 'zhaoliu');
    const created = await zhao.post('/api/auth/tokens', { name: '离职前' });
    expect(created.statusCode).toBe(201);
    const { token } = created.json();
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(before.statusCode).toBe(200);
    const user = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'zhaoliu')
      .executeTakeFirstOrThrow();
    expect((await admin.patch(`/api/users/${user.id}`, { active: false })).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(401);
    expect((await zhao.get('/api/auth/me')).statusCode).toBe(401);
    const again = await login(t, 'zhaoliu', PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('invalid_credentials');

    // Reactivated, the account signs in again, but the token stays revoked: a forgotten
    // script must not come back to life with it.
    expect((await admin.patch(`/api/users/${user.id}`, { active: true })).statusCode).toBe(200);
    const back = await signIn(t.app, 'zhaoliu');
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    const listed = (await back.get('/api/auth/tokens')).json().items as { name: string; revokedAt: string }[];
    expect(listed.find((k) => k.name === '离职前')?.revokedAt).toBeTruthy();
    const revocations = (await admin.get('/api/audit?action=auth.token_revoke')).json().items;
    expect(revocations).toContainEqual(
      expect.objectContaining({
        targetLabel: '离职前',
        details: expect.objectContaining({ reason: 'user_deactivated' }),
      }),
    );
    const signOut = (await admin.get('/api/audit?action=user.sign_out')).json().items;
    expect(signOut[0]).toMatchObject({ targetLabel: 'zhaoliu', details: { reason: 'user_deactivated' } });
  });
});
