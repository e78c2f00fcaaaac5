import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { PASSWORD_MIN_LENGTH } from '../../common/validation.js';
import { generatePassword } from './auth.js';
import { FieldErrors, type FieldProblem } from './errors.js';

// The password policy: at least 10 characters, and not guessable — a strength estimate of 3 or
// more (of 0–4) from zxcvbn-ts with its common-language dictionary (the most used passwords in
// many languages, diceware words), a Chinese one (passwords-zh.ts: common Chinese passwords,
// frequent names and work words in pinyin) and keyboard layouts, counting the person's login,
// name (also in pinyin) and e-mail as words an attacker tries first. A composition rule (letters and digits) is not asked:
// `Passw0rd-2026` satisfies one and is guessed at once, while four unrelated words are strong.

/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

/** Words every Kedang password is checked against besides the person's own. */
const SITE_WORDS = ['kedang', '客档'];

let estimator: Promise<ZxcvbnFactory> | undefined;

/** Built once, on first use: the dictionary is large, and most requests never need it. */
function zxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('./passwords-zh.js'),
  ]).then(
    ([{ ZxcvbnFactory }, common, zh]) =>
      new ZxcvbnFactory({
        dictionary: { ...common.dictionary, zhCN: zh.chineseDictionary() },
        graphs: common.adjacencyGraphs,
        useLevenshteinDistance: true,
      }),
  );
  return estimator;
}

type PasswordKey = Extract<FieldProblem['key'], `password_${string}`>;

/** zxcvbn's warning for a weak password → the reason we show (src/common/validation.ts). */
const REASONS: Record<string, PasswordKey> = {
  topTen: 'password_common',
  topHundred: 'password_common',
  common: 'password_common',
  similarToCommon: 'password_common',
  pwned: 'password_common',
  userInputs: 'password_personal',
  straightRow: 'password_keyboard',
  keyPattern: 'password_keyboard',
  simpleRepeat: 'password_repeat',
  extendedRepeat: 'password_repeat',
  sequences: 'password_sequence',
  recentYears: 'password_dates',
  dates: 'password_dates',
  wordByItself: 'password_words',
  namesByThemselves: 'password_words',
  commonNames: 'password_words',
};

/** The person's own words: login, name, e-mail, and their parts (`sales.wang` → `wang`), and a
 * Chinese name in pinyin (李业务 → liyewu, yewu, lyw). */
async function personalWords(inputs: readonly (string | null | undefined)[]): Promise<string[]> {
  const { pinyinForms } = await import('./passwords-zh.js');
  const words = new Set<string>(SITE_WORDS);
  for (const input of inputs) {
    if (!input) continue;
    words.add(input.toLowerCase());
    for (const part of input.toLowerCase().split(/[\s._@+-]+/)) if (part.length >= 3) words.add(part);
    for (const form of pinyinForms(input)) words.add(form);
  }
  return [...words];
}

/** Why the password may not be used (a field message key), or null when it may. */
export async function passwordProblem(
  password: string,
  personal: readonly (string | null | undefined)[],
): Promise<PasswordKey | null> {
  if (password.length < PASSWORD_MIN_LENGTH) return 'password_short';
  const result = (await zxcvbn()).check(password, await personalWords(personal));
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const reason = REASONS[result.feedback.warning ?? ''];
  if (reason) return reason;
  // zxcvbn has no warning of its own for a word of an added dictionary: say what it is.
  const chinese = result.sequence.some((m) => (m as { dictionaryName?: string }).dictionaryName === 'zhCN');
  return chinese ? 'password_common' : 'password_guessable';
}

/** 422 `weak_password` with the reason on the field, unless the password may be used. */
export async function assertPasswordAllowed(
  password: string,
  personal: readonly (string | null | undefined)[],
  field: string,
): Promise<void> {
  const key = await passwordProblem(password, personal);
  if (key) throw new FieldErrors([{ field, key, params: { min: PASSWORD_MIN_LENGTH } }], 'weak_password');
}

/** A random one-time password that passes the policy (random ones practically always do). */
export async function generateAllowedPassword(
  personal: readonly (string | null | undefined)[],
): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const candidate = generatePassword();
    if (!(await passwordProblem(candidate, personal))) return candidate;
  }
  throw new Error('no generated password passed the password policy');
}
