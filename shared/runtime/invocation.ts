import type { Context } from 'aws-lambda';
import { type AppLogger, logger as processLogger } from './logger.js';
import { flushLambdaMetrics } from './metrics.js';

/**
 * What every Lambda invocation does around its handler, in one place (`toLambda` for HTTP routes,
 * `taskHandler` for the workflow Tasks): the log lines of the invocation carry its context (function, request id,
 * cold start: Powertools' `addContext`) and a correlation id (API Gateway's request id; the application id for a
 * Task), and the metrics it counted are written when it ends, whatever the outcome.
 */
export async function lambdaInvocation<T>(
  context: Context | undefined,
  correlationId: string | undefined,
  run: () => Promise<T>,
  logger: AppLogger = processLogger,
): Promise<T> {
  const pt = logger.powertools;
  // Temporary keys (the previous invocation's correlation id) must not leak into this one: the container is reused.
  pt.resetKeys();
  if (context) pt.addContext(context);
  if (correlationId) pt.setCorrelationId(correlationId);
  try {
    return await run();
  } finally {
    flushLambdaMetrics();
  }
}
