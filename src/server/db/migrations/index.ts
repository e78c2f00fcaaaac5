import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.js';

// Migrations in order. A migration, once released, never changes; add a new one instead.
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
};
