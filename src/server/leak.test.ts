import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText } from './modules/documents/text.js';
import { drainJobs } from './platform/jobs.js';
import { type Client, createTestApp, type TestApp } from './test-support/app.js';
import {
  buildLeakFixture,
  type FixtureRecord,
  LEAK_USERS,
  type LeakFixture,
} from './test-support/leak-fixture.js';
import { multipart, xlsx } from './test-support/sheets.js';

// The leak suite (R-P1, R-P9, issue 12): every GET route of the OpenAPI document — so a new route
// is covered the day it is added — read by every person of the fixture, with its path parameters
// filled with the ids of records they may and may not see and its searches with the fixture's
// distinctive words. Every response (JSON, .xlsx, PDF, file content; the notifications are a route
// too) must hold none of the marker strings of records the reader may not see; an id they may not
// see must answer exactly like one that does not exist; counts must count only what the reader
// sees. Failures name the route, the person, the marker and show where it was found.

/**
 * Leaks the suite finds in the code as it is: `route` + `user` + `secret`, where `secret` is the
 * marker's name (see leak-fixture.ts), `<record> found by <word>` for a search that matches text
 * the reader may not see, `exists:<record>` for a hidden id that answers unlike an absent one,
 * `count:…` for a count beside the items it counts, `total:…` for a count checked against its
 * list (the counts test) and `import:…` for the import's row errors. The suite passes while exactly
 * these leak and fails when one of them no longer does: remove an entry with the fix that closes it.
 */
const KNOWN_LEAKS: { route: string; user: string; secret: string }[] = [
  // Empty: every leak it found when it was written (issue 12) is closed. Keep it that way.
];

/** GET routes left out on purpose, with the reason. Every other route is probed. */
const EXCLUDED: Record<string, string> = {
  '/api/health': 'public liveness probe; shows no record',
  '/api/surveys/templates/{key}/versions': 'blank survey forms (questions only, no customer data)',
};

/** How to fill a path parameter: by the segment before it and its name. */
const PATH_KINDS: Record<string, FixtureRecord['kind'] | 'user' | 'file'> = {
  'customers/{id}': 'customer',
  'documents/{id}': 'document',
  'files/{fileId}': 'file',
  'checks/{id}': 'integrity_report',
  'appraisals/{id}': 'appraisal',
  'disposals/{id}': 'disposal',
  'access-requests/{id}': 'request',
  'jobs/{id}': 'job',
  'imports/{jobId}': 'job',
  'register-imports/{jobId}': 'job',
  'users/{id}': 'user',
  'cases/{id}': 'case',
  'actions/{id}': 'action',
  'visits/{id}': 'visit',
  'templates/{id}': 'survey_template',
  'campaigns/{id}': 'survey_campaign',
  'responses/{id}': 'survey_response',
  'special-requirements/{id}': 'requirement',
  'distributions/{id}': 'distribution',
  'sr-symbols/{id}': 'sr_symbol',
  'characteristics/{id}': 'characteristic',
  'orders/{id}': 'order',
  'projects/{id}': 'project',
  'investigations/{id}': 'credit_investigation',
  'admissions/{id}': 'credit_admission',
  'secrecy-changes/{changeId}': 'secrecy_change',
  'copies/{copyId}': 'copy',
};
/** Routes under an archive that show its special-requirements records, not the archive: their
 * `{id}` is the customer's list (seen by the archive's readers and by quality and the general
 * managers within clearance). */
const SR_LIST_ROUTE =
  /^\/api\/customers\/\{id\}\/(special-requirements|applicable-requirements|sr-symbols|characteristics|sr-checks)/;

/** Query parameters with values from the fixture; required ones without a filler fail the suite. */
const QUERY_FILLERS: Record<string, (f: LeakFixture) => string[]> = {
  q: (f) => f.words.map((w) => w.word),
  target: (f) => idsOf(f, 'customer', 'document', 'request'),
  targetId: (f) => idsOf(f, 'customer', 'document'),
  customerId: (f) => idsOf(f, 'customer'),
  departmentId: (f) => Object.values(f.departments),
  fromUserId: (f) => ['sales_conf', 'qa_mgr', 'sales_staff'].map((l) => f.userIds[l] as string),
  ids: (f) => [idsOf(f, 'document').join(',')],
  from: () => ['2026-03-01'],
  to: () => ['2026-03-31'],
};
/** Enumerated query parameters whose every value is probed (others keep their default). */
const ENUM_QUERY = new Set(['view', 'state', 'unread', 'active', 'register']);
const FAKE_ID = '01900000-0000-7000-8000-000000000000';
const MAX_PAGES = 50;

const idsOf = (f: LeakFixture, ...kinds: FixtureRecord['kind'][]) =>
  f.records.filter((r) => kinds.includes(r.kind)).map((r) => r.id);

interface Param {
  in: 'path' | 'query';
  name: string;
  required: boolean;
  enum?: string[];
  maximum?: number;
}
interface Route {
  path: string;
  params: Param[];
}
interface Finding {
  route: string;
  user: string;
  secret: string;
  detail: string;
}
interface Binding {
  values: Record<string, string>;
  /** Records bound here that the reader may not open. */
  hidden: FixtureRecord[];
  fake: boolean;
}

/** `work` over the items, at most `width` at a time; results in the items' order. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

// Reading a response as a person would --------------------------------------------------------

const squeeze = (s: string) => s.replace(/\s+/g, '');

async function xlsxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  let out = '';
  for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml')))
    out += ` ${(await zip.file(name)?.async('string')) ?? ''}`;
  return out
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

async function pdfText(buf: Buffer): Promise<string> {
  const file = path.join(
    os.tmpdir(),
    `kedang-leak-${process.pid}-${Math.random().toString(16).slice(2)}.pdf`,
  );
  fs.writeFileSync(file, buf);
  try {
    return (await extractText(file, 'application/pdf')) ?? '';
  } catch {
    return '';
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The text a person gets: the body (JSON, text, sheet cells, PDF text) and the download name. */
async function readable(res: LightMyRequestResponse): Promise<string> {
  const raw = res.rawPayload;
  let body: string;
  if (raw.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') body = await xlsxText(raw);
  else if (raw.subarray(0, 5).toString('latin1') === '%PDF-') body = await pdfText(raw);
  else body = raw.toString('utf8');
  const disposition = String(res.headers['content-disposition'] ?? '');
  let name = disposition;
  try {
    name = decodeURIComponent(disposition);
  } catch {
    // keep it as sent
  }
  return `${name}\n${body}`;
}

function excerpt(text: string, at: number, length: number): string {
  const from = Math.max(0, at - 50);
  return `${from > 0 ? '…' : ''}${text.slice(from, at)}【${text.slice(at, at + length)}】${text.slice(at + length, at + length + 50)}…`;
}

// The suite ---------------------------------------------------------------------------------

describe('leak suite: no route shows anyone a record above their clearance or outside their reach (R-P1, R-P9)', () => {
  let t: TestApp;
  let f: LeakFixture;
  const routes: Route[] = [];
  const unfillable: string[] = [];
  const observed = new Set<string>();
  let probedUsers = 0;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildLeakFixture(t);
    // Ten days on, the loan of the fixture is overdue.
    t.clock.advance(10 * 86_400_000);
    await f.signInAll();
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, { get?: { parameters?: Record<string, unknown>[] } }>;
    };
    for (const [p, ops] of Object.entries(doc.paths)) {
      if (!ops.get || p in EXCLUDED) continue;
      const params = (ops.get.parameters ?? []).map((x) => {
        const schema = (x.schema ?? {}) as { enum?: string[]; maximum?: number };
        return {
          in: x.in as 'path' | 'query',
          name: x.name as string,
          required: !!x.required,
          ...(schema.enum ? { enum: schema.enum } : {}),
          ...(schema.maximum !== undefined ? { maximum: schema.maximum } : {}),
        };
      });
      const route = { path: p, params };
      const missing = params.filter(
        (x) =>
          (x.in === 'path' && !x.enum && !(pathKey(p, x.name) in PATH_KINDS)) ||
          (x.in === 'query' && x.required && !x.enum && !(x.name in QUERY_FILLERS)),
      );
      if (missing.length) unfillable.push(`${p}: ${missing.map((m) => `${m.in} ${m.name}`).join(', ')}`);
      else routes.push(route);
    }
  }, 180_000);
  let stillLeaking = 0;
  afterAll(async () => {
    if (stillLeaking)
      console.info(
        `leak suite: ${stillLeaking} known leaks still present (KNOWN_LEAKS in src/server/leak.test.ts)`,
      );
    await t?.close();
  });

  /** `customers/{id}` for the parameter `id` of `/api/customers/{id}/history`. */
  function pathKey(p: string, name: string): string {
    const segments = p.split('/');
    const at = segments.findIndex((s) => s.includes(`{${name}}`));
    return `${segments[at]?.startsWith(`{${name}}`) ? segments[at - 1] : segments[at]}/{${name}}`;
  }

  function bindings(route: Route, login: string): Binding[] {
    let out: Binding[] = [{ values: {}, hidden: [], fake: false }];
    let fakes: Binding = { values: {}, hidden: [], fake: true };
    for (const p of route.params.filter((x) => x.in === 'path')) {
      if (p.enum) {
        out = out.flatMap((b) => (p.enum ?? []).map((v) => ({ ...b, values: { ...b.values, [p.name]: v } })));
        fakes = { ...fakes, values: { ...fakes.values, [p.name]: p.enum[0] as string } };
        continue;
      }
      const kind =
        p.name === 'id' && SR_LIST_ROUTE.test(route.path)
          ? 'sr_list'
          : PATH_KINDS[pathKey(route.path, p.name)];
      const next: Binding[] = [];
      for (const b of out) {
        const candidates: { id: string; record?: FixtureRecord }[] =
          kind === 'user'
            ? ['sales_conf', 'admin'].map((l) => ({ id: f.userIds[l] as string }))
            : kind === 'file'
              ? f.records
                  .filter((r) => Object.values(b.values).includes(r.id))
                  .flatMap((r) => (r.files ?? []).map((x) => ({ id: x.id, record: r })))
              : f.records.filter((r) => r.kind === kind).map((r) => ({ id: r.id, record: r }));
        for (const c of candidates) {
          const hidden = c.record && !c.record.readers.has(login) && kind !== 'file' ? [c.record] : [];
          next.push({
            values: { ...b.values, [p.name]: c.id },
            hidden: [...b.hidden, ...hidden],
            fake: false,
          });
        }
      }
      out = next;
      fakes = { ...fakes, values: { ...fakes.values, [p.name]: FAKE_ID } };
    }
    return route.params.some((x) => x.in === 'path' && !x.enum) ? [...out, fakes] : out;
  }

  /** The route's query: required parameters and the largest page; then one variant per value. */
  function queries(route: Route): { base: Record<string, string>; variants: Record<string, string>[] } {
    const base: Record<string, string> = {};
    const variants: Record<string, string>[] = [];
    const download = /\.(xlsx|pdf|\{format\})$/.test(route.path);
    const names = new Set(route.params.map((p) => p.name));
    for (const p of route.params.filter((x) => x.in === 'query')) {
      if (p.name === 'limit' && p.maximum) base.limit = String(p.maximum);
      const values = p.enum && ENUM_QUERY.has(p.name) ? p.enum : (QUERY_FILLERS[p.name]?.(f) ?? []);
      if (p.required) base[p.name] = p.enum?.[0] ?? (values[0] as string);
      // Downloads are read once, unfiltered (so: everything the reader may export): their filters
      // and searches are the lists' own, which are probed with every value. An export takes
      // the server a tenth of a second; once per word and person would double the suite's time.
      if (download) continue;
      if (!p.enum && !QUERY_FILLERS[p.name]) continue;
      if (p.name === 'from' || p.name === 'to') continue;
      for (const v of values) {
        const variant: Record<string, string> = { [p.name]: v };
        // A target id goes with its type where the route asks for both.
        if (p.name === 'targetId' && names.has('targetType'))
          variant.targetType = f.records.find((r) => r.id === v)?.kind as string;
        variants.push(variant);
      }
    }
    return { base, variants };
  }

  const urlOf = (route: Route, values: Record<string, string>, query: Record<string, string>) => {
    const p = route.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name] ?? ''));
    const qs = new URLSearchParams(query).toString();
    return qs ? `${p}?${qs}` : p;
  };

  /** Every page of a GET (following `nextCursor`). */
  async function getAll(as: Client, url: string): Promise<LightMyRequestResponse[]> {
    const out: LightMyRequestResponse[] = [];
    let next: string | null = url;
    for (let i = 0; next && i < MAX_PAGES; i++) {
      const res = await as.get(next);
      out.push(res);
      next = null;
      if (res.statusCode === 200 && String(res.headers['content-type']).includes('json')) {
        const cursor = (res.json() as { nextCursor?: unknown }).nextCursor;
        if (typeof cursor === 'string' && cursor)
          next = `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
      }
    }
    return out;
  }

  /** The markers of records `login` may not see that the response holds. */
  function scan(route: Route, login: string, url: string, text: string): Finding[] {
    const found: Finding[] = [];
    const hay = squeeze(text);
    let sent = url;
    try {
      sent = decodeURIComponent(url);
    } catch {
      // keep it as sent
    }
    const forbidden = f.secrets
      .filter((s) => !s.seenBy.has(login) && !sent.includes(s.value))
      .map((s) => ({ name: s.name, value: s.value }));
    // A search on content the reader may not see must not find its record, even one they know of.
    for (const w of f.words) {
      if (!w.contentSeenBy || w.contentSeenBy.has(login) || !sent.includes(w.word)) continue;
      const rec = f.records.find((r) => r.key === w.record);
      for (const s of f.secrets.filter((x) => x.identity && x.name.startsWith(`${w.record}.`)))
        forbidden.push({ name: `${w.record} found by ${w.word}`, value: s.value });
      if (rec) forbidden.push({ name: `${w.record} found by ${w.word}`, value: rec.id });
    }
    for (const s of f.secrets.filter((x) => x.seenBy.has(login)))
      if (hay.includes(squeeze(s.value))) observed.add(s.name);
    for (const s of forbidden) {
      const at = hay.indexOf(squeeze(s.value));
      if (at < 0) continue;
      found.push({
        route: route.path,
        user: login,
        secret: s.name,
        detail: `「${s.value}」 in ${url}: ${excerpt(hay, at, squeeze(s.value).length)}`,
      });
    }
    return found;
  }

  /** Counts next to the items they count must agree (hidden items are neither shown nor counted). */
  function countsInside(route: Route, login: string, url: string, json: unknown): Finding[] {
    const found: Finding[] = [];
    const walk = (v: unknown, at: string) => {
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) walk(x, `${at}[${i}]`);
      } else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (Array.isArray(o.items)) {
          if (typeof o.itemCount === 'number' && o.itemCount !== o.items.length)
            found.push({
              route: route.path,
              user: login,
              secret: 'count:itemCount',
              detail: `${url} ${at}: itemCount ${o.itemCount}, items shown ${o.items.length}`,
            });
          if (typeof o.count === 'number' && o.items.length < 50 && o.count !== o.items.length)
            found.push({
              route: route.path,
              user: login,
              secret: 'count:count',
              detail: `${url} ${at}: count ${o.count}, items shown ${o.items.length}`,
            });
        }
        for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
      }
    };
    walk(json, '');
    return found;
  }

  const problemOf = (res: LightMyRequestResponse) => {
    let code = '';
    try {
      code = String((res.json() as { code?: unknown }).code ?? '');
    } catch {
      // not JSON
    }
    return `${res.statusCode} ${code}`.trim();
  };

  async function probe(login: string): Promise<Finding[]> {
    const as = f.as[login] as Client;
    // Routes are read four at a time (PostgreSQL answers in parallel); each route's findings stay
    // in route order, so the report is the same run after run.
    const perRoute = await inParallel(routes, 4, async (route) => {
      const findings: Finding[] = [];
      const { base, variants } = queries(route);
      const all = bindings(route, login);
      const fake = all.find((b) => b.fake);
      const fakeAnswer = fake ? problemOf(await as.get(urlOf(route, fake.values, base))) : null;
      for (const b of all) {
        if (b.fake) continue;
        const urls = [urlOf(route, b.values, base)];
        // Searches and filters once per binding of visible records (and for routes without ids).
        if (b.hidden.length === 0)
          for (const v of variants) urls.push(urlOf(route, b.values, { ...base, ...v }));
        for (const [i, url] of urls.entries()) {
          const pages = await getAll(as, url);
          const first = pages[0] as LightMyRequestResponse;
          if (i === 0 && b.hidden.length && fakeAnswer !== null && problemOf(first) !== fakeAnswer)
            for (const h of b.hidden)
              findings.push({
                route: route.path,
                user: login,
                secret: `exists:${h.key}`,
                detail: `${url} (${h.what}) answers ${problemOf(first)}; an id that does not exist: ${fakeAnswer}`,
              });
          for (const res of pages) {
            findings.push(...scan(route, login, url, await readable(res)));
            if (String(res.headers['content-type']).includes('json'))
              findings.push(...countsInside(route, login, url, res.json()));
          }
        }
      }
      return findings;
    });
    return perRoute.flat();
  }

  /** Fails with the findings that are not known, and with the known ones that no longer occur. */
  function judge(findings: Finding[], scope: (k: (typeof KNOWN_LEAKS)[number]) => boolean) {
    const key = (x: { route: string; user: string; secret: string }) =>
      `${x.route} | ${x.user} | ${x.secret}`;
    const byKey = new Map<string, Finding[]>();
    for (const x of findings) byKey.set(key(x), [...(byKey.get(key(x)) ?? []), x]);
    const known = new Set(KNOWN_LEAKS.filter(scope).map(key));
    const unexpected = [...byKey.keys()].filter((k) => !known.has(k));
    const stale = [...known].filter((k) => !byKey.has(k));
    stillLeaking += [...known].filter((k) => byKey.has(k)).length;
    const report = [
      ...unexpected.map(
        (k) =>
          `LEAK ${k}\n      ${(byKey.get(k) ?? [])
            .slice(0, 2)
            .map((x) => x.detail)
            .join('\n      ')}`,
      ),
      ...stale.map((k) => `FIXED (remove from KNOWN_LEAKS in leak.test.ts) ${k}`),
    ];
    expect(report, report.join('\n')).toEqual([]);
  }

  it('fills every GET route of the OpenAPI document, or excludes it on purpose', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(
      unfillable,
      `GET routes the suite cannot fill — add a filler or an exclusion:\n${unfillable.join('\n')}`,
    ).toEqual([]);
  });

  it('reads as everyone the fixture hides something from', () => {
    for (const u of f.users.filter((x) => !x.low))
      expect(
        f.secrets.filter((x) => !x.seenBy.has(u.login)).map((x) => x.name),
        `${u.login} is not read by the suite (low: false) but may not see these`,
      ).toEqual([]);
  });

  for (const login of LEAK_USERS.filter((u) => u.low).map((u) => u.login))
    it(`shows ${login} nothing they may not see, and answers their hidden ids like absent ones`, async () => {
      const findings = await probe(login);
      probedUsers++;
      judge(findings, (k) => k.user === login && !/^(total|import):/.test(k.secret));
    }, 120_000);

  /** Every item of a paged (or plain) JSON list, or null when the person may not read it. */
  async function itemsOf(as: Client, url: string): Promise<Record<string, unknown>[] | null> {
    const pages = await getAll(as, url);
    if (pages.some((p) => p.statusCode !== 200)) return null;
    return pages.flatMap((p) => {
      const body = p.json() as unknown;
      return (Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? [])) as Record<
        string,
        unknown
      >[];
    });
  }

  it('counts only what each person sees: counts, badges, to-do numbers and 档号 gaps', async () => {
    const findings: Finding[] = [];
    const paths = new Set(routes.map((r) => r.path));
    const limitOf = (p: string) => routes.find((r) => r.path === p)?.params.find((x) => x.name === 'limit');
    const listUrl = (p: string, query = '') => {
      const limit = limitOf(p)?.maximum;
      const qs = [query, limit ? `limit=${limit}` : ''].filter(Boolean).join('&');
      return qs ? `${p}?${qs}` : p;
    };
    await inParallel([...f.users.filter((x) => x.low)], 3, async (u) => {
      const as = f.as[u.login] as Client;
      const differ = (route: string, what: string, shown: number, counted: number, detail: string) => {
        if (shown !== counted)
          findings.push({
            route,
            user: u.login,
            secret: `total:${what}`,
            detail: `${detail}: counts ${counted}, shows ${shown}`,
          });
      };
      // A /count route counts what its list shows, with and without a search.
      for (const p of [...paths].filter((x) => x.endsWith('/count') && paths.has(x.slice(0, -6)))) {
        const hasQ = routes.find((r) => r.path === p)?.params.some((x) => x.name === 'q');
        for (const query of ['', ...(hasQ ? f.words.map((w) => `q=${encodeURIComponent(w.word)}`) : [])]) {
          const res = await as.get(query ? `${p}?${query}` : p);
          const items = await itemsOf(as, listUrl(p.slice(0, -6), query));
          if (res.statusCode !== 200 || !items) continue;
          differ(p, 'count', items.length, Number(res.json().count), `${p}?${query}`);
        }
      }
      // The bell counts the unread notifications the list shows.
      const unread = await itemsOf(as, listUrl('/api/notifications', 'unread=true'));
      const bell = (await as.get('/api/notifications/unread-count')).json().count;
      differ('/api/notifications/unread-count', 'unread', unread?.length ?? 0, bell, 'unread notifications');
      // The lending to-do numbers count what the lists behind them show.
      const todo = (await as.get('/api/lending/todo')).json() as Record<string, number>;
      const approvals = await itemsOf(as, listUrl('/api/access-requests', 'view=approvals&status=pending'));
      differ('/api/lending/todo', 'approvals', approvals?.length ?? 0, todo.approvals as number, 'approvals');
      const toIssue = await itemsOf(as, '/api/loans/to-issue');
      const toIssueItems = (toIssue ?? []).reduce((n, r) => n + ((r.items as unknown[]) ?? []).length, 0);
      differ('/api/lending/todo', 'toIssue', toIssueItems, todo.toIssue as number, 'items to issue');
      // Overdue: the archivists' desk counts every loan, anyone else their own.
      const mine = (l: Record<string, unknown>) => (l.borrower as { id: string }).id === f.userIds[u.login];
      const desk = u.roles.includes('archivist');
      const overdue = ((await itemsOf(as, listUrl('/api/loans', 'state=overdue'))) ?? []).filter(
        (l) => desk || mine(l),
      );
      differ('/api/lending/todo', 'overdue', overdue.length, todo.overdue as number, 'overdue loans');
      const out = ((await itemsOf(as, listUrl('/api/loans', 'state=out'))) ?? []).filter(mine);
      differ('/api/lending/todo', 'toReturn', out.length, todo.toReturn as number, 'my loans out');
      // A list's item counts (registers, batches, requests) are those of the item's own page.
      for (const p of [...paths].filter((x) => !x.includes('{') && paths.has(`${x}/{id}`))) {
        const query = p === '/api/access-requests' ? 'view=all' : '';
        for (const item of (await itemsOf(as, listUrl(p, query))) ?? []) {
          if (typeof item.itemCount !== 'number') continue;
          const detail = await as.get(`${p}/${item.id}`);
          if (detail.statusCode !== 200) continue;
          const shown = (detail.json().items as unknown[]).length;
          differ(`${p}/{id}`, 'itemCount', shown, item.itemCount, `${p} item ${item.id}`);
        }
      }
      // A handover's preview counts the leaving person's archives within the reader's clearance.
      for (const from of QUERY_FILLERS.fromUserId?.(f) ?? []) {
        const res = await as.get(`/api/customers/handover/preview?fromUserId=${from}`);
        if (res.statusCode !== 200) continue;
        const login = Object.keys(f.userIds).find((l) => f.userIds[l] === from) as string;
        const owned = f.customers.filter((c) => c.owners.includes(login) && c.level <= u.rank).length;
        differ(
          '/api/customers/handover/preview',
          'handover',
          owned,
          res.json().customers,
          `archives of ${login}`,
        );
      }
      // 档号 gaps: numbers on records above the reader's clearance are neither used nor issued for
      // them (as if those records did not exist): used counts only what is within the clearance, and
      // every issued number is either used or reported missing.
      const check = await as.get('/api/documents/archive-check');
      if (check.statusCode === 200)
        for (const seq of check.json().sequences as {
          sequence: string;
          issued: number;
          used: number;
          missing: number[];
        }[]) {
          const prefix = seq.sequence.split('…')[0] as string;
          const within = f.filed.filter((x) => x.archiveNo.startsWith(prefix) && x.level <= u.rank).length;
          if (seq.used > within || seq.issued - seq.missing.length !== seq.used)
            findings.push({
              route: '/api/documents/archive-check',
              user: u.login,
              secret: 'total:archive gaps',
              detail: `${seq.sequence}: issued ${seq.issued}, used ${seq.used}, missing [${seq.missing.join(',')}]; within the clearance ${within} on record`,
            });
        }
    });
    judge(findings, (k) => k.secret.startsWith('total:'));
  }, 120_000);

  it('tells an import row naming a hidden archive like one naming no archive (and names 档案编号)', async () => {
    const { hidden, hiddenFor, absent } = f.importCodes;
    const as = f.as[hiddenFor] as Client;
    const sheet = await xlsx([
      ['档案编号', '客户名称*', '统一社会信用代码', '客户类别*', '客户种类*'],
      [hidden, '常青改名公司', '', '一般客户', '业务客户'],
      [absent, '常青改名公司', '', '一般客户', '业务客户'],
    ]);
    const { payload, headers } = multipart('常青更新.xlsx', sheet);
    const res = await as.inject({
      method: 'POST',
      url: '/api/customers/imports?dryRun=true',
      payload,
      headers,
    });
    expect(res.statusCode, res.body).toBe(202);
    await drainJobs();
    const job = await as.get(`/api/jobs/${res.json().job.id}`);
    const errors = await as.get(`/api/customers/imports/${res.json().job.id}/errors.xlsx`);
    const problems = (job.json().result?.problems ?? []) as {
      row: number;
      column: string;
      message: string;
    }[];
    const said = (row: number, code: string) =>
      problems
        .filter((p) => p.row === row)
        .map((p) => `${p.column}: ${p.message.replaceAll(code, '<档案编号>')}`)
        .join('; ');
    const findings: Finding[] = [];
    const route = '/api/customers/imports';
    if (said(2, hidden) !== said(3, absent))
      findings.push({
        route,
        user: hiddenFor,
        secret: 'import:hidden archive code',
        detail: `a hidden archive's code: 「${said(2, hidden)}」; a code of no archive: 「${said(3, absent)}」`,
      });
    if (!said(3, absent).startsWith('档案编号'))
      findings.push({ route, user: hiddenFor, secret: 'import:column', detail: said(3, absent) });
    // Nothing else of the hidden archive comes back (its code is the person's own input).
    for (const r of [job, errors]) {
      const text = squeeze(await readable(r));
      for (const x of f.secrets.filter((y) => !y.seenBy.has(hiddenFor) && y.value !== hidden))
        if (text.includes(squeeze(x.value)))
          findings.push({ route, user: hiddenFor, secret: `import:${x.name}`, detail: x.value });
    }
    judge(findings, (k) => k.secret.startsWith('import:'));
  });

  it('tells a register row using a hidden record’s 档号 like one using a visible record’s (issue 18)', async () => {
    // The 秘密 archivist imports a 归档文件目录 whose rows reuse two 档号 on record: one of a 普通
    // record they see, one of a 机密 record they may not. Both are refused alike ("已被使用"),
    // and nothing else of the hidden record comes back in the job or its error sheet.
    const login = 'archivist_secret';
    const as = f.as[login] as Client;
    const rank = f.users.find((u) => u.login === login)?.rank ?? 0;
    const seen = f.filed.find((x) => x.level <= rank)?.archiveNo as string;
    const hidden = f.filed.find((x) => x.level > rank)?.archiveNo as string;
    const head = ['序号', '档号', '文号', '责任者', '题名', '日期', '密级', '页数', '备注'];
    const row = (n: number, archiveNo: string) => [
      String(n),
      archiveNo,
      '',
      '质量部',
      `导入行${n}`,
      '20100301',
      '普通',
      '1',
      '',
    ];
    const csv = [head, row(1, seen), row(2, hidden)].map((r) => r.join(',')).join('\r\n');
    const { payload, headers } = multipart('归档文件目录.csv', Buffer.from(`\uFEFF${csv}`, 'utf8'));
    const res = await as.inject({
      method: 'POST',
      url: '/api/documents/registers/filed/imports?dryRun=true&category=customer_supplied',
      payload,
      headers,
    });
    expect(res.statusCode, res.body).toBe(202);
    await drainJobs();
    const jobId = res.json().job.id as string;
    const job = await as.get(`/api/jobs/${jobId}`);
    const errors = await as.get(`/api/documents/register-imports/${jobId}/errors.xlsx`);
    expect(errors.statusCode).toBe(200);
    const problems = (job.json().result?.problems ?? []) as {
      row: number;
      column: string;
      message: string;
    }[];
    const said = (r: number, code: string) =>
      problems
        .filter((p) => p.row === r)
        .map((p) => `${p.column}: ${p.message.replaceAll(code, '<档号>')}`)
        .join('; ');
    // Not blind: the visible record's number is refused as used.
    expect(said(2, seen)).toContain('已被使用');
    const findings: Finding[] = [];
    const route = '/api/documents/registers/{register}/imports';
    if (said(3, hidden) !== said(2, seen))
      findings.push({
        route,
        user: login,
        secret: 'import:hidden 档号',
        detail: `a hidden record's 档号: 「${said(3, hidden)}」; a visible record's: 「${said(2, seen)}」`,
      });
    for (const r of [job, errors]) {
      const text = squeeze(await readable(r));
      for (const x of f.secrets.filter((y) => !y.seenBy.has(login) && y.value !== hidden))
        if (text.includes(squeeze(x.value)))
          findings.push({ route, user: login, secret: `import:${x.name}`, detail: x.value });
    }
    judge(findings, (k) => k.secret.startsWith('import:') && k.user === login);
  });

  it('finds every marker in some response to someone allowed to see it (the scan is not blind)', () => {
    if (probedUsers < f.users.filter((u) => u.low).length) return; // a filtered run read as only some
    const unseen = f.secrets.filter((x) => !observed.has(x.name)).map((x) => `${x.name} 「${x.value}」`);
    expect(unseen, `markers no response ever showed: ${unseen.join(', ')}`).toEqual([]);
  });
});
