import * as z from 'zod';

/**
 * The process environment, parsed once. Lambdas get these from the CDK stack; `npm start` sets them for the
 * in-process handlers. No other module reads `process.env`.
 */
const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1).default('aptic'),
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).default('eu-west-3'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  STEPFUNCTIONS_ENDPOINT: z.url().optional(),
  APTIC_CONFIG: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAIL_FROM: z.string().default('noreply@aptic.local'),
  PUBLIC_BASE_URL: z.string().default('http://127.0.0.1:3000'),
  /** AWS only (chat function): the Secrets Manager secret that signs chat session tokens. Locally: kept in the table. */
  CHAT_SESSION_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** AWS only (console functions): the staff user pool; without COGNITO_CLIENT_ID staff sign in locally. */
  COGNITO_USER_POOL_ID: z.string().min(1).optional(),
  COGNITO_CLIENT_ID: z.string().min(1).optional(),
  /** Set by the Lambda runtime: metrics go out as CloudWatch EMF there, as log lines everywhere else. */
  AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).optional(),
  /** AWS only (functions that handle bank details): the KMS key that encrypts them. */
  BANK_KMS_KEY_ID: z.string().min(1).optional(),
  /** One machine: where the local bank vault keeps its key file (`bank-vault.key`); `npm start` sets it. */
  DATA_DIR: z.string().min(1).optional(),
  /** AWS: the national address API (`https://api-adresse.data.gouv.fr/search/`); unset, places take their commune's centre. */
  GEOCODER_URL: z.url().optional(),
  /** Tests only: a local stand-in for Cognito's endpoint. */
  COGNITO_ENDPOINT: z.url().optional(),
});

export type RuntimeEnv = z.infer<typeof EnvSchema>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Fail at cold start with the names of the bad variables (never reaches a user).
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return parsed.data;
}
