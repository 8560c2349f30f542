import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../../shared/runtime/logger.js';
import { METRICS_NAMESPACE } from '../../shared/runtime/metrics.js';
import type { MetricName } from '../../shared/usecases/ports.js';

export interface OperationsDashboardProps {
  readonly stateMachine: sfn.IStateMachine;
  /** Every function of the stack, by name (workflow Tasks, reminder job, one per HTTP entry). */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The hourly reminder job: its heartbeats keep open human steps alive, so it gets alarms of its own. */
  readonly reminder: lambda.IFunction;
  /** Alarms shown in the dashboard's status widget (the state machine's, beside the reminder's). */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  readonly dashboardName?: string;
}

/** Business counts are read by the hour: the programme's traffic is a few applications a day. */
const BUSINESS_PERIOD = Duration.hours(1);
const OPS_PERIOD = Duration.minutes(5);

/**
 * One CloudWatch dashboard for the people who run the service: the business metrics the handlers write as EMF
 * (shared/usecases/ports.ts `METRIC_NAMES`, namespace `AptIcQualification`, dimension `service` on every one),
 * the state machine's executions, the Lambda errors and the alarms. Plus two alarms on the reminder job: if it fails
 * or stops running for long, open human steps miss their heartbeats and expire, and nothing else would say so (an
 * expiry ends in a Succeed state, so `ExecutionsFailed` stays quiet).
 */
export class OperationsDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly alarms: { readonly reminderErrors: cloudwatch.Alarm; readonly reminderNotRunning: cloudwatch.Alarm };

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);

    this.alarms = {
      reminderErrors: new cloudwatch.Alarm(this, 'ReminderErrorsAlarm', {
        metric: props.reminder.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        // Two failed runs in a row (EventBridge already retried each twice): well before a heartbeat is missed.
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription:
          'The hourly reminder job failed twice in a row: open human steps get no heartbeat and expire if it keeps failing.',
      }),
      reminderNotRunning: new cloudwatch.Alarm(this, 'ReminderNotRunningAlarm', {
        metric: props.reminder.metricInvocations({ period: Duration.hours(3), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // No data at all means the schedule stopped invoking it: that is the failure this alarm is for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: 'The hourly reminder job has not run for 3 hours (schedule disabled or deleted?).',
      }),
    };

    const business = (name: MetricName, label: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: cloudwatch.Stats.SUM,
        period: BUSINESS_PERIOD,
        label,
      });
    // Dimensioned metrics: one line per value that occurred, found by a search (no list of values to keep in step).
    const search = (name: MetricName, dimensions: string[], label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${['service', ...dimensions].join(',')}} MetricName="${name}"', 'Sum', ${BUSINESS_PERIOD.toSeconds()})`,
        usingMetrics: {},
        label,
        period: BUSINESS_PERIOD,
      });
    const sm = props.stateMachine;
    const smMetric = (m: cloudwatch.Metric, label: string) =>
      m.with({ statistic: cloudwatch.Stats.SUM, period: OPS_PERIOD, label });

    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({
        title,
        left,
        width,
        height: 6,
        stacked: false,
        leftYAxis: { min: 0, showUnits: false },
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '## APTIC qualification\nBusiness counts by the hour (EMF, namespace `AptIcQualification`), executions and errors by 5 minutes. Runbook: docs/infra.md.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Applications submitted and qualified', [
        business('ApplicationsSubmitted', 'submitted'),
        business('Qualifications', 'qualified'),
      ]),
      graph('Eligibility outcomes (by status)', [search('EligibilityOutcome', ['status'], '')]),
      graph('Decisions (by step and decision)', [search('Decisions', ['step', 'decision'], '')]),
    );
    this.dashboard.addWidgets(
      graph('Chat', [
        business('ChatTurns', 'turns'),
        business('ChatErrors', 'failed turns'),
        business('FaqDeclined', 'FAQ declined'),
      ]),
      graph('Qualification executions', [
        smMetric(sm.metricStarted(), 'started'),
        smMetric(sm.metricSucceeded(), 'succeeded'),
        smMetric(sm.metricFailed(), 'failed'),
        smMetric(sm.metricTimedOut(), 'timed out'),
        smMetric(sm.metricAborted(), 'aborted'),
      ]),
      graph(
        'Lambda errors',
        Object.entries(props.functions).map(([name, fn]) =>
          fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: OPS_PERIOD, label: name }),
        ),
      ),
    );
    // « Parler à quelqu’un » and the staff-kept FAQ (docs/console.md « Support requests », docs/faq.md).
    this.dashboard.addWidgets(
      graph('Support requests (by trigger)', [search('SupportRequests', ['trigger'], '')]),
      graph('Time to first support answer (s)', [
        business('SupportFirstAnswerSeconds', 'average').with({ statistic: cloudwatch.Stats.AVERAGE }),
        business('SupportFirstAnswerSeconds', 'max').with({ statistic: cloudwatch.Stats.MAXIMUM }),
      ]),
      graph('FAQ versions published / rolled back', [search('FaqPublished', ['action'], '')]),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...(props.alarms ?? []), this.alarms.reminderErrors, this.alarms.reminderNotRunning],
        width: 24,
        height: 3,
      }),
    );
  }
}
