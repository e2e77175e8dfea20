import { configure, redactText, redactValue } from '../../../index.js';
import { createRedactor } from '../../../lib/extend/index.js';
import { maskPii, passesIbanCheck, passesLuhn, PII_MASKS } from '../../../lib/redact/pii.js';

afterEach(() => configure({ redaction: {} }));

describe('PII preset', () => {
  it('masks e-mail addresses, phone numbers, Luhn-valid cards and mod-97-valid IBANs', () => {
    const text =
      'Mail ann.lee+work@mail.example.co.uk or call +44 20 7946 0958 / (415) 555-2671; ' +
      'card 4111 1111 1111 1111 (Amex 3782-822463-10005), IBAN DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432.';
    expect(maskPii(text)).toBe(
      `Mail ${PII_MASKS.email} or call ${PII_MASKS.phone} / ${PII_MASKS.phone}; ` +
        `card ${PII_MASKS.card} (Amex ${PII_MASKS.card}), IBAN ${PII_MASKS.iban} or ${PII_MASKS.iban}.`,
    );
  });

  it('keeps numbers that fail the checksum, timestamps, versions, dates and ids', () => {
    const text =
      'order 4111 1111 1111 1112 at 1733140000000 (v1.2.3, 2024-01-15, 192.168.1.100), ' +
      'ref DE00 3704 0044 0532 0130 00, uuid 3f2b8a4e-9c1d-4e5f-a6b7-c8d9e0f1a2b3, user@localhost';
    expect(maskPii(text)).toBe(text);
  });

  it('checks Luhn and mod-97 correctly', () => {
    expect(passesLuhn('79927398713')).toBe(false); // valid Luhn but only 11 digits: not a card
    expect(passesLuhn('4012888888881881')).toBe(true);
    expect(passesLuhn('4012888888881882')).toBe(false);
    expect(passesIbanCheck('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(passesIbanCheck('FR15 2004 1010 0505 0001 3M02 606')).toBe(false);
  });

  it('is off by default and on with redaction: { pii: true }, next to the secret patterns and the mask', () => {
    const text = 'ann@example.com used sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv';
    expect(redactText(text)).toBe('ann@example.com used [REDACTED]');
    const redactor = createRedactor({ pii: true, mask: (v) => v.replace('used', 'USED') });
    expect(redactText(text, redactor)).toBe(`${PII_MASKS.email} USED [REDACTED]`);
    expect(redactValue({ to: 'bob@example.org' }, redactor)).toEqual({ to: PII_MASKS.email });
  });

  it('rejects a non-boolean pii and unknown redaction keys', () => {
    expect(() => configure({ redaction: { pii: 'yes' as never } })).toThrow('llmtrace: configure: redaction.pii must be a boolean, got "yes" (string)');
    expect(() => configure({ redaction: { pi: true } as never })).toThrow('unknown option "redaction.pi", did you mean "redaction.pii"?');
  });
});
