import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Duration, Names, Stack, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import {
  type CallbackStep,
  type CallbackTimeout,
  LOG_GROUP_DEFAULTS,
  STATE_MACHINE_ALARMS,
  STATE_MACHINE_DEFAULTS,
  TASK_RETRY,
} from '../defaults.js';

/** The handler behind each kind of Task (functions/workflow/*.ts). */
export interface WorkflowFunctions {
  readonly evaluate: lambda.IFunction;
  readonly openTask: lambda.IFunction;
  readonly recordOutcome: lambda.IFunction;
  readonly qualify: lambda.IFunction;
  readonly notify: lambda.IFunction;
  readonly recordError: lambda.IFunction;
  readonly attest: lambda.IFunction;
}

export interface QualificationStateMachineProps {
  readonly functions: WorkflowFunctions;
  /** Per human step, in days: every step, from the configuration (`callbackTimeoutsFromConfig`). */
  readonly timeouts: Readonly<Record<CallbackStep, CallbackTimeout>>;
  /**
   * Test-friendly override: the same timeout and heartbeat (seconds) for every callback, e.g. 4 s / 2 s so a test
   * sees `States.Timeout` quickly, or something below the 24.8-day timer limit of the local engine.
   */
  readonly callbackTimeoutOverride?: { readonly timeoutSeconds: number; readonly heartbeatSeconds: number };
}

/** State names: the keys of the local engine's overrides and of docs/modules.md. Keep them stable. */
export const STATE_NAMES = {
  resumeAt: 'ResumeAt',
  evaluateEligibility: 'EvaluateEligibility',
  eligibilityChoice: 'EligibilityChoice',
  recordNotEligible: 'RecordNotEligible',
  notEligible: 'NotEligible',
  waitlist: 'Waitlist',
  routeChoice: 'RouteChoice',
  routeReseau: 'RouteReseau',
  routeTerritoriale: 'RouteTerritoriale',
  routeLibre: 'RouteLibre',
  routeReseauReview: 'RouteReseauReview',
  addressChoice: 'AddressChoice',
  addressConfirmation: 'AddressConfirmation',
  reviewChoice: 'ReviewChoice',
  networkAttestation: 'NetworkAttestation',
  attestationChoice: 'AttestationChoice',
  staffReview: 'StaffReview',
  awaitChanges: 'AwaitChanges',
  actorCommitments: 'ActorCommitments',
  staffFinalApproval: 'StaffFinalApproval',
  qualify: 'Qualify',
  notify: 'Notify',
  qualified: 'Qualified',
  recordRejected: 'RecordRejected',
  rejected: 'Rejected',
  recordExpired: 'RecordExpired',
  expired: 'Expired',
  recordError: 'RecordError',
  failed: 'Failed',
} as const;

/** Which Task state runs which function (the local engine maps overrides with it). */
export const TASK_FUNCTIONS: Readonly<Record<string, keyof WorkflowFunctions>> = {
  [STATE_NAMES.evaluateEligibility]: 'evaluate',
  [STATE_NAMES.recordNotEligible]: 'recordOutcome',
  [STATE_NAMES.waitlist]: 'openTask',
  [STATE_NAMES.addressConfirmation]: 'openTask',
  [STATE_NAMES.staffReview]: 'openTask',
  [STATE_NAMES.networkAttestation]: 'attest',
  [STATE_NAMES.awaitChanges]: 'openTask',
  [STATE_NAMES.actorCommitments]: 'openTask',
  [STATE_NAMES.staffFinalApproval]: 'openTask',
  [STATE_NAMES.qualify]: 'qualify',
  [STATE_NAMES.notify]: 'notify',
  [STATE_NAMES.recordRejected]: 'recordOutcome',
  [STATE_NAMES.recordExpired]: 'recordOutcome',
  [STATE_NAMES.recordError]: 'recordError',
};

/** Error names a decision sends with SendTaskFailure (never "success with false"). */
export const DECISION_ERRORS = { rejected: 'Rejected', changesRequested: 'ChangesRequested' } as const;
const TIMEOUT_ERRORS = [sfn.Errors.TIMEOUT, sfn.Errors.HEARTBEAT_TIMEOUT];

const ids = {
  applicationId: sfn.JsonPath.stringAt('$.applicationId'),
  round: sfn.JsonPath.numberAt('$.round'),
};

/**
 * The qualification workflow (Standard, JSONPath): one execution per application, its input and history carrying ids
 * only (`applicationId`, `round`, `resumeStage`). Human steps are `.waitForTaskToken` Lambda tasks: open-task
 * stores the token in DynamoDB; a decision calls SendTaskSuccess `{ decision: 'approve', by, comment? }` or
 * SendTaskFailure `Rejected` / `ChangesRequested`. Every Task retries transient errors and catches the rest into
 * RecordError → Failed. Also the three Solutions Constructs alarms (failed, throttled, aborted).
 */
export class QualificationStateMachine extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  public readonly alarms: {
    readonly executionsFailed: cloudwatch.Alarm;
    readonly executionThrottled: cloudwatch.Alarm;
    readonly executionsAborted: cloudwatch.Alarm;
  };

  constructor(scope: Construct, id: string, props: QualificationStateMachineProps) {
    super(scope, id);
    const fns = props.functions;
    const S = STATE_NAMES;

    const callbackLimits = (step: CallbackStep): Pick<tasks.LambdaInvokeProps, 'taskTimeout' | 'heartbeatTimeout'> => {
      const o = props.callbackTimeoutOverride;
      if (o) {
        if (!(o.heartbeatSeconds < o.timeoutSeconds)) throw new Error('heartbeatSeconds must be < timeoutSeconds');
        return {
          taskTimeout: sfn.Timeout.duration(Duration.seconds(o.timeoutSeconds)),
          heartbeatTimeout: sfn.Timeout.duration(Duration.seconds(o.heartbeatSeconds)),
        };
      }
      const t = props.timeouts[step];
      if (!(t.heartbeatDays < t.timeoutDays)) throw new Error(`${step}: heartbeatDays must be < timeoutDays`);
      return {
        taskTimeout: sfn.Timeout.duration(Duration.days(t.timeoutDays)),
        heartbeatTimeout: sfn.Timeout.duration(Duration.days(t.heartbeatDays)),
      };
    };

    // Plain invocations: the function's return value is the result (no Payload envelope), Resource = function ARN.
    const invoke = (stateName: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath?: string) =>
      new tasks.LambdaInvoke(this, stateName, {
        lambdaFunction: fn,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false, // our own Retry below (fewer attempts, our error names)
        resultPath: resultPath ?? sfn.JsonPath.DISCARD,
      });

    // Human steps: open-task gets the token ($$.Task.Token) and the ids; the decision's output becomes the result.
    const callback = (stateName: string, step: CallbackStep, resultPath: string) =>
      new tasks.LambdaInvoke(this, stateName, {
        lambdaFunction: fns.openTask,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        // The execution's id tells a restarted qualification from the one that held an earlier token.
        payload: sfn.TaskInput.fromObject({
          ...ids,
          step,
          taskToken: sfn.JsonPath.taskToken,
          execution: sfn.JsonPath.executionId,
        }),
        retryOnServiceExceptions: false,
        resultPath,
        ...callbackLimits(step),
      });

    // ---- terminal states and the recorders in front of them
    const failed = new sfn.Fail(this, S.failed, {
      error: 'QualificationFailed',
      cause: 'A technical error ended the workflow; the application records the error.',
    });
    const recordError = invoke(S.recordError, fns.recordError, { ...ids, error: sfn.JsonPath.objectAt('$.error') });
    recordError.addRetry(TASK_RETRY);
    // The recorder itself failing must still end the run (and trip the ExecutionsFailed alarm).
    recordError.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.recordErrorFailure' });
    recordError.next(failed);

    /** Retry on transient errors, then the task's specific catches, then everything else → RecordError. */
    const guard = <T extends sfn.TaskStateBase>(task: T, catches: [sfn.IChainable, string[]][] = []): T => {
      task.addRetry(TASK_RETRY);
      for (const [handler, errors] of catches) task.addCatch(handler, { errors, resultPath: '$.error' });
      task.addCatch(recordError, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
      return task;
    };

    const record = (stateName: string, outcome: 'not_eligible' | 'rejected' | 'expired', end: sfn.IChainable) => {
      const payload: Record<string, unknown> = { ...ids, outcome };
      // Rejected / expired come from a Catch: pass its { Error, Cause } (the decision puts ids only in the cause).
      if (outcome !== 'not_eligible') payload.error = sfn.JsonPath.objectAt('$.error');
      const task = guard(invoke(stateName, fns.recordOutcome, payload));
      task.next(end);
      return task;
    };

    const notEligible = new sfn.Succeed(this, S.notEligible);
    const rejected = new sfn.Succeed(this, S.rejected);
    // A human step timing out is a business outcome, not a fault: Succeed keeps the ExecutionsFailed alarm for faults.
    const expired = new sfn.Succeed(this, S.expired);
    const qualified = new sfn.Succeed(this, S.qualified);

    const recordNotEligible = record(S.recordNotEligible, 'not_eligible', notEligible);
    const recordRejected = record(S.recordRejected, 'rejected', rejected);
    const recordExpired = record(S.recordExpired, 'expired', expired);

    // ---- the main line
    const evaluate = guard(invoke(S.evaluateEligibility, fns.evaluate, ids, '$.evaluation'));
    const qualify = guard(invoke(S.qualify, fns.qualify, ids));
    const notify = guard(invoke(S.notify, fns.notify, { ...ids, kind: 'qualified' }));

    // The actor's corrected document starts a new round. The round lives in the application item (the source of
    // truth the handlers read), so the execution only keeps the resubmission's output beside the ids.
    const awaitChanges = guard(callback(S.awaitChanges, 'changes_requested', '$.resubmission'), [
      [recordExpired, TIMEOUT_ERRORS],
    ]);

    const staffDecisionCatches = (): [sfn.IChainable, string[]][] => [
      [recordRejected, [DECISION_ERRORS.rejected]],
      [awaitChanges, [DECISION_ERRORS.changesRequested]],
      [recordExpired, TIMEOUT_ERRORS],
    ];
    const staffFinalApproval = guard(
      callback(S.staffFinalApproval, 'final_approval', '$.finalApproval'),
      staffDecisionCatches(),
    );
    const actorCommitments = guard(callback(S.actorCommitments, 'actor_commitments', '$.commitments'), [
      [recordExpired, TIMEOUT_ERRORS],
    ]);
    const staffReview = guard(callback(S.staffReview, 'staff_review', '$.staffReview'), staffDecisionCatches());
    // Released from the waitlist (a phase opened, a slot freed): evaluate again, with the conditions of now.
    const waitlist = guard(callback(S.waitlist, 'waitlisted', '$.release'), [
      [recordRejected, [DECISION_ERRORS.rejected]],
      [recordExpired, TIMEOUT_ERRORS],
    ]);

    // Route-specific seams: the kind of review is visible in the execution; open-task reads the route from the
    // store (so a resumed StaffReview, which skips this Choice, behaves the same).
    const routePass = (stateName: string, kind: string) =>
      new sfn.Pass(this, stateName, { result: sfn.Result.fromObject({ kind }), resultPath: '$.review' });
    const routeReseau = routePass(S.routeReseau, 'network_attestation');
    // A listed member whose evaluation asks for a human look (soft flags, distance only, too many places): the
    // network's attestation does not cover what the document itself leaves unclear, so staff review it.
    const routeReseauReview = routePass(S.routeReseauReview, 'network_staff_review');
    const routeTerritoriale = routePass(S.routeTerritoriale, 'territorial');
    const routeLibre = routePass(S.routeLibre, 'standard');

    // The réseau branch: for a listed member of a network in force, the network's attestation takes the place of
    // the staff review (docs/modules.md « The network attestation branch »). NetworkAttestation reads the membership
    // again and records it; AttestationChoice goes on to the commitments when it attested, else to the staff review.
    const attestationChoice = new sfn.Choice(this, S.attestationChoice)
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.attestation.attested'),
          sfn.Condition.booleanEquals('$.attestation.attested', true),
        ),
        actorCommitments,
      )
      .otherwise(staffReview);
    const networkAttestation = guard(invoke(S.networkAttestation, fns.attest, ids, '$.attestation'));
    networkAttestation.next(attestationChoice);
    // After the address step: the review kind chosen on the route decides who reviews. A resumed execution carries
    // no `$.review` and gets the staff review (the safe default).
    const reviewChoice = new sfn.Choice(this, S.reviewChoice)
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.review.kind'),
          sfn.Condition.stringEquals('$.review.kind', 'network_attestation'),
        ),
        networkAttestation,
      )
      .otherwise(staffReview);

    // The applicant's address is confirmed by their first sign-in link (sent at submission): until then the
    // application waits here, and expires after its own timeout (the SIRET claim is released by RecordExpired).
    // EvaluateEligibility says whether it is already confirmed (or the configuration does not require it).
    const addressConfirmation = guard(
      callback(S.addressConfirmation, 'address_confirmation', '$.addressConfirmation'),
      [[recordExpired, TIMEOUT_ERRORS]],
    );
    addressConfirmation.next(reviewChoice);
    const addressChoice = new sfn.Choice(this, S.addressChoice)
      // A result without the field (an older evaluation) asks for the confirmation rather than failing the Choice.
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.evaluation.addressConfirmed'),
          sfn.Condition.booleanEquals('$.evaluation.addressConfirmed', true),
        ),
        reviewChoice,
      )
      .otherwise(addressConfirmation);
    for (const p of [routeReseau, routeReseauReview, routeTerritoriale, routeLibre]) p.next(addressChoice);

    const routeChoice = new sfn.Choice(this, S.routeChoice)
      .when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.evaluation.route', 'reseau'),
          sfn.Condition.isPresent('$.evaluation.status'),
          sfn.Condition.stringEquals('$.evaluation.status', 'eligible_now'),
        ),
        routeReseau,
      )
      .when(sfn.Condition.stringEquals('$.evaluation.route', 'reseau'), routeReseauReview)
      .when(sfn.Condition.stringEquals('$.evaluation.route', 'territoriale'), routeTerritoriale)
      .otherwise(routeLibre);

    // Anything but a clear "not eligible" or "waitlist" goes to a human: the safe default.
    const eligibilityChoice = new sfn.Choice(this, S.eligibilityChoice)
      .when(sfn.Condition.stringEquals('$.evaluation.outcome', 'not_eligible'), recordNotEligible)
      .when(sfn.Condition.stringEquals('$.evaluation.outcome', 'waitlist'), waitlist)
      .when(sfn.Condition.stringEquals('$.evaluation.outcome', 'review'), routeChoice)
      .otherwise(routeChoice);

    evaluate.next(eligibilityChoice);
    waitlist.next(evaluate);
    staffReview.next(actorCommitments);
    actorCommitments.next(staffFinalApproval);
    staffFinalApproval.next(qualify);
    qualify.next(notify);
    notify.next(qualified);
    awaitChanges.next(evaluate);

    // Resume at the stage recorded in DynamoDB (local restart, redrive, upgrade); a new application has none.
    const stage = (s: string) => sfn.Condition.stringEquals('$.resumeStage', s);
    const resumeAt = new sfn.Choice(this, S.resumeAt)
      .when(sfn.Condition.or(sfn.Condition.isNotPresent('$.resumeStage'), stage('submitted')), evaluate)
      .when(stage('waitlisted'), waitlist)
      .when(stage('address_confirmation'), addressConfirmation)
      .when(stage('staff_review'), staffReview)
      .when(stage('network_attestation'), networkAttestation)
      .when(stage('changes_requested'), awaitChanges)
      .when(stage('actor_commitments'), actorCommitments)
      .when(stage('final_approval'), staffFinalApproval)
      // A terminal or unknown stage is a bug in the caller: fail loudly (alarm) rather than guess.
      .otherwise(failed);

    // Vended-logs prefix: Step Functions log delivery then needs no growing resource policy on the log group.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      ...LOG_GROUP_DEFAULTS,
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(resumeAt),
      stateMachineType: STATE_MACHINE_DEFAULTS.stateMachineType,
      tracingEnabled: STATE_MACHINE_DEFAULTS.tracingEnabled,
      logs: {
        destination: this.logGroup,
        level: STATE_MACHINE_DEFAULTS.logLevel,
        includeExecutionData: STATE_MACHINE_DEFAULTS.includeExecutionData,
      },
      comment:
        'APTIC qualification: eligibility, human review (or a network attestation), commitments, final approval, publication.',
    });

    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Log delivery (logs:*LogDelivery*) and X-Ray actions support no resource-level permission.',
    });
    const stack = Stack.of(this);
    for (const fn of new Set(Object.values(fns))) {
      const cfn = fn.node.defaultChild as lambda.CfnFunction | undefined;
      if (!cfn) continue;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(cfn)}.Arn>:*]`,
        reason: 'LambdaInvoke grants the function and its versions/aliases (`:*`); still this one function only.',
      });
    }

    const alarm = (name: string, metric: cloudwatch.Metric, description: string) =>
      new cloudwatch.Alarm(this, name, {
        metric: metric.with({ period: STATE_MACHINE_ALARMS.period, statistic: cloudwatch.Stats.SUM }),
        threshold: STATE_MACHINE_ALARMS.threshold,
        evaluationPeriods: STATE_MACHINE_ALARMS.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    this.alarms = {
      executionsFailed: alarm(
        'ExecutionsFailedAlarm',
        this.stateMachine.metricFailed(),
        'A qualification execution failed (technical error).',
      ),
      executionThrottled: alarm(
        'ExecutionThrottledAlarm',
        this.stateMachine.metricThrottled(),
        'Step Functions throttled a qualification execution.',
      ),
      executionsAborted: alarm(
        'ExecutionsAbortedAlarm',
        this.stateMachine.metricAborted(),
        'A qualification execution was aborted (stopped by hand or by a deployment).',
      ),
    };
  }
}
