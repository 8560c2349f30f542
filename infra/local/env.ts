import * as z from 'zod';

/**
 * The environment of the one-machine host (`npm start` and the admin CLIs), parsed once with zod. The handlers'
 * own environment (table, endpoints, region…) is `shared/runtime/env.ts`, the same on both hosts.
 */
const LocalEnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('.data'),
  APTIC_CONFIG: z.string().optional(),
  STAFF_EMAIL: z.string().optional(),
  STAFF_PASSWORD: z.string().optional(),
  /** Partner sites allowed to open the chat's websocket (the embeddable snippet), comma-separated origins. */
  CHAT_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
});

export type LocalEnv = z.infer<typeof LocalEnvSchema>;

export function parseLocalEnv(env: NodeJS.ProcessEnv = process.env): LocalEnv {
  const parsed = LocalEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Variables d'environnement invalides : ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return parsed.data;
}
