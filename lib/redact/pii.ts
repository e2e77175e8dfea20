/**
 * The opt-in PII preset (`configure({ redaction: { pii: true } })`): e-mail addresses, phone
 * numbers, payment card numbers (only those that pass the Luhn checksum) and IBANs (only those that
 * pass the ISO 13616 mod-97 check). The checksums keep order numbers, timestamps and ids that merely
 * look like a card or an account number. A leaf module.
 */

/** What replaces each kind of personal data. */
export const PII_MASKS = Object.freeze({
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
});

/** Whether the digits of `text` (separators ignored) pass the Luhn checksum. */
export function passesLuhn(text: string): boolean {
  let sum = 0;
  let double = false;
  let digits = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) continue;
    digits++;
    let d = code;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits >= 12 && digits <= 19 && sum % 10 === 0;
}

/** Whether `text` (spaces ignored) is an IBAN whose check digits pass mod 97 (ISO 13616). */
export function passesIbanCheck(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? code - 55 : code - 48;
    if (value < 0 || value > 35) return false;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** One PII rule: a pattern, an optional check of each match, and its mask. */
interface PiiRule {
  readonly pattern: RegExp;
  readonly check: ((match: string) => boolean) | undefined;
  readonly mask: string;
}

const RULES: readonly PiiRule[] = [
  {
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
    check: undefined,
    mask: PII_MASKS.email,
  },
  {
    // IBAN: country code, check digits, 11-30 alphanumerics, optionally in groups of four.
    pattern: /\b[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)\b/g,
    check: passesIbanCheck,
    mask: PII_MASKS.iban,
  },
  {
    // Card numbers: 12-19 digits with an issuer prefix (Visa, Mastercard, Amex, Discover, JCB,
    // Diners, UnionPay), optionally grouped by spaces or dashes, that pass Luhn.
    pattern: /(?<![\d-])(?:4|5[1-5]|2[2-7]|3[0478]|6[0-9])\d(?:[ -]?\d){10,17}(?![\d-])/g,
    check: passesLuhn,
    mask: PII_MASKS.card,
  },
  {
    // International numbers (+ and 7-15 digits) and North American (555) 123-4567 / 555-123-4567.
    pattern: /(?<![\w+])\+\d[\d ().-]{5,22}\d(?!\w)|(?<![\w(])(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\w)/g,
    check: (match) => {
      const digits = match.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15;
    },
    mask: PII_MASKS.phone,
  },
];

/** Masks e-mail addresses, phone numbers, checksummed card numbers and IBANs in `text`. */
export function maskPii(text: string): string {
  let out = text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, (match) => (rule.check === undefined || rule.check(match) ? rule.mask : match));
  }
  return out;
}
