import { pino } from 'pino';

/**
 * One structured logger for Lambdas and the local server. Personal data is redacted by path so an application
 * document logged by mistake does not leak e-mails or phone numbers into CloudWatch.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { service: 'aptic-qualification' },
  redact: {
    paths: ['*.courriel', '*.telephone', '*.password', '*.token', '*.taskToken', '*.actorToken', 'authorization'],
    censor: '[redacted]',
  },
});

export type Logger = typeof logger;
