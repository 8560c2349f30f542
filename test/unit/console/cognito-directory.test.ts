import { CognitoIdentityProviderClient, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cognitoStaffDirectory, staffDirectoryFor } from '../../../shared/runtime/cognito-directory.js';

// The staff directory on AWS (the daily digest's admins): the enabled members of the pool's admin group, every page.
const cognitoMock = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognitoMock.reset());
// Workers are shared between test files (vitest.config.ts): the SDK class goes back to its own `send`.
afterAll(() => cognitoMock.restore());

const user = (email: string | null, o: { enabled?: boolean; username?: string } = {}) => ({
  Username: o.username ?? 'a1b2c3d4-uuid',
  Enabled: o.enabled ?? true,
  Attributes: email ? [{ Name: 'email', Value: email }] : [],
});

describe('cognitoStaffDirectory', () => {
  it('lists the enabled admins of the pool, following NextToken, by their e-mail in lower case', async () => {
    cognitoMock
      .on(ListUsersInGroupCommand, { UserPoolId: 'eu-west-3_pool', GroupName: 'admin', NextToken: undefined })
      .resolves({ Users: [user('Claire.Admin@Aptic.fr'), user('off@aptic.fr', { enabled: false })], NextToken: 'p2' })
      .on(ListUsersInGroupCommand, { UserPoolId: 'eu-west-3_pool', GroupName: 'admin', NextToken: 'p2' })
      .resolves({ Users: [user(null, { username: 'paul@aptic.fr' }), user(null)] });
    let built = 0;
    const directory = cognitoStaffDirectory(() => {
      built++;
      return new CognitoIdentityProviderClient({ region: 'eu-west-3' });
    }, 'eu-west-3_pool');
    expect(built).toBe(0);
    expect(await directory.admins()).toEqual(['claire.admin@aptic.fr', 'paul@aptic.fr']);
    expect(await directory.admins()).toHaveLength(2);
    expect(built).toBe(1);
    const calls = cognitoMock.commandCalls(ListUsersInGroupCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'p2', undefined, 'p2']);
    expect(calls[0]!.args[0].input).toMatchObject({ UserPoolId: 'eu-west-3_pool', GroupName: 'admin' });
  });

  it('an error reaches the caller (the digest then keeps the local admins)', async () => {
    cognitoMock
      .on(ListUsersInGroupCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const directory = cognitoStaffDirectory(() => new CognitoIdentityProviderClient({ region: 'eu-west-3' }), 'p');
    await expect(directory.admins()).rejects.toThrow('denied');
  });

  it('is wired only when the environment names a user pool', () => {
    expect(staffDirectoryFor({})).toEqual({});
    expect(staffDirectoryFor({ COGNITO_USER_POOL_ID: 'eu-west-3_pool' }).staffDirectory).toBeDefined();
  });
});
