/** `text` as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Text Kedang cannot keep as typed. A lone UTF-16 surrogate has no UTF-8 form: the database
// stores U+FFFD instead, so what was hashed or compared is not what is read back. NUL ends a
// string in C and PostgreSQL refuses it; the other control characters (all but tab, line feed
// and carriage return) are invisible on screen and paper. None of them is ever typed by a person.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ILL_FORMED = /[\p{Cs}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** Bidirectional embeddings, overrides and isolates: they make a name read differently from
 * what it is (「invoice‮fdp.exe」 shows as 「invoiceexe.pdf」). Chinese and Latin never need them. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** Whether a string holds a lone surrogate, NUL or another control character. */
export function isIllFormedText(s: string): boolean {
  return ILL_FORMED.test(s);
}

/** Whether a string holds a bidirectional control character. */
export function hasBidiControls(s: string): boolean {
  return BIDI_CONTROLS.test(s);
}

/**
 * The form in which a string is stored and hashed: lone surrogates and NUL become U+FFFD,
 * exactly what UTF-8 databases would make of them, so a value read back equals the value
 * written. Input never gets here ill-formed (the HTTP layer refuses it); this is the last
 * guard for text from other sources (files, sheets, the network peer's address).
 */
export function canonicalText(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is replaced
  return s.replace(/[\p{Cs}\u0000]/gu, '\ufffd');
}

/** Why a string cannot be taken as text (a field message key), or null. */
export function textFault(s: string): 'ill_formed_text' | 'bidi_text' | null {
  return isIllFormedText(s) ? 'ill_formed_text' : hasBidiControls(s) ? 'bidi_text' : null;
}
