import type {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderClientConfig,
  InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { ValidationError } from '../domain/errors.js';
import { ForbiddenError, UnauthorizedError, UseCaseError } from '../usecases/errors.js';
import { LoginSchema } from '../usecases/login-input.js';
import type { CognitoSignIn } from '../usecases/ports.js';
import { staffFromClaims } from '../usecases/principal.js';
import { lazy } from './lazy.js';

/**
 * Cognito wants more than a password (first sign-in with a temporary password, TOTP code, reset): the console cannot
 * answer these challenges yet, the staff member finishes them elsewhere (docs/console.md).
 */
export class SignInChallengeError extends UseCaseError {
  override readonly name = 'SignInChallengeError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'challenge_required';
  constructor(readonly challenge: string) {
    super(
      challenge === 'NEW_PASSWORD_REQUIRED' || challenge === 'PASSWORD_RESET_REQUIRED'
        ? 'Première connexion ou réinitialisation : vous devez d’abord choisir un nouveau mot de passe (voir le message d’invitation, ou demandez à un administrateur). Ensuite, reconnectez-vous ici.'
        : 'Une vérification supplémentaire est demandée (code de l’application d’authentification) : terminez la connexion comme indiqué par un administrateur, puis réessayez.',
    );
  }
  override publicDetails() {
    return { challenge: this.challenge };
  }
}

const WRONG_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';

/** The claims of a token Cognito just returned to us over TLS (read, not verified: API Gateway verifies on use). */
function tokenClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Wrong password, unknown user (the client hides which one: preventUserExistenceErrors). */
const WRONG_CREDENTIAL_ERRORS = new Set(['NotAuthorizedException', 'UserNotFoundException']);

/**
 * Staff sign-in through Cognito's InitiateAuth. `client` is a client to use (tests) or the configuration of the one to
 * build; the SDK's Cognito package is imported at the first sign-in (./lazy.ts), not at the cold start of the
 * functions that merely hold this port.
 */
export function cognitoSignIn(
  client: CognitoIdentityProviderClient | CognitoIdentityProviderClientConfig,
  clientId: string,
  clock: () => Date,
): CognitoSignIn {
  const cognito = lazy(async () => {
    const sdk = await import('@aws-sdk/client-cognito-identity-provider');
    return {
      sdk,
      client:
        client instanceof sdk.CognitoIdentityProviderClient
          ? client
          : new sdk.CognitoIdentityProviderClient(client as CognitoIdentityProviderClientConfig),
    };
  });
  return {
    async signIn(input) {
      const parsed = LoginSchema.safeParse(input);
      if (!parsed.success)
        throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const { email, password } = parsed.data;
      const { sdk, client } = await cognito();
      let out: InitiateAuthCommandOutput;
      try {
        out = await client.send(
          new sdk.InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email.toLowerCase(), PASSWORD: password },
          }),
        );
      } catch (err) {
        const name = (err as { name?: unknown })?.name;
        if (typeof name === 'string' && WRONG_CREDENTIAL_ERRORS.has(name))
          throw new UnauthorizedError(WRONG_CREDENTIALS);
        if (name === 'PasswordResetRequiredException') throw new SignInChallengeError('PASSWORD_RESET_REQUIRED');
        if (name === 'UserNotConfirmedException') throw new SignInChallengeError('USER_NOT_CONFIRMED');
        throw err;
      }
      if (out.ChallengeName) throw new SignInChallengeError(out.ChallengeName);
      const idToken = out.AuthenticationResult?.IdToken;
      if (!idToken) throw new UnauthorizedError(WRONG_CREDENTIALS);
      const staff = staffFromClaims(tokenClaims(idToken));
      if (!staff)
        throw new ForbiddenError(
          'Ce compte n’a pas de rôle dans la console (groupe admin ou reviewer) : demandez à un administrateur.',
        );
      const expiresIn = out.AuthenticationResult?.ExpiresIn ?? 3600;
      return {
        token: idToken,
        expiresAt: new Date(clock().getTime() + expiresIn * 1000).toISOString(),
        role: staff.role,
      };
    },
  };
}
