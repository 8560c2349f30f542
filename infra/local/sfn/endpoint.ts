// The Step Functions AWS JSON 1.0 protocol in front of LocalStepFunctions, so the unchanged @aws-sdk/client-sfn and
// the AWS CLI (`--endpoint-url`) reach the local engine. Requests are `POST /` with `X-Amz-Target:
// AWSStepFunctions.<Operation>`; SigV4 signatures are accepted unchecked (local only: bind to 127.0.0.1).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionStatus, LocalStepFunctions } from './engine.js';
import { SfnServiceError } from './errors.js';

/** Transport limit: 256 KiB of input or output, JSON-escaped inside the request envelope, fits. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const TARGET_PREFIX = 'AWSStepFunctions.';
const UTF8 = new TextDecoder();
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const STATUSES = new Set<ExecutionStatus>(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

type Body = Record<string, unknown>;
type Operation = (body: Body) => Promise<unknown> | unknown;

export interface SfnEndpointOptions {
  maxBodyBytes?: number;
}

export function createSfnEndpoint(
  engines: LocalStepFunctions | LocalStepFunctions[],
  options: SfnEndpointOptions = {},
): RequestListener & { dispatch(target: string, text: string): Promise<WireResponse> } {
  const list = Array.isArray(engines) ? engines : [engines];
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const byMachineArn = (arn: string): LocalStepFunctions => {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn)) {
      throw new SfnServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const engine = list.find((e) => e.stateMachineArn === arn);
    if (!engine) throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return engine;
  };
  const byExecutionArn = (arn: string): LocalStepFunctions => {
    const engine = list.find((e) => arn.startsWith(`${e.stateMachineArn.replace(':stateMachine:', ':execution:')}:`));
    if (engine) return engine;
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
      throw new SfnServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  };
  // A token is opaque: try each engine (there is one in practice).
  const withToken = (act: (engine: LocalStepFunctions) => void): void => {
    let lastError: unknown;
    for (const engine of list) {
      try {
        act(engine);
        return;
      } catch (error) {
        lastError = error;
        if (!(error instanceof SfnServiceError && error.code === 'TaskTimedOut')) throw error;
      }
    }
    throw lastError ?? new SfnServiceError('TaskTimedOut', 'Task Timed Out');
  };
  const describeMachine = (engine: LocalStepFunctions) => ({
    stateMachineArn: engine.stateMachineArn,
    name: engine.stateMachineName,
    status: 'ACTIVE',
    definition: JSON.stringify(engine.definition),
    roleArn: engine.roleArn,
    type: 'STANDARD',
    creationDate: engine.creationDate,
  });

  const operations: Record<string, Operation> = {
    StartExecution: async (b) => {
      const engine = byMachineArn(str(b, 'stateMachineArn', true));
      const input = str(b, 'input');
      return engine.startExecution({ name: str(b, 'name'), input });
    },
    DescribeExecution: (b) => {
      const arn = str(b, 'executionArn', true);
      const d = byExecutionArn(arn).describeExecution(arn);
      return {
        ...d,
        inputDetails: { included: true },
        ...(d.output !== undefined ? { outputDetails: { included: true } } : {}),
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
      };
    },
    DescribeStateMachineForExecution: (b) => {
      const arn = str(b, 'executionArn', true);
      const engine = byExecutionArn(arn);
      engine.describeExecution(arn);
      const { stateMachineArn, name, definition, roleArn } = describeMachine(engine);
      return { stateMachineArn, name, definition, roleArn, updateDate: engine.creationDate };
    },
    ListExecutions: (b) => {
      const engine = byMachineArn(str(b, 'stateMachineArn', true));
      const statusFilter = str(b, 'statusFilter');
      if (statusFilter !== undefined && !STATUSES.has(statusFilter as ExecutionStatus)) {
        throw validation(`Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint`);
      }
      return engine.listExecutions({
        statusFilter: statusFilter as ExecutionStatus | undefined,
        maxResults: int(b, 'maxResults'),
        nextToken: str(b, 'nextToken'),
      });
    },
    GetExecutionHistory: (b) => {
      const arn = str(b, 'executionArn', true);
      return byExecutionArn(arn).getExecutionHistory(arn, {
        maxResults: int(b, 'maxResults'),
        nextToken: str(b, 'nextToken'),
        reverseOrder: bool(b, 'reverseOrder'),
        includeExecutionData: bool(b, 'includeExecutionData'),
      });
    },
    StopExecution: async (b) => {
      const arn = str(b, 'executionArn', true);
      return byExecutionArn(arn).stopExecution(arn, { error: str(b, 'error'), cause: str(b, 'cause') });
    },
    SendTaskSuccess: (b) => {
      const token = str(b, 'taskToken', true);
      const output = str(b, 'output', true);
      withToken((e) => e.sendTaskSuccess(token, output));
      return {};
    },
    SendTaskFailure: (b) => {
      const token = str(b, 'taskToken', true);
      const error = str(b, 'error');
      const cause = str(b, 'cause');
      if (error !== undefined && error.length > 256) throw validation("'error' must be at most 256 characters");
      if (cause !== undefined && cause.length > 32_768) throw validation("'cause' must be at most 32768 characters");
      withToken((e) => e.sendTaskFailure(token, { error, cause }));
      return {};
    },
    SendTaskHeartbeat: (b) => {
      const token = str(b, 'taskToken', true);
      withToken((e) => e.sendTaskHeartbeat(token));
      return {};
    },
    DescribeStateMachine: (b) => describeMachine(byMachineArn(str(b, 'stateMachineArn', true))),
    ListStateMachines: () => ({
      stateMachines: list.map((e) => ({
        stateMachineArn: e.stateMachineArn,
        name: e.stateMachineName,
        type: 'STANDARD',
        creationDate: e.creationDate,
      })),
    }),
  };

  /** One request of the JSON protocol, transport aside: what the HTTP listener and the in-process handler share. */
  const dispatch = async (target: string, text: string): Promise<WireResponse> => {
    try {
      const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
      if (!operation) throw new SfnServiceError('UnknownOperationException', `unknown operation: '${target}'`);
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new SfnServiceError('SerializationException', 'request body is not valid JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new SfnServiceError('SerializationException', 'request body must be a JSON object');
      }
      return { status: 200, text: JSON.stringify(toWire((await operation(body as Body)) ?? {})) };
    } catch (error) {
      return failure(error);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const send = (r: WireResponse): void => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(r.status, {
        'Content-Type': CONTENT_TYPE,
        'Content-Length': Buffer.byteLength(r.text),
        'x-amzn-RequestId': randomUUID(),
        ...(r.errorType ? { 'x-amzn-ErrorType': r.errorType } : {}),
      });
      res.end(r.text);
    };

    req.on('error', () => {
      if (!res.headersSent) res.destroy();
    });
    if (req.method !== 'POST') {
      send(failure(new SfnServiceError('UnknownOperationException', 'only POST / is served', 404)));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        res.setHeader('Connection', 'close');
        send(failure(new SfnServiceError('RequestEntityTooLarge', `request body exceeds ${maxBodyBytes} bytes`, 413)));
        res.on('finish', () => req.destroy());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      void dispatch(String(req.headers['x-amz-target'] ?? ''), Buffer.concat(chunks).toString('utf8')).then(send);
    });
  };
  return Object.assign(listener, { dispatch });
}

interface WireResponse {
  status: number;
  text: string;
  errorType?: string;
}

function failure(error: unknown): WireResponse {
  const e =
    error instanceof SfnServiceError
      ? error
      : new SfnServiceError('InternalFailure', 'internal error in the local Step Functions endpoint', 500);
  const namespace =
    e.code === 'SerializationException' || e.code === 'UnknownOperationException' || e.code === 'InternalFailure'
      ? 'com.amazon.coral.service'
      : 'com.amazonaws.swf.service.v2.model';
  return {
    status: e.statusCode,
    text: JSON.stringify({ __type: `${namespace}#${e.code}`, message: e.message }),
    errorType: e.code,
  };
}

/**
 * The SDK's transport for a client in the same process as the engine (the local runtime's own use cases): the
 * request the real SFNClient serialised goes straight to `dispatch`, and its answer comes back as the HTTP response
 * the client deserialises — no socket, no HTTP parsing on either side. Other processes and the AWS CLI use the
 * HTTP listener.
 */
export function inProcessHandler(endpoint: SfnEndpoint) {
  return {
    metadata: { handlerProtocol: 'in-process' },
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      const body = request.body;
      // The SDK's JSON body is a Uint8Array that warns when used as a string: decode it as bytes.
      const text = typeof body === 'string' ? body : body instanceof Uint8Array ? UTF8.decode(body) : '';
      const r = await endpoint.dispatch(request.headers['x-amz-target'] ?? '', text);
      return {
        response: {
          statusCode: r.status,
          reason: undefined,
          headers: {
            'content-type': CONTENT_TYPE,
            'x-amzn-requestid': randomUUID(),
            ...(r.errorType ? { 'x-amzn-errortype': r.errorType } : {}),
          },
          body: Buffer.from(r.text, 'utf8'),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

export type SfnEndpoint = ReturnType<typeof createSfnEndpoint>;

export interface ListenOptions {
  host?: string;
  port?: number;
  maxBodyBytes?: number;
}

/** Serves the endpoint on its own HTTP server (default 127.0.0.1, a random port). */
export async function listen(
  engines: LocalStepFunctions | LocalStepFunctions[],
  options: ListenOptions = {},
): Promise<{ url: string; port: number; endpoint: SfnEndpoint; close: () => Promise<void> }> {
  const endpoint = createSfnEndpoint(engines, { maxBodyBytes: options.maxBodyBytes });
  const server = createServer(endpoint);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function validation(message: string): SfnServiceError {
  return new SfnServiceError('ValidationException', `1 validation error detected: ${message}`);
}

function str(body: Body, key: string, required: true): string;
function str(body: Body, key: string, required?: false): string | undefined;
function str(body: Body, key: string, required = false): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw validation(`Value null at '${key}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new SfnServiceError('SerializationException', `'${key}' must be a string`);
  return value;
}

function int(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw validation(`Value '${String(value)}' at '${key}' failed to satisfy constraint: 0 to 1000`);
  }
  return value;
}

function bool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new SfnServiceError('SerializationException', `'${key}' must be a boolean`);
  return value;
}

/** Dates become epoch seconds (the JSON protocol's timestamp format); undefined members are dropped. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}
