import type { Severity } from '../../domain/alerts.ts';
import { escapeHtml, escapeSlack } from './html.ts';

/** The alert as every channel shows it. */
export interface AlertView {
  alertId: string;
  tenantId: string;
  rule: string;
  severity: Severity;
  title: string;
  text: string;
  facts: Record<string, string | number | boolean | null>;
  runId: string | null;
  /** Link to the run, when PUBLIC_BASE_URL is set. */
  runUrl: string | null;
  /** This recipient's signed acknowledgement link, when PUBLIC_BASE_URL and ALERT_LINK_SECRET are set. */
  ackUrl: string | null;
  escalation: boolean;
}

const LABEL: Record<Severity, string> = { info: 'Info', warning: 'Warning', critical: 'CRITICAL' };

function headline(a: AlertView): string {
  return `${a.escalation ? 'Escalated, not acknowledged: ' : ''}[${LABEL[a.severity]}] ${a.title}`;
}

function factLines(a: AlertView): string[] {
  return Object.entries(a.facts).map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`);
}

export function alertEmail(a: AlertView): { subject: string; text: string; html: string } {
  const facts = factLines(a);
  const text = [
    a.text,
    '',
    ...facts,
    ...(a.runId ? ['', `Run: ${a.runUrl ?? a.runId}`] : []),
    ...(a.ackUrl ? ['', `Acknowledge (stops the escalation): ${a.ackUrl}`] : []),
    '',
    `Alert ${a.alertId} (${a.rule})`,
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(headline(a))}</h2>`,
    `<p>${escapeHtml(a.text)}</p>`,
    facts.length ? `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '',
    a.runUrl ? `<p><a href="${escapeHtml(a.runUrl)}">Open the run</a></p>` : '',
    a.ackUrl ? `<p><a href="${escapeHtml(a.ackUrl)}">Acknowledge this alert</a> (stops the escalation)</p>` : '',
    `<p style="color:#666">Alert ${escapeHtml(a.alertId)} (${escapeHtml(a.rule)})</p>`,
  ].join('\n');
  return { subject: `HeatScheduler: ${headline(a)}`, text: text + '\n', html };
}

/** Slack escapes only &, < and > in text. */

export function alertSlack(a: AlertView): { text: string; blocks: object[] } {
  const facts = factLines(a);
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(a).slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(a.text).slice(0, 3000) } },
  ];
  if (facts.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeSlack(facts.join('\n')).slice(0, 3000) } });
  const buttons = [
    ...(a.ackUrl ? [{ type: 'button', text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', url: a.ackUrl }] : []),
    ...(a.runUrl ? [{ type: 'button', text: { type: 'plain_text', text: 'Open the run' }, url: a.runUrl }] : []),
  ];
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Alert ${a.alertId} (${a.rule})` }] });
  return { text: `${headline(a)}: ${a.text}`.slice(0, 3000), blocks };
}

/** The webhook body: the alert as data. */
export function alertPayload(a: AlertView, deliveryId: string) {
  return {
    type: a.escalation ? 'alert.escalated' : 'alert.raised',
    deliveryId,
    alert: {
      id: a.alertId,
      tenant: a.tenantId,
      rule: a.rule,
      severity: a.severity,
      title: a.title,
      text: a.text,
      facts: a.facts,
      runId: a.runId,
      runUrl: a.runUrl,
      ackUrl: a.ackUrl,
    },
  };
}
