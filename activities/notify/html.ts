/** Text for HTML (element content and quoted attributes): plant data such as job ids and products may hold markup. */
export const escapeHtml = (s: string | number) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Slack mrkdwn's three control characters, escaped as Slack asks (&, <, >). */
export const escapeSlack = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
