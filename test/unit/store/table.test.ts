import { describe, expect, it } from 'vitest';
import { Expression } from '../../../shared/store/expression.js';
import { taskIdFor } from '../../../shared/store/keys.js';
import { TABLE_DEFINITION, toCreateTableInput, toUpdateTimeToLiveInput } from '../../../shared/store/table.js';

describe('TABLE_DEFINITION', () => {
  it('maps to a CreateTable input with string keys, three ALL-projected GSIs and on-demand billing', () => {
    const input = toCreateTableInput('aptic');
    expect(input.TableName).toBe('aptic');
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
    expect(input.GlobalSecondaryIndexes?.every((i) => i.Projection?.ProjectionType === 'ALL')).toBe(true);
    expect(input.AttributeDefinitions?.map((a) => a.AttributeName).sort()).toEqual(
      ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'pk', 'sk'].sort(),
    );
    expect(input.AttributeDefinitions?.every((a) => a.AttributeType === 'S')).toBe(true);
  });

  it('names the TTL attribute', () => {
    expect(TABLE_DEFINITION.timeToLiveAttribute).toBe('expiresAt');
    expect(toUpdateTimeToLiveInput('t').TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });
});

describe('keys', () => {
  it('task ids are deterministic per (application, step, round)', () => {
    expect(taskIdFor('a', 'staff_review', 1)).toBe(taskIdFor('a', 'staff_review', 1));
    expect(taskIdFor('a', 'staff_review', 1)).not.toBe(taskIdFor('a', 'staff_review', 2));
    expect(taskIdFor('a', 'staff_review', 1)).not.toBe(taskIdFor('a', 'final_approval', 1));
    expect(taskIdFor('a', 'staff_review', 1)).toMatch(/^[0-9a-f]{20}$/);
  });
});

describe('Expression', () => {
  it('uses placeholders for every name and value, and omits empty maps', () => {
    const x = new Expression();
    x.set('status', 'open').setIfNotExists('openedAt', 't').remove('gsi1pk').add('count', 1);
    expect(x.update()).toBe('SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) REMOVE #n2 ADD #n3 :v2');
    expect(x.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'status', '#n1': 'openedAt', '#n2': 'gsi1pk', '#n3': 'count' },
      ExpressionAttributeValues: { ':v0': 'open', ':v1': 't', ':v2': 1 },
    });
    expect(new Expression().attributes()).toEqual({});
  });
});
