import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KnowledgeBaseError } from '../../../bot/faq/knowledge-base.js';
import { InvalidTaskInputError } from '../../../functions/workflow/events.js';
import {
  ConfigError,
  DomainError,
  IllegalTransitionError,
  type PublicError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import { HttpError, toHttpResponse } from '../../../shared/http/http.js';
import { SignInChallengeError } from '../../../shared/runtime/cognito.js';
import { logger } from '../../../shared/runtime/logger.js';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  SiretAlreadyClaimedError,
  StoreError,
  TaskAlreadyDecidedError,
  TaskStepMismatchError,
  TransientStoreError,
} from '../../../shared/store/errors.js';
import { InvalidSignInCodeError } from '../../../shared/usecases/actor-sign-in.js';
import {
  BankDetailsMissingError,
  BankDetailsNotValidatedError,
  BankVaultUnavailableError,
} from '../../../shared/usecases/bank-details.js';
import { UnknownStaffError } from '../../../shared/usecases/console/application-page.js';
import {
  ConsoleConflictError,
  ConsoleValidationError,
  ImportInterruptedError,
  PayloadTooLargeError,
} from '../../../shared/usecases/console/errors.js';
import {
  CognitoManagedStaffError,
  LastAdminError,
  StaffNotFoundError,
} from '../../../shared/usecases/console/staff-admin.js';
import { FourEyesError, StaleTaskError, TaskNotFoundError } from '../../../shared/usecases/decisions.js';
import {
  ApplicationNotFoundError,
  CommitmentVersionError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  IdempotencyRequestInProgressError,
  NotAProducerError,
  StepNotOpenError,
  TooManyRequestsError,
  UnauthorizedError,
  UseCaseError,
  WrongStageError,
} from '../../../shared/usecases/errors.js';
import { SupportRequestNotFoundError } from '../../../shared/usecases/support.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GENERIC = 'Une erreur interne est survenue. Merci de réessayer plus tard.';

/** One instance of every error class the project exports, with the HTTP status it declares (500 = internal). */
const SAMPLES: [Error & Partial<PublicError>, number][] = [
  [new DomainError('x', 'x'), 500],
  [new ValidationError([{ path: 'a', message: 'Champ requis.' }]), 400],
  [new IllegalTransitionError('submitted', 'qualify'), 409],
  [new ConfigError('bad config', ['a: b']), 500],
  [new StoreError('X', 'x'), 500],
  [new ConflictError('app-1', 3), 409],
  [new SiretAlreadyClaimedError('12345678901234', 'app-2'), 409],
  [new AlreadyExistsError('Application', 'app-1'), 500],
  [new NotFoundError('Task', 't-1'), 404],
  [new TaskAlreadyDecidedError('t-1', 'decided', 'ana@aptic.test', '2026-03-02T09:00:00.000Z', 'approve'), 409],
  [new TaskStepMismatchError('t-1', 'actor_commitments'), 500],
  [new TransientStoreError('GetItem', 'ThrottlingException'), 503],
  [new UseCaseError('x'), 500],
  [new UnauthorizedError(), 401],
  [new ForbiddenError(), 403],
  [new ApplicationNotFoundError('app-1'), 404],
  [new StepNotOpenError('staff step', 'actor_commitments'), 409],
  [new CommitmentVersionError('charte', '2024-01'), 409],
  [new NotAProducerError('formation'), 422],
  [new TooManyRequestsError(undefined, 120), 429],
  [new IdempotencyKeyReusedError(), 422],
  [new IdempotencyRequestInProgressError(), 409],
  [new WrongStageError('Seule une qualification en cours peut être suspendue.', 'rejected'), 409],
  [new ConsoleConflictError('Ce code est déjà utilisé.', { code: 'ABC' }), 409],
  [new ConsoleValidationError('Modification invalide.', [{ path: 'a', message: 'b' }]), 400],
  [new PayloadTooLargeError('Fichier trop volumineux.'), 413],
  [new ImportInterruptedError('Import interrompu.', { written: 1, total: 2 }), 503],
  [new TaskNotFoundError('t-1'), 404],
  [new SupportRequestNotFoundError('s-1'), 404],
  [new StaleTaskError('t-1'), 409],
  [new InvalidSignInCodeError(), 401],
  [new FourEyesError('t-1'), 403],
  [new BankVaultUnavailableError(), 503],
  [new BankDetailsMissingError(), 404],
  [new BankDetailsNotValidatedError('submitted'), 409],
  [new StaffNotFoundError(), 404],
  [new LastAdminError(), 409],
  [new CognitoManagedStaffError(), 501],
  [new UnknownStaffError(), 400],
  [new SignInChallengeError('NEW_PASSWORD_REQUIRED'), 409],
  [new InvalidTaskInputError('applicationId'), 400],
  [new HttpError(418, 'teapot', 'Je suis une théière.'), 418],
  [new KnowledgeBaseError('x'), 500],
];

const body = (err: unknown) => JSON.parse(toHttpResponse(err).body) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** `export class X extends Y` where X or Y ends in Error, in the code that runs in Lambdas, the bot and the server. */
function exportedErrorClasses(): { name: string; file: string }[] {
  const found: { name: string; file: string }[] = [];
  for (const file of ['shared', 'functions', 'bot'].flatMap(sourceFiles)) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/export class (\w+) extends (\w+)/g)) {
      if (m[1]!.endsWith('Error') || m[2]!.endsWith('Error')) found.push({ name: m[1]!, file });
    }
  }
  return found;
}

afterEach(() => vi.restoreAllMocks());

describe('error classes', () => {
  it.each(SAMPLES.map(([err, status]) => [err.constructor.name, err, status] as const))(
    '%s: its name is its class name and it answers its declared status',
    (className, err, status) => {
      vi.spyOn(logger, 'error').mockImplementation(() => undefined);
      expect(err.name).toBe(className);
      expect(toHttpResponse(err).statusCode).toBe(status);
      if (status !== 500) expect(body(err).error).toBe(err.publicCode);
    },
  );

  it('the list above covers every exported error class', () => {
    const covered = new Set(SAMPLES.map(([err]) => err.constructor.name));
    const missing = exportedErrorClasses().filter((c) => !covered.has(c.name));
    expect(missing).toEqual([]);
  });

  it('no source dispatches on an error name: only Step Functions Retry lists may spell one', () => {
    const names = new Set(exportedErrorClasses().map((c) => c.name));
    const hits: string[] = [];
    for (const file of ['shared', 'functions', 'bot', 'infra'].flatMap(sourceFiles)) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/['"`](\w+)['"`]/g)) {
            if (!names.has(m[1]!)) continue;
            if (/readonly name(: string)? = '/.test(line)) continue; // the class's own declaration
            if (file === join('infra', 'defaults.ts')) continue; // TRANSIENT_ERRORS: Step Functions ErrorEquals
            hits.push(`${file}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(hits).toEqual([]);
  });
});

describe('toHttpResponse', () => {
  it('store and domain errors answer with their French text, never their English developer message', () => {
    expect(body(new ConflictError('app-1', 3))).toEqual({
      error: 'conflict',
      message: 'La demande a été modifiée entre-temps : rechargez-la puis réessayez.',
    });
    expect(body(new ValidationError([{ path: 'a', message: 'Champ requis.' }]))).toEqual({
      error: 'validation_error',
      message: 'Certaines informations sont invalides.',
      fields: [{ path: 'a', message: 'Champ requis.' }],
    });
    expect(body(new SiretAlreadyClaimedError('12345678901234', 'app-2'))).not.toHaveProperty('applicationId');
  });

  it('a decided task says who decided and when; without them, the short text', () => {
    expect(
      body(new TaskAlreadyDecidedError('t-1', 'decided', 'ana@aptic.test', '2026-03-02T09:00:00.000Z', 'approve')),
    ).toEqual({
      error: 'task_already_decided',
      message: 'Cette étape a déjà été décidée par ana@aptic.test le 2026-03-02T09:00:00.000Z.',
      by: 'ana@aptic.test',
      at: '2026-03-02T09:00:00.000Z',
      decision: 'approve',
      status: 'decided',
    });
    expect(body(new TaskAlreadyDecidedError('t-1', 'cancelled', null, null, null))).toEqual({
      error: 'task_already_decided',
      message: 'Cette étape a déjà été décidée.',
      status: 'cancelled',
    });
  });

  // These three were named after another class (NotFoundError, TaskAlreadyDecidedError, ValidationError) and got
  // that class's generic text instead of their own.
  it('use-case errors that used to lose their French message now send it', () => {
    expect(body(new TaskNotFoundError('t-1'))).toEqual({ error: 'not_found', message: 'Tâche introuvable.' });
    expect(body(new StaleTaskError('t-1'))).toEqual({
      error: 'task_already_decided',
      message: "Cette étape n'est plus en attente d'une décision (délai dépassé ou déjà traitée).",
    });
    expect(body(new UnknownStaffError())).toEqual({
      error: 'validation_error',
      message: "Ce membre de l'équipe n'existe pas.",
      fields: [{ path: 'assignee', message: "Ce membre de l'équipe n'existe pas." }],
    });
  });

  it('every 429 carries Retry-After in seconds, from the error or a default', () => {
    expect(toHttpResponse(new TooManyRequestsError('Trop de tentatives.', 120)).headers?.['retry-after']).toBe('120');
    expect(toHttpResponse(new TooManyRequestsError()).headers?.['retry-after']).toBe('60');
    expect(toHttpResponse(new HttpError(429, 'too_many_requests', 'Trop.')).headers?.['retry-after']).toBe('60');
    expect(toHttpResponse(new IdempotencyRequestInProgressError()).headers?.['retry-after']).toBe('2');
    expect(toHttpResponse(new UnauthorizedError()).headers?.['retry-after']).toBeUndefined();
  });

  it('use-case errors keep their message and public details', () => {
    expect(body(new TooManyRequestsError('Trop de tentatives de connexion.', 120))).toEqual({
      error: 'too_many_requests',
      message: 'Trop de tentatives de connexion.',
      retryAfterSeconds: 120,
    });
    expect(body(new SignInChallengeError('SOFTWARE_TOKEN_MFA'))).toMatchObject({
      error: 'challenge_required',
      challenge: 'SOFTWARE_TOKEN_MFA',
    });
    expect(body(new StepNotOpenError('staff step', 'actor_commitments'))).toMatchObject({
      error: 'step_not_open',
      stage: 'actor_commitments',
    });
  });

  it('anything else, and an error declaring 500, is a logged internal error with a generic French message', () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const boom = new TypeError('x is undefined');
    const res = toHttpResponse(boom, { path: '/api/x', method: 'GET' });
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: 'internal_error', message: GENERIC });
    expect(log).toHaveBeenCalledWith({ err: boom, path: '/api/x', method: 'GET' }, 'unhandled error in route');
    // A name is not a type: an error merely called ConflictError is not mapped as one.
    expect(body(Object.assign(new Error('x'), { name: 'ConflictError' }))).toEqual({
      error: 'internal_error',
      message: GENERIC,
    });
    expect(body(new TaskStepMismatchError('t-1', 'actor_commitments'))).toEqual({
      error: 'internal_error',
      message: GENERIC,
    });
    expect(log).toHaveBeenCalledTimes(3);
  });
});
