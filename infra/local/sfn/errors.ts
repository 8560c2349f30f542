// Service errors of the local Step Functions API, named as AWS names them, so the endpoint can answer in the AWS JSON
// shape and @aws-sdk/client-sfn rebuilds the same exception classes (ExecutionDoesNotExist, TaskTimedOut…).

export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionLimitExceeded'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'RequestEntityTooLarge'
  | 'InternalFailure';

export class SfnServiceError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function isSfnServiceError(error: unknown): error is SfnServiceError {
  return error instanceof SfnServiceError;
}
