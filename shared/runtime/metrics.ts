import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Logger, MetricName, Metrics } from '../usecases/ports.js';
import { SERVICE_NAME } from './logger.js';

/**
 * The `Metrics` port, two ways:
 * - on Lambda, CloudWatch's embedded metric format (EMF) through Powertools for AWS Lambda: a JSON line in the
 *   function's log that CloudWatch turns into a metric, with no PutMetricData call and no extra permission. Counts
 *   without dimensions are kept and written once per invocation (`flush`, called by shared/runtime/invocation.ts);
 *   a count with dimensions is written at once as its own line, so its dimensions stay its own (EMF puts one
 *   dimension set on every metric of a line);
 * - locally (`npm start`, tests, CLIs), the same call writes one log line `metric` with the name and dimensions.
 * Every metric also carries the `service` dimension (Powertools' default dimension): the dashboard reads them so.
 */

/** CloudWatch namespace of the business metrics (infra/constructs/dashboard.ts reads it). */
export const METRICS_NAMESPACE = 'AptIcQualification';

export interface EmfMetrics extends Metrics {
  /** Writes what is kept (one EMF line) and empties the buffer; nothing when nothing was counted. */
  flush(): void;
}

export function emfMetrics(options: { namespace?: string; serviceName?: string } = {}): EmfMetrics {
  const pt = new PowertoolsMetrics({
    namespace: options.namespace ?? METRICS_NAMESPACE,
    serviceName: options.serviceName ?? SERVICE_NAME,
  });
  return {
    count(name, dimensions) {
      try {
        if (dimensions && Object.keys(dimensions).length > 0) {
          const single = pt.singleMetric();
          single.addDimensions(dimensions);
          single.addMetric(name, MetricUnit.Count, 1);
        } else {
          pt.addMetric(name, MetricUnit.Count, 1);
        }
      } catch {
        // A metric never costs a request (an invalid dimension value, a serialisation limit).
      }
    },
    measure(name, value, unit) {
      try {
        const single = pt.singleMetric();
        single.addMetric(name, unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Milliseconds, value);
      } catch {
        // Same rule as count: never costs a request.
      }
    },
    flush() {
      if (pt.hasStoredMetrics()) pt.publishStoredMetrics();
    },
  };
}

/** Locally: the metric as a log line (`{"message":"metric","metric":"ChatTurns","dimensions":{…}}`). */
export function logMetrics(logger: Logger): Metrics {
  return {
    count(name: MetricName, dimensions?: Record<string, string>) {
      logger.info({ metric: name, value: 1, unit: 'Count', ...(dimensions ? { dimensions } : {}) }, 'metric');
    },
    measure(name: MetricName, value: number, unit: 'Seconds' | 'Milliseconds') {
      logger.info({ metric: name, value, unit }, 'metric');
    },
  };
}

/** Nothing at all (benchmarks). */
export const noMetrics: Metrics = { count() {} };

let lambda: EmfMetrics | null = null;

/** The Lambda container's EMF metrics, created on first use and flushed after each invocation. */
export function lambdaMetrics(): EmfMetrics {
  lambda ??= emfMetrics();
  return lambda;
}

/** Called at the end of every Lambda invocation (shared/runtime/invocation.ts). */
export function flushLambdaMetrics(): void {
  lambda?.flush();
}
