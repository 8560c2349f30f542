import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogFields, Logger, LogLevel } from '../usecases/ports.js';
import { redactReplacer } from './redact.js';

/**
 * One structured logger for Lambdas, `npm start` and the CLIs: Powertools for AWS Lambda's Logger behind the `Logger`
 * port (fields first, message second, as every call site writes it). One JSON object per line on stdout/stderr; on
 * Lambda `addLambdaContext` (shared/runtime/invocation.ts) adds the request id, the function, the cold-start flag
 * and the correlation id to every line. Personal data is stripped from every line, at any depth, by
 * `redactReplacer` (shared/runtime/redact.ts), Powertools' JSON replacer.
 */

export const SERVICE_NAME = 'aptic-qualification';

type PowertoolsLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

const LEVELS: Record<LogLevel, PowertoolsLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'CRITICAL',
  silent: 'SILENT',
};

const isLevel = (v: string | undefined): v is LogLevel => v !== undefined && v in LEVELS;

/** The port over a Powertools Logger; `powertools` is there for the Lambda wiring (context, correlation id). */
export class AppLogger implements Logger {
  constructor(readonly powertools: PowertoolsLogger) {}

  debug(fields: LogFields, msg: string): void {
    this.powertools.debug(msg, fields);
  }
  info(fields: LogFields, msg: string): void {
    this.powertools.info(msg, fields);
  }
  warn(fields: LogFields, msg: string): void {
    this.powertools.warn(msg, fields);
  }
  error(fields: LogFields, msg: string): void {
    this.powertools.error(msg, fields);
  }
  /** The end of a process (`npm start` failing to start). */
  fatal(fields: LogFields, msg: string): void {
    this.powertools.critical(msg, fields);
  }
  child(fields: LogFields, options: { level?: LogLevel } = {}): AppLogger {
    return new AppLogger(
      this.powertools.createChild({
        persistentKeys: fields,
        ...(options.level ? { logLevel: LEVELS[options.level] } : {}),
      }),
    );
  }
}

export function createLogger(options: { level?: LogLevel; serviceName?: string } = {}): AppLogger {
  return new AppLogger(
    new PowertoolsLogger({
      serviceName: options.serviceName ?? SERVICE_NAME,
      logLevel: LEVELS[options.level ?? 'info'],
      jsonReplacerFn: redactReplacer,
    }),
  );
}

const envLevel = process.env.LOG_LEVEL?.toLowerCase();

/** The process's logger (tests run silent unless LOG_LEVEL says otherwise). */
export const logger: AppLogger = createLogger({
  level: isLevel(envLevel) ? envLevel : process.env.VITEST ? 'silent' : 'info',
});

export type { Logger } from '../usecases/ports.js';
