import nodemailer from 'nodemailer';
import { readEnv, type Env } from '../../infra/config.ts';

export interface MailConfig {
  /** e.g. smtp://user:pass@mail.plant.example:587 */
  smtpUrl: string;
  from: string;
}

/** SMTP settings from SMTP_URL and MAIL_FROM; none means e-mail is switched off. */
export function mailConfigFromEnv(env: Env = readEnv()): MailConfig | undefined {
  if (!env.SMTP_URL) return undefined;
  return { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM };
}

export function createTransport(config: MailConfig) {
  return nodemailer.createTransport(config.smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
}
