import * as z from 'zod';

/**
 * The body of `POST /api/console/login`, for both ways of signing staff in: the table's accounts (staff-auth.ts) and
 * Cognito on AWS (shared/runtime/cognito.ts). A module of its own so that every function, which builds the Cognito
 * sign-in with its dependencies, does not bundle the password hashing of staff-auth.ts with it.
 */
export const LoginSchema = z
  .object({
    email: z.string({ error: 'Adresse e-mail requise.' }).trim().min(3).max(254),
    password: z.string({ error: 'Mot de passe requis.' }).min(1).max(200),
  })
  .strict();
