import type { CognitoIdentityProviderClient, UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { StaffDirectory } from '../usecases/ports.js';
import { lazy } from './lazy.js';

// The SDK's Cognito package is imported at the first listing (./lazy.ts), not at the cold start of every function.
const cognitoSdk = lazy(() => import('@aws-sdk/client-cognito-identity-provider'));

/** The Cognito group of the admins (infra/stack.ts STAFF_GROUPS; `cognito:groups` maps it to the role). */
const ADMIN_GROUP = 'admin';
/** ListUsersInGroup pages hold at most 60 users. */
const PAGE = 60;
/** Bound on the pages read: a pool of staff, not of the public (600 admins is far beyond any team). */
const MAX_PAGES = 10;

/**
 * The staff directory on AWS: the enabled members of the user pool's admin group (ListUsersInGroup, paginated), by
 * their `email` attribute (the username when it has none; the pool signs in by e-mail). The client is built on first
 * use, so a function that never lists staff builds none; its role needs `cognito-idp:ListUsersInGroup` on the pool.
 */
export function cognitoStaffDirectory(
  client: () => CognitoIdentityProviderClient | Promise<CognitoIdentityProviderClient>,
  userPoolId: string,
): StaffDirectory {
  let built: CognitoIdentityProviderClient | null = null;
  return {
    async admins() {
      built ??= await client();
      const { ListUsersInGroupCommand } = await cognitoSdk();
      const out: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await built.send(
          new ListUsersInGroupCommand({
            UserPoolId: userPoolId,
            GroupName: ADMIN_GROUP,
            Limit: PAGE,
            NextToken: token,
          }),
        );
        for (const user of res.Users ?? []) {
          const email = emailOf(user);
          if (email && user.Enabled !== false) out.push(email);
        }
        token = res.NextToken;
        if (!token) break;
      }
      return out;
    },
  };
}

function emailOf(user: UserType): string | null {
  const attribute = user.Attributes?.find((a) => a.Name === 'email')?.Value;
  const email = attribute ?? (user.Username?.includes('@') ? user.Username : undefined);
  return email ? email.toLowerCase() : null;
}

/** What buildDeps adds for the directory: the user pool's when the environment names one (AWS), nothing otherwise. */
export function staffDirectoryFor(env: {
  COGNITO_USER_POOL_ID?: string;
  COGNITO_ENDPOINT?: string;
  AWS_REGION?: string;
}): { staffDirectory?: StaffDirectory } {
  const pool = env.COGNITO_USER_POOL_ID;
  if (!pool) return {};
  return {
    staffDirectory: cognitoStaffDirectory(
      async () =>
        new (await cognitoSdk()).CognitoIdentityProviderClient({
          region: env.AWS_REGION,
          endpoint: env.COGNITO_ENDPOINT,
          maxAttempts: 3,
        }),
      pool,
    ),
  };
}
