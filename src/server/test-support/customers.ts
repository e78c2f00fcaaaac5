import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../config.js';
import { createDepartment } from '../modules/org/service.js';
import { type Client, createTestApp, seedUser, signIn, type TestApp } from './app.js';

// A small company for customer archive tests: a sales department with a sub-group, a quality
// department, and people in each role.

const PEOPLE = ['sales1', 'sales2', 'east1', 'salesmgr', 'qa1', 'qamgr', 'gm', 'lowgm', 'archivist'] as const;
export type Person = (typeof PEOPLE)[number];

export interface Company {
  sales: string;
  salesGroup: string;
  quality: string;
  ids: Record<Person, string>;
  as: Record<Person | 'admin', Client>;
}

export async function seedCompany(t: TestApp): Promise<Company> {
  const dept = (name: string, parentId: string | null = null) =>
    createDepartment(t.system, { name, code: null, parentId, sortOrder: 0 }).then((d) => d.id);
  const sales = await dept('销售部');
  const salesGroup = await dept('华东销售组', sales);
  const quality = await dept('品质部');
  const people: [Person, Parameters<typeof seedUser>[2], Parameters<typeof seedUser>[3]][] = [
    ['sales1', ['staff'], { departmentId: sales }],
    ['sales2', ['staff'], { departmentId: sales }],
    ['east1', ['staff'], { departmentId: salesGroup }],
    ['salesmgr', ['department_manager'], { departmentId: sales, clearance: 'secret' }],
    ['qa1', ['quality'], { departmentId: quality, clearance: 'top_secret' }],
    ['qamgr', ['department_manager'], { departmentId: quality, clearance: 'top_secret' }],
    ['gm', ['general_manager'], { departmentId: sales, clearance: 'top_secret' }],
    ['lowgm', ['general_manager'], { departmentId: sales, clearance: 'normal' }],
    ['archivist', ['archivist'], { departmentId: quality, clearance: 'confidential' }],
  ];
  const ids = {} as Record<Person, string>;
  const as = {} as Record<Person | 'admin', Client>;
  for (const [login, roles, opts] of people) {
    ids[login] = (await seedUser(t, login, roles, opts)).id;
    as[login] = await signIn(t.app, login);
  }
  as.admin = await signIn(t.app, 'admin');
  return { sales, salesGroup, quality, ids, as };
}

/** For a describe block: a fresh app with the company seeded before its tests, closed after. */
export function companyApp(overrides: Partial<Config> = {}): { readonly t: TestApp; readonly co: Company } {
  const state = {} as { t: TestApp; co: Company };
  beforeAll(async () => {
    state.t = await createTestApp(overrides);
    state.co = await seedCompany(state.t);
  });
  afterAll(() => state.t.close());
  return state;
}

/** Moves the injected clock and signs everyone in again (sessions end when idle). */
export async function travel(t: TestApp, co: Company, iso: string): Promise<void> {
  t.clock.set(iso);
  const as = co.as as Record<string, Client>;
  for (const login of Object.keys(as)) as[login] = await signIn(t.app, login);
}

/** A valid unified social credit code (GB 32100 check character computed). */
export function uscc(seed: number): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = `91440300${String(seed).padStart(9, '0')}`;
  const sum = [...body].reduce((s, ch, i) => s + alphabet.indexOf(ch) * (weights[i] as number), 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}
