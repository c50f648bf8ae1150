import { Runtime, makeTelemetryFilterString, type LogLevel, type LogMetadata, type Logger } from '@temporalio/worker';
import { readEnv } from '../infra/config.ts';
import { logger } from '../infra/logger.ts';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const satisfies Record<
  LogLevel,
  string
>;

/** The Temporal SDK's logs (its TypeScript side and its native core) as our JSON lines on stderr. */
class PinoSdkLogger implements Logger {
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    logger[PINO_LEVEL[level]]({ ...meta }, message);
  }
  trace(message: string, meta?: LogMetadata) {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log('ERROR', message, meta);
  }
}

/**
 * Once per process, before any connection: the native core's chatter only from WARN up unless
 * LOG_LEVEL asks for more; with WORKER_METRICS_ADDRESS, the SDK's own metrics (task slots, poll and
 * schedule-to-start latencies, activity failures…) served there for Prometheus.
 */
export function installSdkLogger(): void {
  const { LOG_LEVEL: level, WORKER_METRICS_ADDRESS: metricsAddress } = readEnv();
  const core: LogLevel =
    level === 'trace' ? 'TRACE' : level === 'debug' ? 'DEBUG' : level === 'error' || level === 'silent' ? 'ERROR' : 'WARN';
  Runtime.install({
    logger: new PinoSdkLogger(),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core, other: core }), forward: {} },
      ...(metricsAddress && { metrics: { prometheus: { bindAddress: metricsAddress } } }),
    },
  });
}
