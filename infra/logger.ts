import pino from 'pino';
import { readEnv } from './config.ts';

/** Structured logs on stderr, so stdout stays for what a person reads. */
export const logger = pino({ level: readEnv().LOG_LEVEL, base: { pid: process.pid } }, pino.destination(2));
