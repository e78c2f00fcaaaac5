import { describe, expect, it } from 'vitest';
import { tx } from '../../platform/context.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { companyApp } from '../../test-support/customers.js';

type Json = Record<string, unknown>;

describe('in-app notifications (R-W2)', () => {
  const app = companyApp();
  const send = (userIds: string[], title: string, link: string | null = '/documents') =>
    tx(app.t.system, (t) =>
      notify(t, userIds, { kind: 'test', title, body: `${title}的说明`, link, secrecy: 0 }),
    );

  it('shows people their own notifications, newest first, page by page', async () => {
    const { co, t } = app;
    for (let i = 1; i <= 5; i++) {
      await send([co.ids.sales1, co.ids.sales1, co.ids.qa1], `通知${i}`);
      t.clock.advance(1000);
    }
    await send([co.ids.qa1], '只给品质部');
    const first = await co.as.sales1.get('/api/notifications?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((n: Json) => n.title)).toEqual(['通知5', '通知4']);
    const rest = await co.as.sales1.get(`/api/notifications?limit=10&cursor=${first.json().nextCursor}`);
    expect(rest.json()).toMatchObject({ nextCursor: null });
    expect(rest.json().items.map((n: Json) => n.title)).toEqual(['通知3', '通知2', '通知1']);
    expect(rest.json().items[0]).toMatchObject({
      kind: 'test',
      body: '通知3的说明',
      link: '/documents',
      readAt: null,
    });
    // Sent once per person, even when named twice.
    expect((await co.as.sales1.get('/api/notifications/unread-count')).json()).toEqual({ count: 5 });
    expect((await co.as.qa1.get('/api/notifications/unread-count')).json()).toEqual({ count: 6 });
    expect((await co.as.sales2.get('/api/notifications')).json().items).toEqual([]);
  });

  it('marks one read, only for its owner, and audits it', async () => {
    const { co } = app;
    const mine = (await co.as.sales1.get('/api/notifications?limit=1')).json().items[0];
    expect((await co.as.qa1.post(`/api/notifications/${mine.id}/read`)).statusCode).toBe(404);
    const read = await co.as.sales1.post(`/api/notifications/${mine.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    expect((await co.as.sales1.get('/api/notifications/unread-count')).json()).toEqual({ count: 4 });
    const unread = (await co.as.sales1.get('/api/notifications?unread=true')).json().items as Json[];
    expect(unread.map((n) => n.title)).toEqual(['通知4', '通知3', '通知2', '通知1']);
    const audit = (await co.as.admin.get('/api/audit?action=notification.read')).json().items;
    // Named by its kind: the title may name a record above the log's readers (R-P9).
    expect(audit[0]).toMatchObject({ actorLogin: 'sales1', targetId: mine.id, targetLabel: 'test' });
    expect(JSON.stringify(audit[0])).not.toContain('通知5');
  });

  it('marks all read at once', async () => {
    const { co } = app;
    expect((await co.as.qa1.post('/api/notifications/read-all')).json()).toEqual({ count: 6 });
    expect((await co.as.qa1.get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
    expect((await co.as.qa1.post('/api/notifications/read-all')).json()).toEqual({ count: 0 });
    // Somebody else's stay unread.
    expect((await co.as.sales1.get('/api/notifications/unread-count')).json()).toEqual({ count: 4 });
  });

  it('finds the active holders of roles and refuses links that leave the app', async () => {
    const { co, t } = app;
    const admins = await activeUsersWithRoles(t.database.db, ['admin', 'archivist']);
    expect(admins).toHaveLength(2);
    expect(admins).toContain(co.ids.archivist);
    await expect(send([co.ids.sales1], '外链', 'https://example.com/')).rejects.toThrow(/app path/);
    await expect(send([co.ids.sales1], '外链', '//example.com/')).rejects.toThrow(/app path/);
  });

  it('needs a session', async () => {
    const res = await app.t.app.inject({ method: 'GET', url: '/api/notifications' });
    expect(res.statusCode).toBe(401);
  });
});
