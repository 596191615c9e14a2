/**
 * Masks an email address for logs: keeps the first character of the local part and the domain,
 * so a support engineer can tell addresses apart without reading them.
 *
 * @example
 * ```ts
 * maskEmail('ana.maria@example.com'); // 'a********@example.com'
 * maskEmail('not an email'); // '************'
 * ```
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return '*'.repeat(email.length);
  const local = email.slice(0, at);
  const visible = local.length > 1 ? local.slice(0, 1) : '';
  return `${visible}${'*'.repeat(local.length - visible.length)}${email.slice(at)}`;
}
