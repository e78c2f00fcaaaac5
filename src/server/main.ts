import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role, SECRECY_LEVELS, type SecrecyLevel } from '../common/enums.js';
import { errorMessage, formatMessage } from '../common/errors.js';
import { FIELD_MESSAGES, PASSWORD_MIN_LENGTH } from '../common/validation.js';
import { buildApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './db/index.js';
import { handoverNoticeOutbox } from './modules/customers/handover-notice.js';
import { customerSearchRefresher } from './modules/customers/service.js';
import {
  applyAll,
  encryptedDigests,
  fillOlderMarker,
  keyMismatchMessage,
  keyStatus,
  rotateKeys,
} from './modules/documents/keys.js';
import { documentSearchRefresher } from './modules/documents/service.js';
import { requeueInterruptedExtractions } from './modules/documents/text.js';
import { checkAndRecord } from './modules/integrity/service.js';
import { operationsTasks } from './modules/operations/schedule.js';
import { createUser, resetPassword } from './modules/org/service.js';
import { surveyOutbox } from './modules/surveys/mail.js';
import { ANCHOR_FILE, appendAnchor, verifyAnchored } from './platform/audit/anchor.js';
import { appendAudit, describeBreak, verifyChain } from './platform/audit/chain.js';
import { repairChain } from './platform/audit/repair.js';
import { backup, restore } from './platform/backup.js';
import { masterKeys } from './platform/blob-crypto.js';
import { processClock } from './platform/clock.js';
import { type Ctx, SYSTEM_ACTOR } from './platform/context.js';
import { DomainError } from './platform/errors.js';
import { housekeeping } from './platform/housekeeping.js';
import { failInterruptedJobs } from './platform/jobs.js';
import { MailSender } from './platform/mail.js';
import { passwordProblem } from './platform/passwords.js';
import { Scheduler } from './platform/scheduler.js';
import { refreshSearchIndexes } from './platform/search-refresh.js';
import { BlobStore } from './platform/storage.js';

// Command line: `kedang <command>`. Every command applies pending migrations first, so a
// freshly upgraded installation is always consistent before it does anything.

const HELP = `Kedang 客档 — customer archive and document control

Usage: kedang <command> [options]

  serve                         start the web server (default)
  migrate                       apply database migrations and exit
  create-user --login L --name N [--role R ...] [--clearance C] [--password P]
                                create a user (roles: ${ROLES.join(', ')};
                                clearance: ${SECRECY_LEVELS.join(', ')})
  reset-password <login> [--password P]
                                set a new password (random if not given; printed once)
  audit verify                  check the whole audit chain, and against the copies of its head kept
                                in the data directory; exit code 1 names the first broken entry
  audit repair [--apply]        list entries an earlier version hashed with a lone surrogate and
                                prove what they held; --apply records the proven ones in the chain
  backup <dir>                  write a consistent snapshot of the database and every stored file,
                                with a manifest of digests, into an empty directory
  restore <dir>                 restore a backup into an empty data directory (and, with
                                DATABASE_URL, an empty PostgreSQL database), then verify it
  keys status                   which master key wraps the encrypted files; files not in the
                                form their secrecy needs
  keys rotate                   re-wrap every data key under KEDANG_MASTER_KEY, opening them with
                                KEDANG_OLD_MASTER_KEY (the encrypted files are not rewritten)
  keys apply                    encrypt or decrypt stored files as their records' levels need
  check                         integrity check of the records (四性检测): re-hash every stored
                                file, look for missing files, gaps in 档号, unreadable content,
                                unknown files and a broken audit chain; exit code 1 if any

Configuration comes from environment variables; see README.md.`;

function systemCtx(database: DatabaseHandle): Ctx {
  return {
    db: database.db,
    actor: SYSTEM_ACTOR,
    now: () => new Date(),
    requestId: null,
    ip: null,
    lang: 'zh',
  };
}

async function open(config: Config): Promise<DatabaseHandle> {
  const database = openDatabase(config);
  const applied = await migrateToLatest(database.db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
  return database;
}

/** The password policy for passwords given on the command line: why one is refused, in both
 * languages (the services check it again). */
async function checkPassword(what: string, password: string, personal: (string | null)[]): Promise<void> {
  const key = await passwordProblem(password, personal);
  if (!key) return;
  const params = { min: PASSWORD_MIN_LENGTH };
  const [zh, en] = [FIELD_MESSAGES[key].zh, FIELD_MESSAGES[key].en].map((m) => formatMessage(m, params));
  throw new Error(`${what} refused: ${en}\n${zh}`);
}

const FIRST_ADMIN = { login: 'admin', name: '系统管理员' };

/** On the very first start there is nobody to sign in: create the administrator `admin`. */
async function ensureAdmin(config: Config, database: DatabaseHandle): Promise<void> {
  const any = await database.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return;
  if (config.adminPassword)
    await checkPassword('KEDANG_ADMIN_PASSWORD', config.adminPassword, [FIRST_ADMIN.login, FIRST_ADMIN.name]);
  const { initialPassword } = await createUser(systemCtx(database), {
    ...FIRST_ADMIN,
    email: null,
    phone: null,
    departmentId: null,
    roles: ['admin'],
    clearance: 'top_secret',
    password: config.adminPassword,
    mustChangePassword: !config.adminPassword,
  });
  if (config.adminPassword) {
    console.log('Created the administrator "admin" with the password from KEDANG_ADMIN_PASSWORD.');
  } else {
    console.log('\n  ┌──────────────────────────────────────────────────────────┐');
    console.log('  │ Created the administrator account (shown only this once) │');
    console.log(`  │   login:    admin                                        │`);
    console.log(`  │   password: ${initialPassword.padEnd(45)}│`);
    console.log('  └──────────────────────────────────────────────────────────┘\n');
  }
}

async function serve(config: Config): Promise<void> {
  // A malformed master key refuses the start; a missing one starts, and encrypted files answer
  // master_key_missing until it is set (README, operations). A key that is none of those the
  // store's files are encrypted under refuses the start too (its marker lists them; no walk).
  const keys = masterKeys();
  const mismatch = keyMismatchMessage(new BlobStore(config.dataDir), keys);
  if (mismatch) throw new Error(mismatch);
  const database = await open(config);
  await ensureAdmin(config, database);
  const now = processClock();
  const interrupted = await failInterruptedJobs(database.db, now());
  if (interrupted) console.log(`Marked ${interrupted} interrupted background job(s) as failed.`);
  const requeued = await requeueInterruptedExtractions(
    database.db,
    new BlobStore(config.dataDir),
    () => new Date(),
  );
  if (requeued) console.log(`Queued the text extraction of ${requeued} file(s) again.`);
  const store = new BlobStore(config.dataDir);
  // What a killed process left behind: its temporary files, stored files without rows.
  const swept = await housekeeping(database.db, store, config.dataDir, { atStart: true });
  if (swept.tempFiles || swept.orphanBlobs)
    console.log(
      `Removed ${swept.tempFiles} stale temporary file(s) and ${swept.orphanBlobs} unknown stored file(s).`,
    );
  if (!keys.current && store.encryptionEnabled())
    console.warn(
      'Warning: stored files are encrypted but no master key is set (KEDANG_MASTER_KEY): they cannot be read until it is.',
    );
  else if (keys.current) console.log(`Encryption at rest: master key ${keys.current.id}.`);
  const app = await buildApp({ config, database, now });
  // Jobs of another server that stopped: failed here once their heartbeat is stale.
  const jobSweep = setInterval(() => {
    failInterruptedJobs(database.db, now())
      .then((n) => n && app.log.warn(`marked ${n} interrupted background job(s) as failed`))
      .catch((err) => app.log.warn(`job sweep: ${err instanceof Error ? err.message : String(err)}`));
  }, 60_000);
  jobSweep.unref();
  const scheduler = config.scheduler
    ? new Scheduler({
        db: database.db,
        tasks: operationsTasks(config, database),
        now,
        log: (message) => app.log.info(message),
      })
    : null;
  // Notifications, and survey invitations and handover notices from their own outboxes.
  const mail = config.mail
    ? new MailSender(database.db, config.mail, now, [
        surveyOutbox(database.db),
        handoverNoticeOutbox(database.db),
      ])
    : null;
  const close = async () => {
    clearInterval(jobSweep);
    await scheduler?.stop();
    await mail?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
  scheduler?.start();
  mail?.start(config.mail?.intervalMs, (message) => app.log.warn(message));
  // Search tokens made by older code are made again in the background (search-refresh.ts).
  refreshSearchIndexes(database.db, [customerSearchRefresher, documentSearchRefresher], {
    log: (message) => app.log.info(message),
  }).catch((err) => app.log.warn(`search refresh: ${err instanceof Error ? err.message : String(err)}`));
  const shown = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  console.log(
    `Kedang ${database.dialect === 'sqlite' ? `on SQLite ${database.location}` : `on ${database.location}`}`,
  );
  console.log(`Open http://${shown}:${config.port}/ in a browser (API documentation: /api/docs)`);
}

async function auditVerify(config: Config, database: DatabaseHandle): Promise<number> {
  const result = await verifyAnchored(database.db, config.dataDir, new Date(), (checked, total) => {
    if (process.stderr.isTTY) process.stderr.write(`\rchecked ${checked}/${total}`);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  for (const r of result.repaired)
    console.log(`  entry #${r.seq} accepted by the repair in entry #${r.by}, proven again`);
  if (result.ok) {
    console.log(
      `Audit chain intact: ${result.checked} entries verified` +
        (result.anchors ? `, ${result.anchors} anchored head(s) matched.` : '.'),
    );
    if (result.anchors === 0 && result.checked > 0)
      console.log(
        `  Warning: no copy of the head was found in ${path.join(config.dataDir, ANCHOR_FILE)}; a cut-off tail ` +
          'could not have been noticed. If the file existed before, find out why it is gone. The head is anchored now.',
      );
    return 0;
  }
  const b = result.firstBroken;
  console.log(`Audit chain BROKEN: ${describeBreak(result, 'en')}.`);
  if (b?.at) console.log(`  recorded ${b.at}, action ${b.action}`);
  console.log(`  ${result.checked} entries before it verified.`);
  if (b?.reason === 'edited') console.log('  If an earlier version wrote it, see `kedang audit repair`.');
  return 1;
}

async function auditRepair(database: DatabaseHandle, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { apply: { type: 'boolean' } } });
  const report = await repairChain(systemCtx(database), { apply: values.apply === true });
  if (report.candidates.length === 0) console.log('No entry needs a repair.');
  for (const c of report.candidates) {
    const proof = c.original
      ? `proven: held ${Object.entries(c.original)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`
      : 'NOT proven: this is not what an earlier version wrote, and it stays reported as edited';
    console.log(`entry #${c.seq} (${c.at}, ${c.action}): content differs from its hash; ${proof}`);
  }
  if (report.otherBreak) {
    console.log(
      `The chain is also broken at entry #${report.otherBreak.seq} (${report.otherBreak.reason}); a repair cannot mend that, nothing recorded.`,
    );
    return 1;
  }
  if (report.appliedAt) console.log(`Recorded in audit entry #${report.appliedAt}.`);
  else if (report.candidates.some((c) => c.original))
    console.log('Nothing recorded: run again with --apply.');
  return report.candidates.length > 0 && (!report.appliedAt || report.candidates.some((c) => !c.original))
    ? 1
    : 0;
}

/** `kedang keys status|rotate|apply`: the master key of encryption at rest (README, operations). */
async function keysCommand(config: Config, rest: string[]): Promise<number> {
  const sub = rest[0];
  if (sub !== 'status' && sub !== 'rotate' && sub !== 'apply') {
    console.error('Usage: kedang keys status | rotate | apply');
    return 2;
  }
  const store = new BlobStore(config.dataDir);
  masterKeys(); // a malformed key is named before anything else
  const database = await open(config);
  try {
    if (sub === 'status') {
      const s = await keyStatus(database.db, store);
      console.log(`Master key (KEDANG_MASTER_KEY): ${s.currentKeyId ?? 'not set'}`);
      if (s.oldKeyId) console.log(`Old master key (KEDANG_OLD_MASTER_KEY): ${s.oldKeyId}`);
      if (s.markerKeyIds?.length)
        console.log(`Master key(s) the store lists (${store.markerPath}): ${s.markerKeyIds.join(', ')}`);
      console.log(`Files of records at ${s.threshold} and above are stored encrypted.`);
      const ids = Object.entries(s.byKey);
      if (ids.length === 0) console.log('No stored file is encrypted.');
      for (const [id, n] of ids)
        console.log(
          `  ${n} encrypted file(s) under key ${id}${id === s.currentKeyId ? ' (current)' : id === s.oldKeyId ? ' (old)' : ' (NOT AVAILABLE)'}`,
        );
      if (s.plainButClassified)
        console.log(`  ${s.plainButClassified} classified file(s) still stored in plain.`);
      if (s.encryptedNotNeeded)
        console.log(`  ${s.encryptedNotNeeded} encrypted file(s) no longer classified.`);
      if (s.plainButClassified || s.encryptedNotNeeded)
        console.log('Run `kedang keys apply` to put them right.');
      return ids.some(([id]) => id !== s.currentKeyId && id !== s.oldKeyId) ? 1 : 0;
    }
    if (sub === 'rotate') {
      const keys = store.masterKeys();
      if (!keys.current)
        throw new Error('Set the new master key in KEDANG_MASTER_KEY (or KEDANG_MASTER_KEY_FILE).');
      const r = rotateKeys(store, keys);
      await appendAudit(systemCtx(database), {
        action: 'system.keys_rotate',
        targetType: 'system',
        details: { keyId: keys.current.id, oldKeyId: keys.old?.id ?? null, ...r },
      });
      console.log(
        `Re-wrapped ${r.rewrapped} data key(s) under master key ${keys.current.id}; ${r.already} already were. No encrypted file was rewritten.`,
      );
      if (r.rewrapped) console.log('The old master key is no longer needed for the stored files.');
      return 0;
    }
    fillOlderMarker(store);
    const mismatch = keyMismatchMessage(store);
    if (mismatch) throw new Error(mismatch);
    const change = await applyAll(systemCtx(database), store);
    console.log(
      `Encrypted ${change.encrypted.length} and decrypted ${change.decrypted.length} stored file(s).`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate': {
      const database = await open(config);
      console.log('Database is up to date.');
      await database.close();
      return 0;
    }
    case 'create-user': {
      const { values } = parseArgs({
        args: rest,
        options: {
          login: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string', multiple: true },
          clearance: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (!values.login || !values.name) throw new Error('create-user needs --login and --name');
      const roles = (values.role ?? ['staff']) as Role[];
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length) throw new Error(`Unknown role(s): ${bad.join(', ')}`);
      const clearance = (values.clearance ?? 'normal') as SecrecyLevel;
      if (!(SECRECY_LEVELS as readonly string[]).includes(clearance))
        throw new Error(`Unknown clearance: ${clearance}`);
      if (values.password !== undefined)
        await checkPassword('The password', values.password, [values.login, values.name]);
      const database = await open(config);
      try {
        const { user, initialPassword } = await createUser(systemCtx(database), {
          login: values.login.trim().toLowerCase(),
          name: values.name,
          email: null,
          phone: null,
          departmentId: null,
          roles,
          clearance,
          password: values.password,
        });
        console.log(`Created user ${user.login} (${user.roles.join(', ')}).`);
        if (!values.password) console.log(`Initial password (shown once): ${initialPassword}`);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'reset-password': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { password: { type: 'string' } },
      });
      const login = positionals[0]?.trim().toLowerCase();
      if (!login) throw new Error('reset-password needs a login');
      const database = await open(config);
      try {
        const user = await database.db
          .selectFrom('users')
          .select(['id', 'name', 'email'])
          .where('login', '=', login)
          .executeTakeFirst();
        if (!user) throw new Error(`No user with the login "${login}".`);
        if (values.password !== undefined)
          await checkPassword('The password', values.password, [login, user.name, user.email]);
        const { password } = await resetPassword(systemCtx(database), user.id, values.password);
        console.log(`Password of ${login} reset; it must be changed at the next sign-in.`);
        if (!values.password) console.log(`New password (shown once): ${password}`);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'audit': {
      const database = await open(config);
      try {
        if (rest[0] === 'verify') return await auditVerify(config, database);
        if (rest[0] === 'repair') return await auditRepair(database, rest.slice(1));
        throw new Error('Usage: kedang audit verify | kedang audit repair [--apply]');
      } finally {
        await database.close();
      }
    }
    case 'keys':
      return keysCommand(config, rest);
    case 'backup': {
      const dir = rest[0];
      if (!dir) throw new Error('Usage: kedang backup <dir>');
      const database = await open(config);
      try {
        const manifest = await backup(database, config, path.resolve(dir), new Date());
        await appendAudit(systemCtx(database), {
          action: 'system.backup',
          targetType: 'system',
          outcome: manifest.verified?.ok ? 'success' : 'failure',
          details: {
            trigger: 'command',
            dir: path.resolve(dir),
            blobs: manifest.blobs.length,
            bytes: manifest.bytes,
            counts: manifest.counts,
            verified: manifest.verified?.ok,
          },
        });
        console.log(
          `Backup written to ${path.resolve(dir)}: database and ${manifest.blobs.length} stored files.`,
        );
        if (!manifest.verified?.ok) {
          console.log(`Backup check: ${manifest.verified?.problems.join('; ')}`);
          return 1;
        }
        console.log('Backup read back and checked: every file matches its digest.');
        return 0;
      } finally {
        await database.close();
      }
    }
    case 'restore': {
      const dir = rest[0];
      if (!dir) throw new Error('Usage: kedang restore <dir>');
      const manifest = await restore(config, path.resolve(dir));
      const database = await open(config);
      try {
        // The restored chain must reach the head the backup recorded; the anchor file of the
        // new data directory starts from it.
        const chain = await verifyChain(database.db, {
          anchors: manifest.auditHead ? [{ ...manifest.auditHead, source: 'manifest.json' }] : [],
        });
        if (chain.ok) appendAnchor(config.dataDir, { seq: chain.headSeq, hash: chain.headHash }, new Date());
        console.log(
          `Restored the backup of ${manifest.createdAt}: database and ${manifest.blobs.length} stored files, digests checked.`,
        );
        if (manifest.missing?.length)
          console.log(
            `${manifest.missing.length} stored file(s) were already damaged when the backup was taken and are not in it: ${manifest.missing.map((m) => m.sha256).join(', ')}`,
          );
        if (!chain.ok) {
          console.log(`Audit chain BROKEN: ${describeBreak(chain, 'en')}.`);
          return 1;
        }
        console.log(`Audit chain intact: ${chain.checked} entries verified.`);
        // Encrypted files came back as they were: they need the master key of the time.
        const store = new BlobStore(config.dataDir);
        const keys = masterKeys();
        const needed = new Set(encryptedDigests(store).map((sha) => store.envelope(sha).keyId));
        // A backup of an older version has a marker without key ids: it learns them here.
        if (needed.size) store.recordKeyIds([...needed]);
        const absent = [...needed].filter((id) => id !== keys.current?.id && id !== keys.old?.id);
        if (absent.length)
          console.log(
            `Warning: encrypted files need master key ${absent.join(', ')}, which KEDANG_MASTER_KEY does not hold: they cannot be read until it does.`,
          );
        return manifest.missing?.length ? 1 : 0;
      } finally {
        await database.close();
      }
    }
    case 'check': {
      const database = await open(config);
      try {
        const report = await checkAndRecord(
          systemCtx(database),
          new BlobStore(config.dataDir),
          'command',
          (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\rfiles ${done}/${total}`);
          },
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        const c = report.counts;
        console.log(
          `${c.documents} documents, ${c.blobs} stored files (${(c.bytes / 1048576).toFixed(1)} MB), ${c.auditEntries} audit entries checked.`,
        );
        if (report.ok) {
          console.log('Integrity check passed: no findings.');
          return 0;
        }
        console.log(`Integrity check FAILED: ${report.findings.length} finding(s).`);
        for (const f of report.findings) {
          const record = f.title ? `「${f.title}」${f.fileName ? ` ${f.fileName}` : ''} ` : '';
          console.log(`  [${f.aspect}/${f.problem}] ${record}${f.detail}`);
        }
        return 1;
      } finally {
        await database.close();
      }
    }
    default:
      console.error(`Unknown command "${command}".\n`);
      console.log(HELP);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof DomainError)
      console.error(
        `Error: ${errorMessage(err.code, 'zh', err.params)}\n       ${errorMessage(err.code, 'en', err.params)} (${err.code})`,
      );
    else console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
