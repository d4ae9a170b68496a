/**
 * The data recovery key, in the form BitLocker uses: 8 groups of 6 digits, each group a multiple
 * of 11 below 720 896 (16 random bits per group, 128 in all). Digits read aloud and write down
 * easily; the multiple-of-11 rule catches any one wrong digit and any two swapped neighbours in a
 * group before the (slow) key derivation is tried, and names the group to re-read.
 * Pure and browser-safe: the lock screen checks the key as it is typed.
 */
export const RECOVERY_KEY_GROUPS = 8;
const GROUP_DIGITS = 6;
const GROUP_LIMIT = 65_536 * 11;

/** Group values (0..65535 each) → "012345-…", the form shown once to the administrator. */
export function formatRecoveryKey(values: readonly number[]): string {
  if (values.length !== RECOVERY_KEY_GROUPS || values.some((v) => !Number.isInteger(v) || v < 0 || v > 65_535)) {
    throw new RangeError('a recovery key is 8 values of 16 bits');
  }
  return values.map((v) => String(v * 11).padStart(GROUP_DIGITS, '0')).join('-');
}

export type RecoveryKeyCheck =
  | { ok: true; key: string }
  | { ok: false; reason: 'length'; digits: number }
  | { ok: false; reason: 'group'; group: number };

/** Checks a typed key (spaces, dashes and dots ignored); `key` is the canonical form when ok. */
export function parseRecoveryKey(typed: string): RecoveryKeyCheck {
  const digits = typed.replace(/[\s\-.]/g, '');
  if (!/^\d*$/.test(digits) || digits.length !== RECOVERY_KEY_GROUPS * GROUP_DIGITS) {
    return { ok: false, reason: 'length', digits: (digits.match(/\d/g) ?? []).length };
  }
  const groups: string[] = [];
  for (let i = 0; i < RECOVERY_KEY_GROUPS; i++) {
    const group = digits.slice(i * GROUP_DIGITS, (i + 1) * GROUP_DIGITS);
    const value = Number(group);
    if (value % 11 !== 0 || value >= GROUP_LIMIT) return { ok: false, reason: 'group', group: i + 1 };
    groups.push(group);
  }
  return { ok: true, key: groups.join('-') };
}

/** Whether typed text is meant as a recovery key (only digits and separators, 30+ digits), not a passphrase. */
export function looksLikeRecoveryKey(typed: string): boolean {
  return /^[\d\s\-.]+$/.test(typed) && (typed.match(/\d/g) ?? []).length >= 30;
}

/** The refusal for a mistyped key, Vietnamese first. */
export function recoveryKeyProblem(check: RecoveryKeyCheck): { vi: string; en: string } | null {
  if (check.ok) return null;
  if (check.reason === 'length') {
    return {
      vi: `Mã khôi phục gồm 8 nhóm, mỗi nhóm 6 chữ số (48 chữ số); đã nhập ${check.digits} chữ số.`,
      en: `A recovery key is 8 groups of 6 digits (48 digits); ${check.digits} were entered.`,
    };
  }
  return {
    vi: `Nhóm thứ ${check.group} của mã khôi phục bị gõ sai (chữ số kiểm tra không khớp); hãy đối chiếu lại nhóm này.`,
    en: `Group ${check.group} of the recovery key is mistyped (its check does not match); compare that group again.`,
  };
}
