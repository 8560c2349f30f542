/**
 * Builds UpdateExpression / ConditionExpression text with placeholders for every name and value, so attribute names
 * that are DynamoDB reserved words (`status`, `name`, `data`, `round`…) never need special care at the call site.
 */
export class Expression {
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, unknown> = {};
  private valueCount = 0;
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private readonly adds: string[] = [];

  /** Placeholder for an attribute name (reused for the same name). */
  n(attr: string): string {
    let p = this.names.get(attr);
    if (!p) {
      p = `#n${this.names.size}`;
      this.names.set(attr, p);
    }
    return p;
  }

  /** Placeholder for a value. */
  v(value: unknown): string {
    const p = `:v${this.valueCount++}`;
    this.values[p] = value;
    return p;
  }

  set(attr: string, value: unknown): this {
    this.sets.push(`${this.n(attr)} = ${this.v(value)}`);
    return this;
  }

  /** Keeps the stored value when there is one (first write wins for that attribute). */
  setIfNotExists(attr: string, value: unknown): this {
    const n = this.n(attr);
    this.sets.push(`${n} = if_not_exists(${n}, ${this.v(value)})`);
    return this;
  }

  remove(attr: string): this {
    this.removes.push(this.n(attr));
    return this;
  }

  add(attr: string, value: number): this {
    this.adds.push(`${this.n(attr)} ${this.v(value)}`);
    return this;
  }

  update(): string {
    const parts: string[] = [];
    if (this.sets.length) parts.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length) parts.push(`REMOVE ${this.removes.join(', ')}`);
    if (this.adds.length) parts.push(`ADD ${this.adds.join(', ')}`);
    return parts.join(' ');
  }

  /** ExpressionAttributeNames / ExpressionAttributeValues, omitting empty maps (DynamoDB rejects them). */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    const out: {
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    } = {};
    if (this.names.size) out.ExpressionAttributeNames = Object.fromEntries([...this.names].map(([a, p]) => [p, a]));
    if (this.valueCount) out.ExpressionAttributeValues = { ...this.values };
    return out;
  }
}
