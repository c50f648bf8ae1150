import { WebAPIPlatformError, WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { readEnv, type Env } from '../../infra/config.ts';
import { alertEmail, alertPayload, alertSlack, type AlertView } from './alert-message.ts';
import { createTransport, mailConfigFromEnv, type MailConfig } from './mailer.ts';
import { retryAfterMs, webhookHeaders, webhookVerdict } from './webhook.ts';

/** Where messages go out: each channel is off until configured. */
export interface ChannelConfig {
  mail?: MailConfig;
  slack?: { token: string; apiUrl?: string; runSummaryChannels?: string[] };
  webhookSecret?: string;
  /** Base of the links in messages (the HTTP API's public address). */
  publicBaseUrl?: string;
  /** Signs the acknowledgement links (with publicBaseUrl; without both, messages carry none). */
  alertLinks?: { secret: string; validHours: number };
  /** Where the optimised schedule is posted after each run (signed like the webhooks). */
  writeBackUrl?: string;
}

export function channelConfigFromEnv(env: Env = readEnv()): ChannelConfig {
  return {
    mail: mailConfigFromEnv(env),
    slack: env.SLACK_BOT_TOKEN
      ? { token: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL, runSummaryChannels: env.SLACK_RUN_SUMMARY_CHANNELS }
      : undefined,
    webhookSecret: env.WEBHOOK_SIGNING_SECRET,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    alertLinks: env.ALERT_LINK_SECRET ? { secret: env.ALERT_LINK_SECRET, validHours: env.ALERT_LINK_VALID_HOURS } : undefined,
    writeBackUrl: env.WRITEBACK_URL,
  };
}

/** The outbox row a message goes out for. */
export interface Outgoing {
  deliveryId: string;
  recipient: string;
  createdAt: Date;
}

/** A send that failed: whether a retry could help, and when Slack or the receiver asked to come back. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A file to attach to the e-mail (the run's PDF report). */
export interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

const notConfigured = (what: string) => new DeliveryError(`${what} is not configured`, 'CHANNEL_NOT_CONFIGURED', true);

/** The Message-ID is fixed per delivery, so a mail server or client can drop the copy of a retry after an unknown outcome. */
export async function sendAlertEmail(config: ChannelConfig, d: Outgoing, view: AlertView, attachments: Attachment[]): Promise<string> {
  if (!config.mail) throw notConfigured('e-mail (SMTP_URL)');
  const transport = createTransport(config.mail);
  try {
    const info = await transport.sendMail({
      ...alertEmail(view),
      from: config.mail.from,
      to: d.recipient,
      messageId: `<alert-${d.deliveryId}@heatscheduler>`,
      attachments,
    });
    return info.messageId;
  } finally {
    transport.close();
  }
}

/** Slack errors that a retry cannot fix. */
const SLACK_PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
]);

function slackFailure(err: unknown): unknown {
  if (err instanceof WebAPIRateLimitedError) {
    // Slack says when to come back: the activity's next attempt waits exactly that long.
    return new DeliveryError(`Slack rate limit: retry after ${err.retryAfter} s`, 'SLACK_RATE_LIMITED', false, err.retryAfter * 1000);
  }
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    return new DeliveryError(`Slack refused the message: ${code}`, `SLACK_${code}`, SLACK_PERMANENT.has(code));
  }
  return err;
}

const METADATA_TYPE = 'heatscheduler_alert';

/**
 * Posts with the delivery id in the message metadata. After an attempt whose outcome is unknown
 * (a crash or timeout after the post), the channel's recent history is searched for that id
 * first: a message found is recorded (channel:ts), not posted again.
 */
export async function sendAlertSlack(config: ChannelConfig, d: Outgoing, view: AlertView, unknownOutcome: boolean): Promise<string> {
  return postSlackOnce(config, d, alertSlack(view), unknownOutcome);
}

/**
 * Posts a message unless an earlier attempt of the same delivery did: after an unknown outcome the
 * channel's recent history is searched for the delivery id in the message metadata first.
 */
export async function postSlackOnce(
  config: ChannelConfig,
  d: Outgoing,
  message: { text: string; blocks: object[] },
  unknownOutcome: boolean,
): Promise<string> {
  if (!config.slack) throw notConfigured('Slack (SLACK_BOT_TOKEN)');
  const client = new WebClient(config.slack.token, {
    slackApiUrl: config.slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 15_000,
  });
  try {
    if (unknownOutcome) {
      const posted = await findPosted(client, d);
      if (posted) return posted;
    }
    const res = await client.chat.postMessage({
      channel: d.recipient,
      ...message,
      unfurl_links: false,
      metadata: { event_type: METADATA_TYPE, event_payload: { delivery_id: d.deliveryId } },
    });
    return `${res.channel}:${res.ts}`;
  } catch (err) {
    throw slackFailure(err);
  }
}

async function findPosted(client: WebClient, d: Outgoing): Promise<string | undefined> {
  const history = await client.conversations.history({
    channel: d.recipient,
    oldest: String(Math.floor(d.createdAt.getTime() / 1000) - 60),
    include_all_metadata: true,
    limit: 200,
  });
  const found = history.messages?.find(
    (m) =>
      m.metadata?.event_type === METADATA_TYPE &&
      (m.metadata.event_payload as { delivery_id?: string } | undefined)?.delivery_id === d.deliveryId,
  );
  return found ? `${d.recipient}:${found.ts}` : undefined;
}

/** Signed POST; the idempotency key (the delivery id) lets the receiver drop a retry's copy. */
export async function sendAlertWebhook(config: ChannelConfig, d: Outgoing, view: AlertView): Promise<string> {
  await postSigned(config, d.recipient, JSON.stringify(alertPayload(view, d.deliveryId)), d.deliveryId);
  return d.deliveryId;
}

/** A signed JSON POST, refused for good on a 4xx other than 408/429, retried (after Retry-After when given) otherwise. */
export async function postSigned(config: ChannelConfig, url: string, body: string, idempotencyKey: string): Promise<void> {
  if (!config.webhookSecret) throw notConfigured('webhooks (WEBHOOK_SIGNING_SECRET)');
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: webhookHeaders(config.webhookSecret, body, idempotencyKey),
    signal: AbortSignal.timeout(15_000),
    redirect: 'error',
  });
  await res.body?.cancel();
  const verdict = webhookVerdict(res.status);
  if (verdict === 'sent') return;
  const delay = retryAfterMs(res.headers.get('retry-after'));
  throw new DeliveryError(`${url} answered HTTP ${res.status}`, `WEBHOOK_HTTP_${res.status}`, verdict === 'refused', delay);
}
